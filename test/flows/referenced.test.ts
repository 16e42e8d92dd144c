// Void, refund and pre-auth completion from the ECR: checked against the original in the journal before anything is sent.
import { Harness } from './harness';

describe('transactions on an original', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(async () => {
    await h.stop();
  });

  test('void of a sale: approved, sale shows voided; a second void is refused before the host', async () => {
    const sale = await h.cardTxn({ reference: 'S-V', type: 'sale', amount: 2500 });
    expect(sale.body.status).toBe('approved');

    const v = await h.referencedTxn({ reference: 'V-1', type: 'void', original: { reference: 'S-V' } });
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ reference: 'V-1', type: 'void', status: 'approved', amount: 2500, original: 'S-V', responseCode: '00' });
    expect((await h.txn('S-V')).body.status).toBe('voided');
    const voidRec = await h.terminal.money.journal.byReference('V-1');
    expect(voidRec).toMatchObject({ state: 'completed', entryMode: '012' });
    expect((await h.terminal.money.journal.byReference('S-V'))?.voidedBy).toBe(voidRec?.id);
    const slips = await h.receipts();
    expect(slips).toHaveLength(4);
    expect(slips[2].text).toContain('TYPE: VOID');
    expect(slips[2].text).toContain('CNY -25.00');

    const ledger = await h.ledger();
    expect(ledger.map((e) => [e.reference, e.kind, e.status])).toEqual([
      ['S-V', 'sale', 'voided'],
      ['V-1', 'void', 'approved'],
    ]);

    const again = await h.startTxn({ reference: 'V-2', type: 'void', original: { reference: 'S-V' } });
    expect(again.status).toBe(422);
    expect(again.body).toEqual({ error: 'original-not-allowed', message: 'original S-V is already voided', path: '$.original' });
    expect(await h.terminal.money.journal.byReference('V-2')).toBeUndefined();
    expect(h.hostRequests).toEqual(['0200 S-V', '0200 V-1']);
    expect(await h.ledger()).toEqual(ledger);
    expect(await h.receipts()).toHaveLength(4);
  });

  test('void by RRN and by trace number; void of an unknown original is 404', async () => {
    const a = await h.cardTxn({ reference: 'S-A', type: 'sale', amount: 1100 });
    const b = await h.cardTxn({ reference: 'S-B', type: 'sale', amount: 1200 });
    expect((await h.referencedTxn({ reference: 'V-A', type: 'void', original: { rrn: a.body.rrn } })).body).toMatchObject({ status: 'approved', original: 'S-A' });
    expect((await h.referencedTxn({ reference: 'V-B', type: 'void', original: { stan: String(Number(b.body.stan)) } })).body).toMatchObject({ status: 'approved', original: 'S-B' });
    const missing = await h.startTxn({ reference: 'V-X', type: 'void', original: { reference: 'NOPE' } });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('original-not-found');
    expect((await h.ledger()).map((e) => [e.reference, e.status])).toEqual([
      ['S-A', 'voided'],
      ['S-B', 'voided'],
      ['V-A', 'approved'],
      ['V-B', 'approved'],
    ]);
  });

  test('refunds: 40 + 60 of 100 approved, one more refused with 422 and the ledger unchanged; full refund of another sale', async () => {
    await h.cardTxn({ reference: 'S-R', type: 'sale', amount: 100 });
    const r1 = await h.referencedTxn({ reference: 'R-1', type: 'refund', amount: 40, original: { reference: 'S-R' } });
    expect(r1.body).toMatchObject({ status: 'approved', amount: 40, original: 'S-R' });
    expect((await h.terminal.money.journal.byReference('S-R'))?.refunded).toBe(40);
    const r2 = await h.referencedTxn({ reference: 'R-2', type: 'refund', amount: 60, original: { reference: 'S-R' } });
    expect(r2.body).toMatchObject({ status: 'approved', amount: 60 });
    expect((await h.terminal.money.journal.byReference('S-R'))?.refunded).toBe(100);

    const before = await h.ledger();
    expect(before.map((e) => [e.reference, e.kind, e.status, e.amount])).toEqual([
      ['S-R', 'sale', 'approved', 100],
      ['R-1', 'refund', 'approved', 40],
      ['R-2', 'refund', 'approved', 60],
    ]);
    expect(before[0].refundedAmount).toBe(100);
    const r3 = await h.startTxn({ reference: 'R-3', type: 'refund', amount: 1, original: { reference: 'S-R' } });
    expect(r3.status).toBe(422);
    expect(r3.body).toEqual({ error: 'amount-exceeds', message: 'refund of 1 exceeds what is left to refund (0 of 100)', path: '$.amount' });
    expect(await h.terminal.money.journal.byReference('R-3')).toBeUndefined();
    expect(h.hostRequests).toEqual(['0200 S-R', '0220 R-1', '0220 R-2']);
    expect(await h.ledger()).toEqual(before);

    // A partly refunded sale can no longer be voided.
    const v = await h.startTxn({ reference: 'V-R', type: 'void', original: { reference: 'S-R' } });
    expect(v.status).toBe(422);

    await h.cardTxn({ reference: 'S-F', type: 'sale', amount: 7000 });
    const over = await h.startTxn({ reference: 'R-F0', type: 'refund', amount: 7001, original: { reference: 'S-F' } });
    expect(over.status).toBe(422);
    const full = await h.referencedTxn({ reference: 'R-F', type: 'refund', amount: 7000, original: { reference: 'S-F' } });
    expect(full.body).toMatchObject({ status: 'approved', amount: 7000 });
    const slip = (await h.receipts()).at(-2)!;
    expect(slip.text).toContain('TYPE: REFUND');
    expect(slip.text).toContain('CNY -70.00');
    expect((await h.ledger('R-F'))[0]).toMatchObject({ kind: 'refund', status: 'approved', amount: 7000 });
    expect((await h.ledger('S-F'))[0]).toMatchObject({ refundedAmount: 7000 });
  });

  test('two refunds of the same sale sent at once: one starts, the other is refused busy before the journal', async () => {
    await h.cardTxn({ reference: 'S-C', type: 'sale', amount: 100 });
    const [a, b] = await Promise.all([
      h.startTxn({ reference: 'R-CA', type: 'refund', amount: 60, original: { reference: 'S-C' } }),
      h.startTxn({ reference: 'R-CB', type: 'refund', amount: 60, original: { reference: 'S-C' } }),
    ]);
    await h.waitIdle();
    const answers = [a, b].sort((x, y) => x.status - y.status);
    expect(answers[0].status).toBe(200);
    expect(answers[0].body.status).toBe('approved');
    // Normally busy; should the first finish before the second arrives, the journal check refuses it instead.
    expect([[409, 'busy'], [422, 'amount-exceeds']]).toContainEqual([answers[1].status, answers[1].body.error]);
    expect(h.hostRequests).toEqual(['0200 S-C', answers[0].body.reference === 'R-CA' ? '0220 R-CA' : '0220 R-CB']);
    expect((await h.ledger()).map((e) => [e.kind, e.status, e.amount])).toEqual([
      ['sale', 'approved', 100],
      ['refund', 'approved', 60],
    ]);
    expect(await h.terminal.money.journal.list()).toHaveLength(2);
  });

  test('pre-auth then completion up to the hold; above the hold refused', async () => {
    const pa = await h.cardTxn({ reference: 'PA-1', type: 'preauth', amount: 5000 });
    expect(pa.body).toMatchObject({ type: 'preauth', status: 'approved' });
    expect((await h.ledger('PA-1'))[0]).toMatchObject({ kind: 'preauth', status: 'approved', mti: '0100', posCondition: '06' });

    const tooMuch = await h.startTxn({ reference: 'C-0', type: 'completion', amount: 5001, original: { reference: 'PA-1' } });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toEqual({ error: 'amount-exceeds', message: 'completion of 5001 exceeds the hold left (5000 of 5000)', path: '$.amount' });

    const c1 = await h.referencedTxn({ reference: 'C-1', type: 'completion', amount: 3000, original: { reference: 'PA-1' } });
    expect(c1.body).toMatchObject({ type: 'completion', status: 'approved', amount: 3000, original: 'PA-1' });
    expect((await h.terminal.money.journal.byReference('PA-1'))?.completed).toBe(3000);

    const rest = await h.startTxn({ reference: 'C-2', type: 'completion', amount: 2001, original: { reference: 'PA-1' } });
    expect(rest.status).toBe(422);
    expect(rest.body.message).toBe('completion of 2001 exceeds the hold left (2000 of 5000)');

    // A sale is not a pre-auth: completion refused; a pre-auth cannot be voided.
    await h.cardTxn({ reference: 'S-P', type: 'sale', amount: 800 });
    expect((await h.startTxn({ reference: 'C-3', type: 'completion', amount: 100, original: { reference: 'S-P' } })).status).toBe(422);
    expect((await h.startTxn({ reference: 'V-P', type: 'void', original: { reference: 'PA-1' } })).status).toBe(422);

    const ledger = await h.ledger();
    expect(ledger.map((e) => [e.reference, e.kind, e.status, e.amount])).toEqual([
      ['PA-1', 'preauth', 'approved', 5000],
      ['C-1', 'completion', 'approved', 3000],
      ['S-P', 'sale', 'approved', 800],
    ]);
    expect(ledger[0].completedAmount).toBe(3000);
    expect(ledger[1]).toMatchObject({ mti: '0200', posCondition: '06', entryMode: '012' });
  });
});
