// The one clock: wall time and timers, injected everywhere time is used; a fake clock lets tests step time without sleeping.

/** Opaque timer handle. */
export type TimerHandle = unknown;

/**
 * Time as the firmware sees it. `setTimeout`/`clearTimeout` have the shape XState's `clock` option takes, so the
 * same clock drives the flow machines' delays, the SAF back-off, the host link and the drivers.
 */
export interface Clock {
  /** Milliseconds since the epoch (fractions allowed). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Waits at least `us` microseconds (HD44780/SSD1306 command delays). */
export type DelayUs = (us: number) => Promise<void>;

/** Node's timers and wall time. Timers are unref'd: a pending timeout never keeps a stopped terminal alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The clock's time as a Date. */
export const dateOf = (clock: Clock): Date => new Date(clock.now());

/** Resolves after `ms` on `clock`; resolves early (false) when `signal` aborts, true when the time ran out. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => (clock.clearTimeout(t), resolve(false));
    const t = clock.setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve(true)), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Real delay: rounds up to whole milliseconds (Node timers have 1 ms resolution), so it never waits less than asked. */
export const systemDelayUs: DelayUs = (us) => new Promise((resolve) => setTimeout(resolve, Math.ceil(us / 1000)));

interface Pending {
  id: number;
  at: number;
  ms: number;
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
export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private pending: Pending[] = [];

  /** `start`: the epoch milliseconds the clock shows first (0 by default). */
  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`setTimeout: expected a delay >= 0 ms, got ${ms}`);
    const id = ++this.seq;
    this.pending.push({ id, at: this.time + ms, ms, fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  /** Timers not yet fired. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Delays (as requested) of the timers still pending, in the order they were set. */
  pendingDelays(): number[] {
    return this.pending.map((p) => p.ms);
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
