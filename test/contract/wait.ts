// Test helpers for event-driven devices: collect events and wait for the next ones (bounded, never wall-clock asserted).

export interface Collector<T> {
  events: T[];
  /** Resolves once at least `count` events arrived; rejects after `timeoutMs` with what did arrive. */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  stop: Unsubscribe;
}

export function collect<T>(subscribe: (l: (e: T) => void) => Unsubscribe): Collector<T> {
  const events: T[] = [];
  const waiters: Array<() => void> = [];
  const stop = subscribe((e) => {
    events.push(e);
    for (const w of waiters.splice(0)) w();
  });
  const waitFor = (count: number, timeoutMs = 5000) =>
    new Promise<T[]>((resolve, reject) => {
      const check = () => {
        if (events.length >= count) {
          clearTimeout(timer);
          resolve(events.slice());
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => reject(new Error(`expected ${count} events, got ${events.length}: ${JSON.stringify(events)}`)), timeoutMs);
      const loop = () => {
        if (!check()) waiters.push(loop);
      };
      loop();
    });
  return { events, waitFor, stop };
}

/** Lets pending I/O settle so that "nothing arrived" checks are meaningful. */
export function settle(ms = 150): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}import type { Unsubscribe } from '../../firmware/common/listeners';

