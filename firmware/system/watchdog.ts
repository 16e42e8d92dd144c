// systemd watchdog: WATCHDOG=1 at half of WATCHDOG_USEC from the event loop, withheld while the loop lags.
import type { Logger } from '../log';
import { systemTimers, type IntervalTimers } from './loop-lag';

/**
 * The ping period in ms (half the watchdog timeout, as sd_watchdog_enabled(3) advises), or undefined when
 * systemd asked for no watchdog: WATCHDOG_USEC unset, or WATCHDOG_PID naming another process.
 * @throws Error naming the variable when WATCHDOG_USEC is not a positive integer.
 */
export function watchdogPeriodMs(env: NodeJS.ProcessEnv, pid: number): number | undefined {
  const usec = env.WATCHDOG_USEC;
  if (usec === undefined || usec === '') return undefined;
  if (!/^\d+$/.test(usec) || Number(usec) === 0) throw new Error(`WATCHDOG_USEC: expected a positive integer (microseconds), got "${usec}"`);
  if (env.WATCHDOG_PID !== undefined && env.WATCHDOG_PID !== '' && Number(env.WATCHDOG_PID) !== pid) return undefined;
  return Number(usec) / 2000;
}

export interface WatchdogOptions {
  periodMs: number;
  /** Sends WATCHDOG=1; a ping still in flight when the next is due makes that one skip. */
  ping(): Promise<unknown>;
  /** Peak event-loop lag since the previous call (see probeLoopLag). */
  peakLagMs(): number;
  /** Above this lag a ping is withheld, so systemd restarts a terminal whose loop keeps stalling. */
  maxLagMs: number;
  /** Called when a ping is withheld (e.g. to set STATUS). */
  onWithheld?(lagMs: number): void;
  timers?: IntervalTimers;
  log?: Logger;
}

export interface Watchdog {
  /** Pings sent and withheld so far. */
  readonly counts: { sent: number; withheld: number };
  stop(): void;
}

/**
 * Pings every `periodMs` from a timer on the event loop: a blocked loop sends nothing, and a loop
 * that lags more than `maxLagMs` withholds the ping.
 * @throws RangeError when periodMs or maxLagMs is not positive.
 */
export function startWatchdog(opts: WatchdogOptions): Watchdog {
  if (!(opts.periodMs > 0)) throw new RangeError(`watchdog: periodMs must be positive, got ${opts.periodMs}`);
  if (!(opts.maxLagMs > 0)) throw new RangeError(`watchdog: maxLagMs must be positive, got ${opts.maxLagMs}`);
  const timers = opts.timers ?? systemTimers;
  const counts = { sent: 0, withheld: 0 };
  let inFlight = false;
  const tick = () => {
    const lag = opts.peakLagMs();
    if (lag > opts.maxLagMs) {
      counts.withheld++;
      opts.log?.warn({ lagMs: Math.round(lag), maxLagMs: opts.maxLagMs }, 'event loop stalled: watchdog ping withheld');
      opts.onWithheld?.(lag);
      return;
    }
    if (inFlight) return;
    inFlight = true;
    counts.sent++;
    void opts.ping().finally(() => (inFlight = false));
  };
  const handle = timers.setInterval(tick, opts.periodMs);
  return { counts, stop: () => timers.clearInterval(handle) };
}
