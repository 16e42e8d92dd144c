// Busy and races: 20 parallel repeats of one reference are one transaction; the next sale right after a final state
// starts without 409; defaults are filled in before bodies are compared; a genuine busy says what and when to retry.
import { Harness } from './harness';

describe('ECR busy and races', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(async () => {
    await h.stop();
  });

  test('20 parallel repeats of one reference all get the same transaction; one charge', async () => {
    const body = { reference: 'PAR-1', type: 'sale', amount: 2500 };
    const answers = Array.from({ length: 20 }, (_, i) => h.startTxn(i % 2 ? { ...body, currency: 'CNY' } : body));
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe();
    await h.pin();
    const replies = await Promise.all(answers);
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
    const first = replies[0].body;
    expect(first).toMatchObject({ reference: 'PAR-1', status: 'approved' });
    for (const r of replies) expect(r.body).toEqual(first);
    expect(await h.ledger('PAR-1')).toHaveLength(1);
    expect(await h.terminal.money.journal.list()).toHaveLength(1);
    await h.waitIdle();
  });

  test('the next sale right after a final state starts without 409: it waits while the last slips print', async () => {
    // A short roll: the slips of SEQ-1 run out of paper part-way, so they are still printing when SEQ-2 arrives.
    await h.call('POST', '/sim/printer', { paper: 'ok', lines: 8 });
    const first = h.startTxn({ reference: 'SEQ-1', type: 'sale', amount: 1200 });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe();
    await h.pin();
    expect((await first).body.status).toBe('approved');
    expect(h.terminal.controller.stepOf('SEQ-1')).toBe('printing');
    const next = h.startTxn({ reference: 'SEQ-2', type: 'sale', amount: 1300, wait: 0 });
    await h.waitLcd(/PAPER/);
    await h.call('POST', '/sim/printer', { paper: 'ok' });
    const started = await next;
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ reference: 'SEQ-2', status: 'in-progress', state: 'awaiting-card' });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe();
    await h.pin();
    await h.waitIdle();
    expect((await h.ledger()).map((e) => [e.reference, e.status])).toEqual([
      ['SEQ-1', 'approved'],
      ['SEQ-2', 'approved'],
    ]);
  });

  test('the same request without the default currency or with an unpadded trace number is the same request', async () => {
    const sale = await h.cardTxn({ reference: 'NORM-S', type: 'sale', amount: 700, currency: 'CNY' });
    expect((await h.startTxn({ reference: 'NORM-S', type: 'sale', amount: 700 })).body).toEqual(sale.body);
    const stan = sale.body.stan as string;
    const voided = await h.referencedTxn({ reference: 'NORM-V', type: 'void', original: { stan: String(Number(stan)) } });
    expect(voided.body.status).toBe('approved');
    expect((await h.startTxn({ reference: 'NORM-V', type: 'void', original: { stan }, currency: 'CNY' })).body).toEqual(voided.body);
    expect((await h.startTxn({ reference: 'NORM-S', type: 'sale', amount: 701 })).body.error).toBe('reference-conflict');
  });

  test('a genuine busy answer says what the terminal is doing and when to retry', async () => {
    const running = h.startTxn({ reference: 'BUSY-1', type: 'sale', amount: 900 });
    await h.waitLcd(/^SWIPE CARD$/);
    const res = await fetch(`${h.terminal.apiUrl}/v1/transactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reference: 'BUSY-2', type: 'sale', amount: 1 }) });
    expect(res.status).toBe(409);
    expect(res.headers.get('retry-after')).toBe('10');
    expect(await res.json()).toEqual({ error: 'busy', message: 'terminal is busy with transaction BUSY-1', doing: { kind: 'transaction', reference: 'BUSY-1', state: 'awaiting-card' } });
    const settle = await fetch(`${h.terminal.apiUrl}/v1/settlement`, { method: 'POST' });
    expect(settle.status).toBe(409);
    expect(settle.headers.get('retry-after')).toBe('10');
    await h.cancel('BUSY-1');
    expect((await running).body.status).toBe('cancelled');
    await h.waitIdle();
    await h.keys('F1');
    await h.waitLcd(/^ENTER AMOUNT$/);
    const typing = await fetch(`${h.terminal.apiUrl}/v1/transactions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reference: 'BUSY-3', type: 'sale', amount: 1 }) });
    expect(typing.status).toBe(409);
    expect(await typing.json()).toMatchObject({ error: 'busy', doing: { kind: 'operator', activity: 'entering an amount' } });
    expect(typing.headers.get('retry-after')).toBe('10');
    await h.keys('CANCEL');
  });
});
