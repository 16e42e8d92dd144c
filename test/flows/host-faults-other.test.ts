// Host faults on void, refund, pre-auth and balance: unknown outcomes reversed and the original left as it was, on both sides.
import { FAST_HOST, Harness } from './harness';

describe('host faults on transactions other than a sale', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start(FAST_HOST);
  });
  afterEach(async () => {
    await h.stop();
  });

  test('void and refund with no answer: reversed; the sale keeps its state on both sides and can be voided or refunded again', async () => {
    await h.cardTxn({ reference: 'F-S1', type: 'sale', amount: 7300 });
    await h.cardTxn({ reference: 'F-S2', type: 'sale', amount: 7400 });
    await h.faults({ seed: 11, dropResponse: 1, onlyMti: ['0200', '0220'] });
    const v = await h.referencedTxn({ reference: 'F-V1', type: 'void', original: { reference: 'F-S1' } });
    expect(v.body).toMatchObject({ status: 'failed', reason: 'no answer (ETIMEOUT)' });
    await h.waitReversed('F-V1');
    const r = await h.referencedTxn({ reference: 'F-R1', type: 'refund', amount: 7400, original: { reference: 'F-S2' } });
    expect(r.body).toMatchObject({ status: 'failed', reason: 'no answer (ETIMEOUT)' });
    await h.waitReversed('F-R1');
    expect((await h.txn('F-S1')).body.status).toBe('approved');
    expect((await h.terminal.money.journal.byReference('F-S2'))?.refunded ?? 0).toBe(0);
    expect((await h.ledger()).map((e) => [e.reference, e.status, e.voidedBy, e.refundedAmount])).toEqual([
      ['F-S1', 'approved', null, 0],
      ['F-S2', 'approved', null, 0],
      ['F-V1', 'reversed', null, 0],
      ['F-R1', 'reversed', null, 0],
    ]);

    await h.clearFaults();
    expect((await h.referencedTxn({ reference: 'F-V2', type: 'void', original: { reference: 'F-S1' } })).body.status).toBe('approved');
    expect((await h.referencedTxn({ reference: 'F-R2', type: 'refund', amount: 7400, original: { reference: 'F-S2' } })).body.status).toBe('approved');
    expect((await h.txn('F-S1')).body.status).toBe('voided');
    const ledger = await h.ledger();
    expect(ledger.map((e) => [e.reference, e.status])).toEqual([
      ['F-S1', 'voided'],
      ['F-S2', 'approved'],
      ['F-V1', 'reversed'],
      ['F-R1', 'reversed'],
      ['F-V2', 'approved'],
      ['F-R2', 'approved'],
    ]);
    expect(ledger[1].refundedAmount).toBe(7400);
  });

  test('pre-auth with no answer is reversed (hold released); a balance inquiry with no answer just fails', async () => {
    await h.faults({ seed: 13, dropResponse: 1, onlyMti: ['0100', '0200'] });
    const pa = await h.cardTxn({ reference: 'F-PA', type: 'preauth', amount: 7500 });
    expect(pa.body).toMatchObject({ type: 'preauth', status: 'failed', reason: 'no answer (ETIMEOUT)' });
    await h.waitReversed('F-PA');
    expect((await h.ledger('F-PA')).map((e) => [e.kind, e.mti, e.status])).toEqual([['preauth', '0100', 'reversed']]);

    const bal = await h.cardTxn({ reference: 'F-BAL', type: 'balance' });
    expect(bal.body).toMatchObject({ type: 'balance', status: 'failed', reversal: null, reason: 'no answer (ETIMEOUT)' });
    expect(await h.terminal.money.journal.byReference('F-BAL')).toMatchObject({ state: 'failed', reversal: null });
    expect(await h.lcd()).toEqual(['NO HOST ANSWER', 'NOT CHARGED', '', '']);
    expect((await h.health()).body.safPending).toBe(0);
    expect(h.hostRequests).toEqual(['0100 F-PA', '0400 F-PA', '0200 F-BAL']);
    // The host answered the inquiry (nothing moved): a balance entry, not a charge.
    expect((await h.ledger('F-BAL')).map((e) => [e.kind, e.status, e.amount])).toEqual([['balance', 'approved', 0]]);
  });
});
