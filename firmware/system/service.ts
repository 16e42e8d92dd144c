// The terminal as a systemd service: READY=1 after boot, watchdog pings, and STOPPING=1 with a bounded drain on stop.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log';
import { createNotifier, type Notifier } from './sd-notify';
import { probeLoopLag, systemTimers, type IntervalTimers, type LoopLagProbe } from './loop-lag';
import { startWatchdog, watchdogPeriodMs, type Watchdog } from './watchdog';

export interface ServiceOptions {
  log: Logger;
  /** True while a transaction (or settlement) is running: stopping waits for it, bounded by drainMs. */
  isBusy(): boolean;
  env?: NodeJS.ProcessEnv;
  pid?: number;
  notifier?: Notifier;
  timers?: IntervalTimers;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Version shown in systemd's STATUS (default: the bundle's VERSION file, else package.json). */
  version?: string;
}

export interface SystemdService {
  readonly notifier: Notifier;
  /** Sends READY=1 and starts the watchdog; call once boot (journal recovery included) has resolved. */
  ready(): Promise<void>;
  /** Sends STOPPING=1, then waits until no transaction is running (at most the drain time). */
  stopping(): Promise<void>;
  /** Stops the watchdog and the lag probe. */
  close(): void;
}

/** The installed version: VERSION at the bundle root (dist/firmware/system/../../..), else the package.json version. */
export function installedVersion(root = join(__dirname, '..', '..', '..')): string {
  const file = join(root, 'VERSION');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  for (const dir of [root, join(__dirname, '..', '..')]) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

function positiveMs(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}: expected a positive number of milliseconds, got "${raw}"`);
  return n;
}

/**
 * Wires the terminal to systemd. Without NOTIFY_SOCKET (simulator, tests, a shell) every step is a
 * no-op apart from the drain. Settings: WATCHDOG_USEC/WATCHDOG_PID from systemd;
 * POSFW_MAX_LOOP_LAG_MS (default: the smaller of 5000 and the ping period) and POSFW_STOP_DRAIN_MS (default 20000).
 * A malformed variable is logged as an error naming it, and the terminal runs without systemd integration
 * (systemd then times the start out, which is visible), rather than dying after a good boot.
 */
export function startSystemdService(opts: ServiceOptions): SystemdService {
  const env = opts.env ?? process.env;
  const timers = opts.timers ?? systemTimers;
  const log = opts.log;
  let notifier: Notifier;
  let periodMs: number | undefined;
  let maxLagMs: number;
  let drainMs: number;
  try {
    notifier = opts.notifier ?? createNotifier({ env, log });
    periodMs = watchdogPeriodMs(env, opts.pid ?? process.pid);
    maxLagMs = positiveMs(env, 'POSFW_MAX_LOOP_LAG_MS', Math.min(5000, periodMs ?? 5000));
    drainMs = positiveMs(env, 'POSFW_STOP_DRAIN_MS', 20000);
  } catch (err) {
    // A malformed variable must not take down a terminal that booted: run without systemd integration, loudly.
    log.error({ err }, 'systemd integration disabled');
    notifier = { enabled: false, notify: async () => false };
    periodMs = undefined;
    maxLagMs = 5000;
    drainMs = 20000;
  }
  const version = opts.version ?? installedVersion();
  let probe: LoopLagProbe | undefined;
  let watchdog: Watchdog | undefined;
  const close = () => {
    watchdog?.stop();
    probe?.stop();
  };
  return {
    notifier,
    async ready() {
      if (periodMs !== undefined && notifier.enabled) {
        probe = probeLoopLag({ intervalMs: Math.min(250, periodMs / 2), now: opts.now, timers });
        watchdog = startWatchdog({
          periodMs,
          maxLagMs,
          peakLagMs: () => probe!.takePeakLagMs(),
          ping: () => notifier.notify({ WATCHDOG: 1 }),
          onWithheld: (lag) => void notifier.notify({ STATUS: `posfw ${version}: event loop stalled ${Math.round(lag)} ms, watchdog ping withheld` }),
          timers,
          log,
        });
      }
      await notifier.notify({ READY: 1, STATUS: `posfw ${version} ready` });
      if (notifier.enabled) log.info({ version, watchdogPeriodMs: periodMs ?? null, maxLagMs }, 'told systemd: ready');
    },
    async stopping() {
      await notifier.notify({ STOPPING: 1, STATUS: `posfw ${version} stopping` });
      const now = opts.now ?? Date.now;
      const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
      const until = now() + drainMs;
      if (opts.isBusy()) log.info({ drainMs }, 'stopping: waiting for the transaction in progress');
      while (opts.isBusy() && now() < until) await sleep(100);
      if (opts.isBusy()) log.warn({ drainMs }, 'stopping with a transaction still running: the journal recovers it at the next start');
      close();
    },
    close,
  };
}
