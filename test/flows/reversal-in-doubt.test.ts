// Only a positive acknowledgement settles a reversal: a host answering 12 or 25 while the charge stands is retried and raised.
import { FAST_HOST, Harness, waitFor } from './harness';

describe('reversal in doubt', () => {
  let h: Harness;
  beforeEach(async () => (h = await Harness.start({ ...FAST_HOST, policy: { ...FAST_HOST.policy, reversalAlertAfter: 3 } })));
  afterEach(async () => h.stop());

  test('sale posted, answer lost, reversals answered 25: never "reversed" or done, raised in health; settled once the host acknowledges', async () => {
    await h.faults({ seed: 5, onlyMti: ['0200'], dropResponse: 1 });
    const r = await h.cardTxn({ reference: 'DOUBT-1', type: 'sale', amount: 3100 });
    expect(r.body).toMatchObject({ status: 'failed', reversal: 'pending' });
    await h.faults({ seed: 6, onlyMti: ['0400', '0401'], forceResponseCode: { code: '25', probability: 1 } });
    const health = await waitFor('the reversal raised as in doubt', async () => {
      const b = (await h.health()).body;
      return b.reversalsInDoubt.includes('DOUBT-1') ? b : undefined;
    }, 8000);
    expect(health.safPending).toBe(1);
    const view = (await h.txn('DOUBT-1')).body;
    expect(view).toMatchObject({ status: 'failed', reversal: 'in-doubt' });
    // The host still holds the charge: the terminal never said it was reversed.
    expect((await h.ledger('DOUBT-1')).filter((e) => e.status === 'approved')).toHaveLength(1);
    await h.clearFaults();
    expect(await h.waitReversed('DOUBT-1')).toMatchObject({ status: 'failed', reversal: 'done' });
    expect((await h.ledger('DOUBT-1')).map((e) => e.status)).toEqual(['reversed']);
    expect((await h.health()).body.reversalsInDoubt).toEqual([]);
  });
});
