// A stand-in for systemd in tests: runs the installed unit's ExecStart under a throw-away root, with a fake
// NOTIFY_SOCKET, Restart=on-failure and the watchdog (SIGABRT, then SIGKILL); implements the installer's ServiceManager.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceManager } from '../../cli/release/service-manager';
import type { NotifyReceiver } from '../helpers/notify-receiver';

export interface SupervisorOptions {
  root: string;
  notify: NotifyReceiver;
  /** Extra environment (Environment= / EnvironmentFile= of the unit). */
  env?: NodeJS.ProcessEnv;
  /** WatchdogSec in ms; the child gets WATCHDOG_USEC. */
  watchdogMs?: number;
  /** Kill and restart on a missed watchdog ping (systemd does); off lets a test watch withheld pings. */
  enforceWatchdog?: boolean;
  restartMs?: number;
}

/** Runs posfw.service from `<root>/etc/systemd/system` as systemd would, paths re-rooted. */
export class Supervisor implements ServiceManager {
  readonly events: string[] = [];
  child?: ChildProcess;
  output = '';
  private stopping = false;
  private lastPing = 0;
  private dogTimer?: NodeJS.Timeout;
  private restartTimer?: NodeJS.Timeout;
  private exited?: Promise<void>;
  /** Notification index at the latest restart(): readiness must come after it. */
  private readyFrom = 0;
  /** Kill and restart on a missed ping (as systemd does); a test may suspend it to watch withheld pings. */
  enforceWatchdog: boolean;

  constructor(private readonly opts: SupervisorOptions) {
    this.enforceWatchdog = opts.enforceWatchdog ?? true;
  }

  /** ExecStart of the installed unit, with board paths moved under the root. */
  execStart(): string[] {
    const unit = readFileSync(join(this.opts.root, 'etc/systemd/system/posfw.service'), 'utf8');
    const line = /^ExecStart=(.*)$/m.exec(unit)?.[1];
    if (!line) throw new Error('posfw.service has no ExecStart');
    return line
      .split(/\s+/)
      .filter((w) => w && w !== '$POSFW_ARGS')
      .map((w) => (w.startsWith('/opt/posfw') || w.startsWith('/var/lib/posfw') ? join(this.opts.root, w) : w));
  }

  async reload(): Promise<void> {}
  async enable(): Promise<void> {}

  async restart(): Promise<void> {
    await this.stop();
    this.stopping = false;
    this.readyFrom = this.opts.notify.messages.length;
    this.start();
  }

  /** Environment= lines of the installed unit (board paths moved under the root), and its CacheDirectory= made. */
  unitEnv(): NodeJS.ProcessEnv {
    const unit = readFileSync(join(this.opts.root, 'etc/systemd/system/posfw.service'), 'utf8');
    const env: NodeJS.ProcessEnv = {};
    for (const [, quoted, bare] of unit.matchAll(/^Environment=(?:"([^"]*)"|(\S+))$/gm)) {
      const kv = quoted ?? bare;
      const at = kv.indexOf('=');
      const value = kv.slice(at + 1);
      env[kv.slice(0, at)] = value.startsWith('/var/') ? join(this.opts.root, value) : value;
    }
    for (const [, dir] of unit.matchAll(/^CacheDirectory=(\S+)$/gm)) mkdirSync(join(this.opts.root, 'var/cache', dir), { recursive: true });
    return env;
  }

  start(): void {
    const [cmd, ...args] = this.execStart();
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...this.unitEnv(), NOTIFY_SOCKET: this.opts.notify.address, ...this.opts.env };
    if (this.opts.watchdogMs) env.WATCHDOG_USEC = String(this.opts.watchdogMs * 1000);
    const child = spawn(cmd, args, { cwd: join(this.opts.root, 'var/lib/posfw'), env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.events.push(`start ${child.pid}`);
    const from = this.opts.notify.messages.length;
    child.stdout!.on('data', (d) => (this.output += d));
    child.stderr!.on('data', (d) => (this.output += d));
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        this.events.push(`exit ${child.pid} ${signal ?? code}`);
        clearInterval(this.dogTimer);
        resolve();
        if (!this.stopping && (signal !== null || code !== 0)) {
          this.events.push('restart (on-failure)');
          this.restartTimer = setTimeout(() => this.start(), this.opts.restartMs ?? 300);
        }
      }),
    );
    if (this.opts.watchdogMs) this.watchWatchdog(child, from);
  }

  private watchWatchdog(child: ChildProcess, from: number): void {
    let seen = from;
    let ready = false;
    let lastCheck = Date.now();
    this.dogTimer = setInterval(() => {
      // This stand-in shares the test's event loop: after the test itself blocked it (copying a bundle), notifications
      // may still wait in the pipe, so judge nothing on a late check (systemd is never blocked by its services).
      const late = Date.now() - lastCheck > 250;
      lastCheck = Date.now();
      if (late) this.lastPing = Math.max(this.lastPing, Date.now() - this.opts.watchdogMs! / 2);
      for (const m of this.opts.notify.messages.slice(seen)) {
        if (m.includes('READY=1')) ready = true;
        if (m.includes('WATCHDOG=1') || m.includes('READY=1')) this.lastPing = Date.now();
      }
      seen = this.opts.notify.messages.length;
      // Like systemd, the watchdog runs from READY=1 on.
      if (!ready || !this.enforceWatchdog || Date.now() - this.lastPing <= this.opts.watchdogMs!) return;
      this.events.push(`watchdog timeout ${child.pid}`);
      clearInterval(this.dogTimer);
      child.kill('SIGABRT');
      setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), 1000).unref();
    }, 50);
  }

  async waitReady(version: string, timeoutMs: number): Promise<boolean> {
    try {
      await this.opts.notify.waitFor((m) => m.includes('READY=1') && m.includes(`STATUS=posfw ${version} ready`), `READY=1 from ${version}`, {
        from: this.readyFrom,
        timeoutMs,
      });
      return true;
    } catch {
      return false;
    }
  }

  /** Stops the service (SIGTERM, as systemctl stop) and waits for the exit; no restart follows. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.dogTimer);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      await this.exited;
    }
  }
}
