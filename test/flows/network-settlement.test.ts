// Sign-on, echo, host status query and end-of-day settlement through the ECR API against the acquirer simulator.
import { FAST_HOST, Harness, waitFor } from './harness';

describe('network management, status query and settlement', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start(FAST_HOST);
  });
  afterEach(async () => {
    await h.stop();
  });

  test('sign-on and echo are answered by the host', async () => {
    expect((await h.call('POST', `/v1/sign-on`)).body).toEqual({ kind: 'sign-on', ok: true, responseCode: '00' });
    expect((await h.call('POST', `/v1/echo`)).body).toEqual({ kind: 'echo', ok: true, responseCode: '00' });
  });

  test('the host status query tells what the host did with a transaction whose answer was lost', async () => {
    await h.faults({ seed: 3, dropResponse: 1, onlyMti: ['0200'] });
    const r = await h.cardTxn({ reference: 'Q-LOST', type: 'sale', amount: 4200 });
    expect(r.body).toMatchObject({ status: 'failed', reversal: 'pending' });
    await h.clearFaults();
    await h.waitReversed('Q-LOST');
    const q = await h.call('POST', `/v1/transactions/Q-LOST/query`);
    expect(q.status).toBe(200);
    expect(q.body.host).toMatchObject({ kind: 'status-query', ok: true, hostStatus: 'reversed' });
    expect(q.body.local).toMatchObject({ reference: 'Q-LOST', status: 'failed', reversal: 'done' });
  });

  test('settlement reconciles the journal with the host and opens the next batch', async () => {
    await h.cardTxn({ reference: 'ST-1', type: 'sale', amount: 5000 });
    await h.cardTxn({ reference: 'ST-2', type: 'sale', amount: 700 });
    await h.referencedTxn({ reference: 'ST-3', type: 'refund', amount: 2000, original: { reference: 'ST-1' } });
    await h.referencedTxn({ reference: 'ST-4', type: 'void', original: { reference: 'ST-2' } });
    await h.waitIdle();
    const s = await h.call('POST', `/v1/settlement`, {});
    expect(s.status).toBe(200);
    expect(s.body).toEqual({ status: 'settled', batch: '000001', nextBatch: '000002', uploaded: false, totals: { debitCount: 1, debitAmount: 5000, creditCount: 1, creditAmount: 2000 }, settledAt: expect.any(String) });
    expect((await h.health()).body.batch).toBe('000002');
    // A settled sale can no longer be voided, and its card data is gone from the journal.
    const v = await h.call('POST', `/v1/transactions`, { reference: 'ST-5', type: 'void', original: { reference: 'ST-1' } });
    expect(v.status).toBe(422);
    expect((await h.terminal.money.journal.byReference('ST-1'))?.sealed).toBeUndefined();
  });

  test('settlement waits for pending reversals and refuses while the host cannot take them', async () => {
    await h.faults({ seed: 5, dropResponse: 1 });
    const r = await h.cardTxn({ reference: 'ST-LOST', type: 'sale', amount: 900 });
    expect(r.body).toMatchObject({ status: 'failed', reversal: 'pending' });
    await waitFor('0400 attempted', async () => (await h.health()).body.safPending === 1);
    const s = await h.call('POST', `/v1/settlement`, {});
    expect(s.status).toBe(409);
    expect(s.body.error).toBe('saf-pending');
    expect((await h.health()).body.batch).toBe('000001');
  }, 60000);
});
