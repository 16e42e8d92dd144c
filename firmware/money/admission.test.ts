// Admission: every rule that decides whether a request may start, against a real journal; effects on originals and their undo.
import { Admission, AdmissionError, checkOriginal, effectOnOriginal, isStanding, refersToOriginal, remaining, undoOnOriginal } from './admission';
import type { TxnRecord } from '../journal/types';
import { BOARD, newSale, openJournal } from './money.fixtures';

const approved = (over: Partial<TxnRecord> = {}): TxnRecord =>
  ({ id: '1', reference: 'O-1', type: 'sale', state: 'completed', wasApproved: true, amount: 1000, batch: '000001', ...over }) as TxnRecord;

describe('original rules', () => {
  it('one predicate for approved and still standing', () => {
    expect(isStanding(approved())).toBe(true);
    expect(isStanding(approved({ state: 'approved' }))).toBe(true);
    expect(isStanding(approved({ voidedBy: '9' }))).toBe(false);
    expect(isStanding(approved({ wasApproved: false }))).toBe(false);
    expect(isStanding(approved({ state: 'reversal-pending' }))).toBe(false);
    expect(isStanding(approved({ state: 'reversed' }))).toBe(false);
  });

  it('void: whole amount, same batch, a sale not refunded; refund: within what is left; completion: within the hold', () => {
    expect(checkOriginal('void', approved(), 1000, '000001')).toEqual({ ok: true });
    expect(checkOriginal('void', approved(), 999, '000001')).toMatchObject({ ok: false, code: 'amount-exceeds' });
    expect(checkOriginal('void', approved(), 1000, '000002')).toMatchObject({ ok: false, code: 'original-not-allowed', message: expect.stringMatching(/already settled: refund it instead/) });
    expect(checkOriginal('void', approved({ refunded: 1 }), 1000, '000001')).toMatchObject({ ok: false, message: expect.stringMatching(/partly refunded/) });
    expect(checkOriginal('void', approved({ voidedBy: '2' }), 1000, '000001')).toMatchObject({ ok: false, message: expect.stringMatching(/already voided/) });
    expect(checkOriginal('void', approved({ state: 'reversed' }), 1000, '000001')).toMatchObject({ ok: false, message: expect.stringMatching(/was reversed/) });
    expect(checkOriginal('refund', approved({ refunded: 600 }), 400, '000002')).toEqual({ ok: true });
    expect(checkOriginal('refund', approved({ refunded: 600 }), 401, '000002')).toMatchObject({ ok: false, code: 'amount-exceeds' });
    expect(checkOriginal('completion', approved({ type: 'preauth', completed: 200 }), 800, '000001')).toEqual({ ok: true });
    expect(checkOriginal('completion', approved(), 100, '000001')).toMatchObject({ ok: false, code: 'original-wrong-type' });
    expect(checkOriginal('refund', approved({ type: 'preauth' }), 100, '000001')).toMatchObject({ ok: false, code: 'original-wrong-type' });
    expect(remaining(approved({ refunded: 250 }), 'refund')).toBe(750);
  });

  it('the effect of an approved follow-up on its original, and its undo, cancel out', () => {
    const o = approved({ type: 'preauth', completed: 100, refunded: 50 });
    for (const type of ['void', 'refund', 'completion'] as const) {
      const rec = { id: 'F', type, amount: 300 } as TxnRecord;
      const after = effectOnOriginal(rec, o)!;
      expect(after).not.toEqual(o);
      expect(undoOnOriginal(rec, after)).toEqual({ ...o, voidedBy: undefined, ...(type === 'void' ? {} : {}) });
    }
    expect(effectOnOriginal({ type: 'sale' } as TxnRecord, o)).toBeUndefined();
    // An undo never takes a total below zero, and leaves a void by another record alone.
    expect(undoOnOriginal({ id: 'F', type: 'refund', amount: 999 } as TxnRecord, o)).toMatchObject({ refunded: 0 });
    expect(undoOnOriginal({ id: 'F', type: 'void', amount: 1 } as TxnRecord, approved({ voidedBy: 'OTHER' }))).toBeUndefined();
  });

  it('which types act on an original', () => {
    expect(['sale', 'preauth', 'balance', 'void', 'refund', 'completion'].filter((t) => refersToOriginal(t as TxnRecord['type']))).toEqual(['void', 'refund', 'completion']);
  });
});

describe('Admission.admit', () => {
  let ctx: Awaited<ReturnType<typeof openJournal>>;
  let admission: Admission;
  beforeEach(async () => {
    ctx = await openJournal();
    admission = new Admission({ journal: ctx.journal, terminal: BOARD.terminal, duplicates: { matches: async () => false } });
  });
  afterEach(async () => ctx.cleanup());

  const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: AdmissionError) => ({ code: e.code, field: e.field, message: e.message }));

  it('refuses bad requests with the field at fault, before anything is written', async () => {
    expect(await refusal(admission.admit({ type: 'sale', amount: 1, currency: 'USD' }))).toMatchObject({ code: 'bad-request', field: '$.currency' });
    expect(await refusal(admission.admit({ type: 'sale' }))).toMatchObject({ code: 'bad-request', field: '$.amount' });
    expect(await refusal(admission.admit({ type: 'sale', amount: 12.5 }))).toMatchObject({ code: 'bad-request', field: '$.amount' });
    expect(await refusal(admission.admit({ type: 'balance', amount: 5 }))).toMatchObject({ code: 'bad-request', field: '$.amount' });
    expect(await refusal(admission.admit({ type: 'sale', amount: 5, original: { reference: 'X' } }))).toMatchObject({ code: 'bad-request', field: '$.original' });
    expect(await refusal(admission.admit({ type: 'refund', amount: 5 }))).toMatchObject({ code: 'bad-request', field: '$.original' });
    expect(await refusal(admission.admit({ type: 'refund', amount: 5, original: { reference: 'NOPE' } }))).toMatchObject({ code: 'original-not-found' });
    expect(ctx.journal.stats.writes).toBe(0);
  });

  it('admits a sale, a balance inquiry, and a void of a standing sale for its whole amount with the stored card', async () => {
    expect(await admission.admit({ type: 'sale', amount: 500 })).toEqual({ type: 'sale', amount: 500, currency: 'CNY' });
    expect(await admission.admit({ type: 'balance' })).toEqual({ type: 'balance', amount: 0, currency: 'CNY' });
    const o = await ctx.journal.create(newSale({ reference: 'ORIG', amount: 700 }));
    await ctx.journal.update(o.id, { state: 'sending' });
    await ctx.journal.update(o.id, { state: 'approved', wasApproved: true, rrn: '000000000777' });
    const v = await admission.admit({ type: 'void', original: { rrn: '000000000777' } });
    expect(v).toMatchObject({ type: 'void', amount: 700, original: { reference: 'ORIG' }, storedCard: { pan: '4761739001010010', expiry: '3012' } });
    expect(await refusal(admission.admit({ type: 'refund', amount: 701, original: { reference: 'ORIG' } }))).toMatchObject({ code: 'amount-exceeds', field: '$.amount' });
  });

  it('refuses a follow-up whose stored card data was purged at settlement', async () => {
    const o = await ctx.journal.create(newSale({ reference: 'OLD' }));
    await ctx.journal.update(o.id, { state: 'sending' });
    await ctx.journal.update(o.id, { state: 'approved', wasApproved: true, sealed: undefined });
    expect(await refusal(admission.admit({ type: 'refund', amount: 1, original: { reference: 'OLD' } }))).toMatchObject({ code: 'original-not-allowed', message: expect.stringMatching(/purged at settlement/) });
  });
});
