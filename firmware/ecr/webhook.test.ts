// The webhook on a fake clock: signed bodies, in order, retried with doubling delays, dropped after the last attempt.
import { createHmac } from 'node:crypto';
import { FakeClock } from '../common/clock';
import { silentLogger } from '../log';
import { EventHub } from './events';
import { signWebhook, WebhookSender } from './webhook';

const SECRET = 'a-long-enough-webhook-secret';
/** Lets the fake receiver's answers (Response bodies resolve on the event loop) reach the sender. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

function receiver(script: number[]) {
  const got: Array<{ id: string; body: string; signature: string }> = [];
  const fetchFn = (async (_url: string, init: RequestInit) => {
    const h = init.headers as Record<string, string>;
    got.push({ id: h['x-posfw-event-id'], body: String(init.body), signature: h['x-posfw-signature'] });
    const status = script.shift() ?? 200;
    return new Response('', { status });
  }) as unknown as typeof fetch;
  return { got, fetchFn };
}

it('signs each event, delivers in order and retries a refused one with doubling delays', async () => {
  const clock = new FakeClock(1_700_000_000_000);
  const hub = new EventHub(clock);
  const r = receiver([500, 503, 200, 200]);
  const w = new WebhookSender({ url: 'http://127.0.0.1:1/hook', secret: SECRET, attempts: 5, retryMs: 1000, retryMaxMs: 60000, timeoutMs: 5000, queueMax: 10, clock, log: silentLogger, fetch: r.fetchFn });
  hub.subscribe((e) => w.enqueue(e));
  const a = hub.publish('device', { device: 'printer', state: 'paper-out' });
  const b = hub.publish('device', { device: 'printer', state: 'online' });
  await settle();
  expect(r.got.map((g) => g.id)).toEqual([a.id]);
  await clock.advance(999);
  expect(r.got).toHaveLength(1);
  await clock.advance(1);
  await settle();
  expect(r.got).toHaveLength(2);
  await clock.advance(2000);
  await settle();
  expect(r.got.map((g) => g.id)).toEqual([a.id, a.id, a.id, b.id]);
  expect(w.stats).toMatchObject({ delivered: 2, dropped: 0, attempts: 4 });
  const first = r.got[2];
  const [t, v1] = first.signature.split(',').map((p) => p.split('=')[1]);
  expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${first.body}`).digest('hex'));
  expect(first.signature).toBe(signWebhook(SECRET, first.body, Number(t)));
  expect(JSON.parse(first.body)).toEqual(a);
  w.stop();
});

it('drops an event after the last attempt and goes on with the next', async () => {
  const clock = new FakeClock(0);
  const r = receiver([500, 500, 200]);
  const w = new WebhookSender({ url: 'http://127.0.0.1:1/hook', secret: SECRET, attempts: 2, retryMs: 100, retryMaxMs: 100, timeoutMs: 1000, queueMax: 10, clock, log: silentLogger, fetch: r.fetchFn });
  const hub = new EventHub(clock);
  hub.subscribe((e) => w.enqueue(e));
  hub.publish('settlement', { state: 'started' });
  hub.publish('settlement', { state: 'settled' });
  await clock.advance(100);
  await settle();
  await clock.advance(100);
  await settle();
  expect(w.stats).toMatchObject({ delivered: 1, dropped: 1, attempts: 3 });
  expect(w.pending).toBe(0);
  expect(() => new WebhookSender({ url: 'http://x', secret: 'short', attempts: 1, retryMs: 100, retryMaxMs: 100, timeoutMs: 100, queueMax: 1, clock, log: silentLogger })).toThrow(/16 characters/);
});
