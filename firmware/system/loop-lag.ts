// Event-loop lag probe: a repeating timer that measures how late it fires, read as a peak per watchdog period.
import { performance } from 'node:perf_hooks';

/** The timer functions the probe uses; tests pass fake ones. */
export interface IntervalTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const systemTimers: IntervalTimers = {
  setInterval: (fn, ms) => setInterval(fn, ms).unref(),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

export interface LoopLagProbe {
  /**
   * Worst lag in ms since the previous call: the latest a probe tick fired, or, when the loop is stalled
   * right now, how overdue the next tick is. Reading resets the peak.
   */
  takePeakLagMs(): number;
  stop(): void;
}

/**
 * Starts probing the event loop every `intervalMs` (default 250 ms).
 * @throws RangeError when intervalMs is not a positive number.
 */
export function probeLoopLag(opts: { intervalMs?: number; now?: () => number; timers?: IntervalTimers } = {}): LoopLagProbe {
  const intervalMs = opts.intervalMs ?? 250;
  if (!(intervalMs > 0)) throw new RangeError(`loop lag probe: intervalMs must be a positive number, got ${intervalMs}`);
  const now = opts.now ?? (() => performance.now());
  const timers = opts.timers ?? systemTimers;
  let lastTick = now();
  let peak = 0;
  const handle = timers.setInterval(() => {
    const t = now();
    peak = Math.max(peak, t - lastTick - intervalMs);
    lastTick = t;
  }, intervalMs);
  return {
    takePeakLagMs() {
      const overdue = now() - lastTick - intervalMs;
      const value = Math.max(0, peak, overdue);
      peak = 0;
      return value;
    },
    stop: () => timers.clearInterval(handle),
  };
}
