// A clock whose wall time can be set (the settings menu's date and time) while its timers run on the underlying clock.
import type { Clock, TimerHandle } from './clock';

/** `now()` is the base clock plus an offset; timers are the base clock's, so delays never jump with the time. */
export class AdjustableClock implements Clock {
  constructor(
    private readonly base: Clock,
    private offsetMs = 0,
  ) {}

  get offset(): number {
    return this.offsetMs;
  }

  /** Sets the wall time to `epochMs` (the offset from the base clock is what persists). */
  setTime(epochMs: number): number {
    if (!Number.isFinite(epochMs)) throw new RangeError(`setTime: expected epoch milliseconds, got ${epochMs}`);
    this.offsetMs = Math.round(epochMs - this.base.now());
    return this.offsetMs;
  }

  now(): number {
    return this.base.now() + this.offsetMs;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.base.setTimeout(fn, ms);
  }

  clearTimeout(handle: TimerHandle): void {
    this.base.clearTimeout(handle);
  }
}
