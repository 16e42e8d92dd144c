// Token buckets on a fake clock: a burst, then one token per 60/perMinute seconds, and the Retry-After to wait.
import { FakeClock } from '../common/clock';
import { RateLimiter } from './rate-limit';

it('allows the burst, then answers how long to wait, and refills with time', async () => {
  const clock = new FakeClock(1_000_000);
  const l = new RateLimiter(clock, 12, 3);
  expect([l.take(), l.take(), l.take()]).toEqual([0, 0, 0]);
  expect(l.take()).toBe(5);
  expect(l.peek()).toBe(5);
  await clock.advance(5000);
  expect(l.take()).toBe(0);
  expect(l.take()).toBe(5);
  await clock.advance(600_000);
  expect([l.take(), l.take(), l.take(), l.take()]).toEqual([0, 0, 0, 5]);
});

it('keeps one bucket per key, bounded', () => {
  const l = new RateLimiter(new FakeClock(), 1, 1);
  for (let i = 0; i < 5000; i++) l.take(`client-${i}`);
  expect(l.take('client-4999')).toBeGreaterThan(0);
  expect(l.take('fresh')).toBe(0);
  expect(() => new RateLimiter(new FakeClock(), 0)).toThrow(RangeError);
});
