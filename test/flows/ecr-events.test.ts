// An ECR that never polls: it follows the event stream from its POST to the final state, confirms a possible duplicate
// through the API, resumes the stream with Last-Event-ID, and hears the printer run out of paper.
import { Harness } from './harness';
import { SseClient, type SseEvent } from '../helpers/sse';

describe('ECR event stream', () => {
  let h: Harness;
  const streams: SseClient[] = [];
  const open = async (headers: Record<string, string> = {}, query = '') => {
    const s = await SseClient.open(`${h.terminal.apiUrl}/v1/events${query}`, headers);
    streams.push(s);
    return s;
  };
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    streams.forEach((s) => s.close());
    await h.stop();
  });

  const states = (s: SseClient, ref: string) => s.events.filter((e) => e.event === 'transaction' && e.data.data.reference === ref).map((e) => e.data.data.state as string);
  const stateIs = (ref: string, state: string) => (e: SseEvent) => e.event === 'transaction' && e.data.data.reference === ref && e.data.data.state === state;

  test('a sale followed from POST to approved on the stream alone: the ECR reacts to each state, never asks twice', async () => {
    const s = await open();
    expect(s.status).toBe(200);
    const posted = await h.startTxn({ reference: 'EV-1', type: 'sale', amount: 4200, wait: 0 });
    expect(posted.status).toBe(202);
    expect(posted.body).toMatchObject({ status: 'in-progress', state: 'awaiting-card' });

    await s.next('awaiting-card', stateIs('EV-1', 'awaiting-card'));
    await h.swipe(); // the cardholder, told by the ECR's screen
    const pin = await s.next('awaiting-pin', stateIs('EV-1', 'awaiting-pin'));
    expect(pin.data.data.transaction).toMatchObject({ status: 'in-progress', state: 'awaiting-pin' });
    await h.pin();
    const printing = await s.next('printing', stateIs('EV-1', 'printing'));
    expect(printing.data.data).toMatchObject({ status: 'approved', transaction: { responseCode: '00', receipt: { merchant: expect.stringContaining('SALE') } } });
    const done = await s.next('approved', stateIs('EV-1', 'approved'));
    expect(done.data.data.transaction).toMatchObject({ reference: 'EV-1', status: 'approved', state: 'approved', amount: 4200, rrn: expect.stringMatching(/^\d{12}$/) });
    expect(states(s, 'EV-1')).toEqual(['awaiting-card', 'awaiting-pin', 'authorising', 'printing', 'approved']);
    const ids = s.events.map((e) => e.id!);
    expect(ids.every((id, i) => i === 0 || Number(id.split('.')[1]) > Number(ids[i - 1].split('.')[1]))).toBe(true);
    expect(JSON.stringify(s.events)).not.toContain('4761739001010010');
    await h.waitIdle();
  });

  test('a possible duplicate waits for confirmation; the ECR confirms one and declines the next through the API', async () => {
    const s = await open({}, '?types=transaction');
    const answer = h.startTxn({ reference: 'EV-DUP', type: 'sale', amount: 4200 });
    await s.next('awaiting-card', stateIs('EV-DUP', 'awaiting-card'));
    expect((await h.call('POST', '/v1/transactions/EV-DUP/confirm')).body).toMatchObject({ error: 'nothing-to-confirm', message: 'transaction "EV-DUP" is awaiting-card, not awaiting a confirmation' });
    await h.swipe();
    const ask = await s.next('awaiting-confirmation', stateIs('EV-DUP', 'awaiting-confirmation'));
    expect(ask.data.data.transaction).toMatchObject({ state: 'awaiting-confirmation', confirmation: { reason: 'possible-duplicate' } });
    expect((await h.txn('EV-DUP')).body).toMatchObject({ status: 'in-progress', state: 'awaiting-confirmation', confirmation: { reason: 'possible-duplicate' } });
    const confirmed = await h.call('POST', '/v1/transactions/EV-DUP/confirm');
    expect(confirmed.status).toBe(200);
    await s.next('awaiting-pin', stateIs('EV-DUP', 'awaiting-pin'));
    await h.pin();
    expect((await answer).body).toMatchObject({ status: 'approved' });
    await h.waitIdle();

    const again = h.startTxn({ reference: 'EV-DUP2', type: 'sale', amount: 4200 });
    await s.next('awaiting-card', stateIs('EV-DUP2', 'awaiting-card'));
    await h.swipe();
    await s.next('awaiting-confirmation', stateIs('EV-DUP2', 'awaiting-confirmation'));
    expect((await h.cancel('EV-DUP2')).body).toMatchObject({ status: 'cancelled', reason: 'operator declined a possible duplicate' });
    expect((await again).body.status).toBe('cancelled');
    await s.next('cancelled', stateIs('EV-DUP2', 'cancelled'));
    expect(s.events.every((e) => e.event === 'transaction')).toBe(true);
    expect((await h.ledger()).map((e) => e.reference)).toEqual(['EV-1', 'EV-DUP']);
    await h.waitIdle();
  });

  test('resumes after Last-Event-ID with what it missed; an id it cannot resume from gets a resync first', async () => {
    const first = await open();
    await h.cardTxn({ reference: 'EV-R', type: 'sale', amount: 300 });
    const done = await first.next('EV-R approved', stateIs('EV-R', 'approved'));
    const pinEvent = first.events.find(stateIs('EV-R', 'awaiting-pin'))!;
    first.close();
    const resumed = await open({ 'last-event-id': pinEvent.id! });
    await resumed.next('replayed final state', stateIs('EV-R', 'approved'));
    expect(states(resumed, 'EV-R')).toEqual(['authorising', 'printing', 'approved']);
    expect(resumed.events.at(-1)!.id).toBe(done.id);
    const byQuery = await open({}, `?after=${encodeURIComponent(pinEvent.id!)}`);
    await byQuery.next('replay by ?after', stateIs('EV-R', 'approved'));
    const stale = await open({ 'last-event-id': 'zz.1' });
    const resync = await stale.next('resync', (e) => e.event === 'resync');
    expect(resync.id).toBeUndefined();
    expect(stale.events[0].event).toBe('resync');
    const bad = await h.call('GET', '/v1/events?types=nope');
    expect(bad).toMatchObject({ status: 400, body: { error: 'bad-request', path: expect.stringMatching(/^\$\.types/) } });
  });

  test('device events: the printer out of paper and back', async () => {
    const s = await open({}, '?types=device');
    await h.call('POST', '/sim/printer', { paper: 'out' });
    const sale = h.startTxn({ reference: 'EV-P', type: 'sale', amount: 301 });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe();
    await h.pin();
    expect((await sale).body.status).toBe('approved');
    await s.next('paper-out', (e) => e.event === 'device' && e.data.data.state === 'paper-out');
    await h.call('POST', '/sim/printer', { paper: 'ok' });
    await s.next('online', (e) => e.event === 'device' && e.data.data.state === 'online');
    expect(s.events.every((e) => e.event === 'device' && e.data.data.device === 'printer')).toBe(true);
    await h.waitIdle();
  });
});
