// Admission: every rule that decides whether a request may start, against a real journal; effects on originals and their undo.
import { Admission, AdmissionError, checkOriginal, effectsOf, isStanding, refersToOriginal, remaining, undoEffectsOf } from './admission';
import { FakeClock } from '../common/clock';
import type { TxnRecord } from '../journal/types';
import { BOARD, newSale, openJournal } from './money.fixtures';

const approved = (over: Partial<TxnRecord> = {}): TxnRecord =>
  ({ id: '1', reference: 'O-1', type: 'sale', state: 'completed', wasApproved: true, amount: 1000, batch: '000001', createdAt: '2026-11-30T10:00:00Z', history: [{ state: 'approved', at: '2026-11-30T10:00:00Z' }], ...over }) as TxnRecord;
const NOW = Date.parse('2026-11-30T12:00:00Z');
const at = (batch: string, now = NOW) => ({ currentBatch: batch, now, holdDays: 30 });

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
    expect(checkOriginal('void', approved(), 1000, at('000001'))).toEqual({ ok: true });
    expect(checkOriginal('void', approved(), 999, at('000001'))).toMatchObject({ ok: false, code: 'amount-exceeds' });
    expect(checkOriginal('void', approved(), 1000, at('000002'))).toMatchObject({ ok: false, code: 'original-not-allowed', message: expect.stringMatching(/already settled: refund it instead/) });
    expect(checkOriginal('void', approved({ refunded: 1 }), 1000, at('000001'))).toMatchObject({ ok: false, message: expect.stringMatching(/partly refunded/) });
    expect(checkOriginal('void', approved({ voidedBy: '2' }), 1000, at('000001'))).toMatchObject({ ok: false, message: expect.stringMatching(/already voided/) });
    expect(checkOriginal('void', approved({ state: 'reversed' }), 1000, at('000001'))).toMatchObject({ ok: false, message: expect.stringMatching(/was reversed/) });
    expect(checkOriginal('refund', approved({ refunded: 600 }), 400, at('000002'))).toEqual({ ok: true });
    expect(checkOriginal('refund', approved({ refunded: 600 }), 401, at('000002'))).toMatchObject({ ok: false, code: 'amount-exceeds' });
    expect(checkOriginal('completion', approved({ type: 'preauth', completed: 200 }), 800, at('000001'))).toEqual({ ok: true });
    expect(checkOriginal('completion', approved(), 100, at('000001'))).toMatchObject({ ok: false, code: 'original-wrong-type' });
    expect(checkOriginal('refund', approved({ type: 'preauth' }), 100, at('000001'))).toMatchObject({ ok: false, code: 'original-wrong-type' });
    expect(remaining(approved({ refunded: 250 }), 'refund')).toBe(750);
  });

  it('the pre-auth family: cancel a hold (not once completed), void a completion, no completion of a cancelled or expired hold', () => {
    const hold = approved({ type: 'preauth', reference: 'H-1' });
    expect(checkOriginal('void', hold, 1000, at('000009'))).toEqual({ ok: true });
    expect(checkOriginal('void', { ...hold, completed: 200 }, 1000, at('000001'))).toMatchObject({ ok: false, message: expect.stringMatching(/completed in part/) });
    expect(checkOriginal('void', approved({ type: 'completion' }), 1000, at('000001'))).toEqual({ ok: true });
    expect(checkOriginal('completion', { ...hold, voidedBy: 'C' }, 100, at('000001'))).toMatchObject({ ok: false, message: 'the hold of H-1 was cancelled' });
    expect(checkOriginal('completion', hold, 100, at('000001', NOW + 29 * 86_400_000))).toEqual({ ok: true });
    expect(checkOriginal('completion', hold, 100, at('000001', NOW + 31 * 86_400_000))).toMatchObject({ ok: false, message: expect.stringMatching(/expired 30 days/) });
  });

  it('the effects of an approved follow-up and their undo cancel out, a completion void reaching the hold too', async () => {
    const hold = approved({ id: 'H', type: 'preauth', completed: 300 });
    const completion = approved({ id: 'C', type: 'completion', amount: 300, original: { id: 'H' } as TxnRecord['original'] });
    const sale = approved({ id: 'S', refunded: 50 });
    const book = new Map([hold, completion, sale].map((r) => [r.id, r]));
    const get = async (id: string) => book.get(id);
    const follow = (type: TxnRecord['type'], originalId: string, amount: number) => ({ id: 'F', type, amount, original: { id: originalId } }) as TxnRecord;
    for (const rec of [follow('refund', 'S', 200), follow('void', 'S', 1000), follow('completion', 'H', 100), follow('void', 'C', 300), follow('void', 'H', 1000)]) {
      const changed = await effectsOf(rec, get);
      expect(changed.length).toBeGreaterThan(0);
      const after = new Map(book);
      for (const c of changed) after.set(c.id, c);
      const undone = await undoEffectsOf(rec, async (id) => after.get(id));
      for (const u of undone) expect({ ...u, voidedBy: u.voidedBy ?? undefined }).toEqual({ ...book.get(u.id)!, voidedBy: undefined });
    }
    const voidOfCompletion = await effectsOf(follow('void', 'C', 300), get);
    expect(voidOfCompletion.map((r) => [r.id, r.voidedBy, r.completed])).toEqual([['C', 'F', undefined], ['H', undefined, 0]]);
    // An undo never takes a total below zero, and leaves a void by another record alone.
    expect((await undoEffectsOf(follow('refund', 'S', 999), get))[0]).toMatchObject({ refunded: 0 });
    expect(await undoEffectsOf(follow('void', 'S', 1), async () => approved({ id: 'S', voidedBy: 'OTHER' }))).toEqual([]);
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
    admission = new Admission({ journal: ctx.journal, terminal: BOARD.terminal, duplicates: { matches: async () => false }, clock: new FakeClock(Date.now()), holdDays: 30 });
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

  it('a follow-up whose stored card data was purged at settlement is admitted without it: the card is presented again', async () => {
    const o = await ctx.journal.create(newSale({ reference: 'OLD' }));
    await ctx.journal.update(o.id, { state: 'sending' });
    await ctx.journal.update(o.id, { state: 'approved', wasApproved: true, sealed: undefined });
    const a = await admission.admit({ type: 'refund', amount: 1, original: { reference: 'OLD' } });
    expect(a).toMatchObject({ type: 'refund', original: { reference: 'OLD' } });
    expect(a.storedCard).toBeUndefined();
  });

  it('refuses everything while a settlement is in progress', async () => {
    await ctx.journal.putSettling({ batch: '000001', totals: { debitCount: 1, debitAmount: 1, creditCount: 0, creditAmount: 0 }, sent: true, attempts: 1, startedAt: 'x' });
    expect(await refusal(admission.admit({ type: 'sale', amount: 500 }))).toMatchObject({ code: 'settlement-in-progress', message: expect.stringMatching(/batch 000001/) });
  });
});
