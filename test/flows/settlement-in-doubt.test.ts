// Settlement in doubt recovers: a lost 0500 answer keeps the batch closed to new sales, the same totals go again (0501)
// until the host answers, the batch is closed exactly once; settlement is idempotent per batch; nothing to settle.
import { Harness, waitFor } from './harness';

describe('settlement as a resumable procedure', () => {
  let h: Harness;
  beforeEach(async () => (h = await Harness.start({ host: { responseTimeoutMs: 800 }, policy: { settlementRetryMs: 200, reversalRetryMaxMs: 400 } })));
  afterEach(async () => h.stop());

  test('lost 0500 answer: in progress, new sales refused, resent as 0501 by itself, batch closed once, next sale in the next batch', async () => {
    await h.cardTxn({ reference: 'SD-1', type: 'sale', amount: 4000 });
    await h.faults({ seed: 2, onlyMti: ['0500'], dropResponse: 1 });
    const lost = await h.call('POST', '/v1/settlement', {});
    expect(lost.status).toBe(502);
    expect(lost.body).toMatchObject({ error: 'host' });
    expect(lost.body.message).toMatch(/stays in progress/);
    // The host closed the batch; the terminal must not sell into it.
    const refused = await h.startTxn({ reference: 'SD-2', type: 'sale', amount: 100 });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'settlement-in-progress' });
    await h.clearFaults();
    await waitFor('the batch closed', async () => (await h.health()).body.batch === '000002', 8000);
    await h.waitIdle(); // the settlement finishes (its data key destroyed, its report printed) after the batch number moves
    const messages = (await h.call('GET', `${h.adminUrl}/messages`)).body.messages.map((m: { mti: string }) => m.mti).filter((m: string) => m.startsWith('05'));
    expect(messages[0]).toBe('0500');
    expect(messages.slice(1).every((m: string) => m === '0501')).toBe(true);
    const totals = (await h.call('GET', `${h.adminUrl}/totals`)).body.totals;
    expect(totals).toHaveLength(1);
    expect(totals[0]).toMatchObject({ batch: '000001', debitCount: 1, debitAmount: 4000, settlement: { closed: true } });
    expect((await h.cardTxn({ reference: 'SD-3', type: 'sale', amount: 150 })).body).toMatchObject({ status: 'approved', batch: '000002' });
  });

  test('a sale asked for while the settlement only prints its report waits for it; during the settlement itself it is told busy', async () => {
    // The terminal's settlement slot, held by the test: first deciding (busy), then only printing (wait).
    let release!: () => void;
    let onlyPrinting!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const printing = new Promise<void>((r) => (onlyPrinting = r));
    const job = h.terminal.controller.exclusive('(settlement)', async (slot) => {
      await printing;
      slot.printing();
      await gate;
    });
    const refused = await h.startTxn({ reference: 'SP-1', type: 'sale', amount: 300, wait: 0 });
    expect(refused).toMatchObject({ status: 409, body: { error: 'busy', doing: { kind: 'settlement' } } });
    onlyPrinting();
    let answered = false;
    const sale = h.startTxn({ reference: 'SP-2', type: 'sale', amount: 300, wait: 0 }).finally(() => (answered = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(answered ? await sale : 'waiting').toBe('waiting');
    release();
    await job;
    expect(await sale).toMatchObject({ status: 202, body: { reference: 'SP-2', state: 'awaiting-card' } });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe();
    await h.pin();
    expect((await h.startTxn({ reference: 'SP-2', type: 'sale', amount: 300 })).body).toMatchObject({ status: 'approved' });
  });

  test('idempotent per batch; nothing to settle does not open a batch', async () => {
    expect((await h.call('POST', '/v1/settlement', {})).body).toEqual({ status: 'nothing-to-settle', batch: '000001' });
    await h.cardTxn({ reference: 'SI-1', type: 'sale', amount: 700 });
    const first = await h.call('POST', '/v1/settlement', { batch: '000001' });
    expect(first.body).toMatchObject({ status: 'settled', batch: '000001', nextBatch: '000002' });
    const again = await h.call('POST', '/v1/settlement', { batch: '000001' });
    expect(again.body).toMatchObject({ status: 'settled', repeat: true, batch: '000001', nextBatch: '000002', totals: first.body.totals });
    expect((await h.call('POST', '/v1/settlement', {})).body).toEqual({ status: 'nothing-to-settle', batch: '000002' });
    expect((await h.health()).body.batch).toBe('000002');
    expect((await h.call('POST', '/v1/settlement', { batch: '000007' })).status).toBe(404);
  });
});
