// FakeClock: time moves only when told, timers fire in order, nested advances never move time backwards.
import { FakeClock } from './clock';

describe('FakeClock', () => {
  it('fires due timers in time order and leaves later ones pending', async () => {
    const t = new FakeClock();
    const fired: string[] = [];
    t.setTimeout(() => fired.push(`b@${t.now()}`), 20);
    t.setTimeout(() => fired.push(`a@${t.now()}`), 10);
    const c = t.setTimeout(() => fired.push('c'), 15);
    t.setTimeout(() => fired.push('d'), 100);
    t.clearTimeout(c);
    await t.advance(50);
    expect(fired).toEqual(['a@10', 'b@20']);
    expect(t.now()).toBe(50);
    expect(t.pendingCount).toBe(1);
  });

  it('runs timers scheduled by timers, and delayUs advances the clock', async () => {
    const t = new FakeClock();
    const ticks: number[] = [];
    const tick = () => {
      ticks.push(t.now());
      if (ticks.length < 3) t.setTimeout(tick, 5);
    };
    t.setTimeout(tick, 0);
    await t.delayUs(20_000);
    expect(ticks).toEqual([0, 5, 10]);
    expect(t.now()).toBe(20);
  });

  it('keeps time monotonic when a timer callback advances the clock further', async () => {
    const t = new FakeClock();
    t.setTimeout(() => void t.advance(100), 1);
    await t.advance(10);
    expect(t.now()).toBe(101);
    expect(() => t.setTimeout(() => undefined, -1)).toThrow(RangeError);
  });
});
