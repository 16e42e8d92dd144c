// Injectable timers for the host link, and a manual clock tests advance without sleeping.

export type TimerHandle = unknown;

/** The two timer calls the link uses; swap for {@link ManualTimers} in tests. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Node's timers. */
export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface ManualTimer {
  at: number;
  ms: number;
  fn: () => void;
}

/** Deterministic timers: nothing fires until {@link ManualTimers.advance}. `now()` follows the manual clock. */
export class ManualTimers implements Timers {
  private clock = 0;
  private seq = 0;
  private readonly timers = new Map<number, ManualTimer>();

  now = (): number => this.clock;

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { at: this.clock + Math.max(0, ms), ms, fn });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  /** Delays (as requested) of the timers still pending, oldest first. */
  pendingDelays(): number[] {
    return [...this.timers.values()].map((t) => t.ms);
  }

  /** Moves the clock forward by `ms`, firing due timers in time order (timers they set are honoured too). */
  advance(ms: number): void {
    const target = this.clock + ms;
    for (let guard = 0; guard < 10_000; guard++) {
      let nextId: number | undefined;
      let next: ManualTimer | undefined;
      for (const [id, t] of this.timers) if (t.at <= target && (!next || t.at < next.at)) [nextId, next] = [id, t];
      if (!next || nextId === undefined) break;
      this.timers.delete(nextId);
      this.clock = next.at;
      next.fn();
    }
    this.clock = target;
  }
}
