// Injected time for chip drivers and bus emulators: real timers on boards, a manual clock in tests (no sleeping).

/** Opaque timer handle. */
export type TimerHandle = unknown;

/** The subset of timer functions drivers use, so tests can step time instead of sleeping. */
export interface Timers {
  /** Milliseconds on a monotonic clock (fractions allowed). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Waits at least `us` microseconds (HD44780/SSD1306 command delays). */
export type DelayUs = (us: number) => Promise<void>;

/** Node's timers and `performance.now()`. */
export const systemTimers: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Real delay: rounds up to whole milliseconds (Node timers have 1 ms resolution), so it never waits less than asked. */
export const systemDelayUs: DelayUs = (us) => new Promise((resolve) => setTimeout(resolve, Math.ceil(us / 1000)));

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

/** Lets microtasks (promise continuations, emulated GPIO edge callbacks) run before time moves on. */
export async function flushMicrotasks(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/**
 * A manual clock: time moves only in `advance()` and `delayUs()`. Timers fire in time order, each followed by a
 * microtask flush, so async work a timer starts completes before the next one fires.
 */
export class ManualTimers implements Timers {
  private time = 0;
  private seq = 0;
  private pending: Pending[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`setTimeout: expected a delay >= 0 ms, got ${ms}`);
    const id = ++this.seq;
    this.pending.push({ id, at: this.time + ms, fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  /** Timers not yet fired. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way (bounded: at most 100000 firings). */
  async advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance: expected ms >= 0, got ${ms}`);
    const until = this.time + ms;
    await flushMicrotasks();
    for (let fired = 0; fired < 100_000; fired++) {
      const next = this.nextDue(until);
      if (!next) break;
      this.pending = this.pending.filter((p) => p !== next);
      this.time = Math.max(this.time, next.at);
      next.fn();
      await flushMicrotasks();
    }
    // A timer callback may itself have advanced the clock (nested advance): time never goes backwards.
    this.time = Math.max(this.time, until);
  }

  /** A DelayUs that advances this clock (firing due timers) instead of waiting. */
  readonly delayUs: DelayUs = (us) => this.advance(us / 1000);

  private nextDue(until: number): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.pending) if (p.at <= until && (!best || p.at < best.at || (p.at === best.at && p.id < best.id))) best = p;
    return best;
  }
}
