// Watchdog and loop-lag probe on fake timers and a fake clock: pings at half WATCHDOG_USEC, withheld while the loop lags.
import { probeLoopLag, type IntervalTimers } from './loop-lag';
import { startWatchdog, watchdogPeriodMs } from './watchdog';

/** Interval timers driven by hand: advance(ms) moves the clock and fires what is due, in time order. */
function fakeTime() {
  let t = 0;
  const timers: Array<{ fn: () => void; every: number; next: number; alive: boolean }> = [];
  const api: IntervalTimers = {
    setInterval(fn, ms) {
      const h = { fn, every: ms, next: t + ms, alive: true };
      timers.push(h);
      return h;
    },
    clearInterval: (h) => void ((h as { alive: boolean }).alive = false),
  };
  return {
    timers: api,
    now: () => t,
    /** The loop runs normally for `ms` (pending promise callbacks run after each timer, as on a real loop). */
    async advance(ms: number) {
      const end = t + ms;
      for (;;) {
        const due = timers.filter((x) => x.alive && x.next <= end).sort((a, b) => a.next - b.next)[0];
        if (!due) break;
        t = due.next;
        due.next += due.every;
        due.fn();
        await new Promise((r) => setImmediate(r));
      }
      t = end;
    },
    /** The loop is blocked for `ms`: time passes, nothing fires; overdue timers fire once afterwards. */
    async stall(ms: number) {
      t += ms;
      for (const x of timers.filter((y) => y.alive && y.next <= t).sort((a, b) => a.next - b.next)) {
        x.fn();
        x.next = t + x.every;
        await new Promise((r) => setImmediate(r));
      }
    },
  };
}

describe('watchdogPeriodMs', () => {
  it('is half of WATCHDOG_USEC', () => expect(watchdogPeriodMs({ WATCHDOG_USEC: '20000000' }, 1)).toBe(10000));
  it('is off without WATCHDOG_USEC or for another WATCHDOG_PID', () => {
    expect(watchdogPeriodMs({}, 1)).toBeUndefined();
    expect(watchdogPeriodMs({ WATCHDOG_USEC: '1000000', WATCHDOG_PID: '2' }, 1)).toBeUndefined();
    expect(watchdogPeriodMs({ WATCHDOG_USEC: '1000000', WATCHDOG_PID: '1' }, 1)).toBe(500);
  });
  it('names a malformed WATCHDOG_USEC', () => {
    expect(() => watchdogPeriodMs({ WATCHDOG_USEC: '20s' }, 1)).toThrow(/WATCHDOG_USEC: expected a positive integer .* got "20s"/);
  });
});

describe('probeLoopLag', () => {
  it('reads the peak lateness since the last read, and how overdue a stalled loop is', async () => {
    const clock = fakeTime();
    const probe = probeLoopLag({ intervalMs: 100, now: clock.now, timers: clock.timers });
    await clock.advance(1000);
    expect(probe.takePeakLagMs()).toBe(0);
    await clock.stall(700);
    expect(probe.takePeakLagMs()).toBe(600);
    expect(probe.takePeakLagMs()).toBe(0);
    expect(() => probeLoopLag({ intervalMs: 0 })).toThrow(/intervalMs must be a positive number, got 0/);
  });
});

describe('startWatchdog', () => {
  function rig(maxLagMs = 1000) {
    const clock = fakeTime();
    const probe = probeLoopLag({ intervalMs: 100, now: clock.now, timers: clock.timers });
    const pings: number[] = [];
    const withheld: number[] = [];
    const dog = startWatchdog({ periodMs: 500, maxLagMs, ping: async () => pings.push(clock.now()), peakLagMs: () => probe.takePeakLagMs(), onWithheld: (lag) => withheld.push(lag), timers: clock.timers });
    return { clock, pings, withheld, dog };
  }

  it('pings every period while the loop runs', async () => {
    const { clock, pings } = rig();
    await clock.advance(2600);
    expect(pings).toEqual([500, 1000, 1500, 2000, 2500]);
  });

  it('sends nothing during a stall and withholds the ping right after one longer than maxLagMs', async () => {
    const { clock, pings, withheld, dog } = rig();
    await clock.advance(1000);
    await clock.stall(3000);
    expect(pings).toEqual([500, 1000]);
    expect(withheld).toHaveLength(1);
    expect(withheld[0]).toBeGreaterThan(1000);
    await clock.advance(1000);
    expect(pings.length).toBe(4);
    expect(dog.counts).toEqual({ sent: 4, withheld: 1 });
  });

  it('keeps pinging through a short hiccup under maxLagMs', async () => {
    const { clock, pings, withheld } = rig(1000);
    await clock.advance(500);
    await clock.stall(300);
    await clock.advance(500);
    expect(withheld).toEqual([]);
    expect(pings.length).toBe(2);
  });

  it('stops', async () => {
    const { clock, pings, dog } = rig();
    dog.stop();
    await clock.advance(5000);
    expect(pings).toEqual([]);
  });
});
