// Starting and watching the installed service: systemctl on a board; tests hand the installer their own supervisor.
import { execFile } from 'node:child_process';
import { SERVICE } from './layout';

export interface ServiceManager {
  /** Re-reads unit files and udev rules after an install changed them. */
  reload(): Promise<void>;
  /** Starts the service at boot. */
  enable(): Promise<void>;
  /** Restarts the service (or starts it), without waiting for readiness. */
  restart(): Promise<void>;
  /**
   * Resolves true once the service told the manager READY=1 with a STATUS naming `version`, false when
   * `timeoutMs` passes first (crash loop, hang, or a watchdog kill).
   */
  waitReady(version: string, timeoutMs: number): Promise<boolean>;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command; resolves with its exit code and output (rejects only when it cannot be started). */
export function runCommand(cmd: string, args: string[], opts: { timeoutMs?: number; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: opts.timeoutMs ?? 60000, cwd: opts.cwd, env: opts.env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      if (e && typeof e.code === 'string') return reject(new Error(`cannot run ${cmd}: ${e.message}`));
      resolve({ code: e ? Number(e.code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** Runs a command and throws, with its stderr, when it fails. */
export async function mustRun(cmd: string, args: string[], opts: { timeoutMs?: number; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const r = await runCommand(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(0, 2000)}`);
  return r.stdout;
}

/** systemd on the board: systemctl for the unit, udevadm for the rules; readiness read from `systemctl show`. */
export function systemdManager(opts: { unit?: string; pollMs?: number } = {}): ServiceManager {
  const unit = opts.unit ?? SERVICE;
  return {
    async reload() {
      await mustRun('systemctl', ['daemon-reload']);
      await mustRun('udevadm', ['control', '--reload-rules']);
      await runCommand('udevadm', ['trigger', '--action=change', '--subsystem-match=tty', '--subsystem-match=hidraw', '--subsystem-match=usb', '--subsystem-match=i2c-dev', '--subsystem-match=gpio', '--subsystem-match=usbmisc']);
    },
    enable: async () => void (await mustRun('systemctl', ['enable', unit])),
    async restart() {
      await runCommand('systemctl', ['reset-failed', unit]);
      await mustRun('systemctl', ['restart', '--no-block', unit]);
    },
    async waitReady(version, timeoutMs) {
      const end = Date.now() + timeoutMs;
      while (Date.now() < end) {
        const out = await runCommand('systemctl', ['show', unit, '--property=ActiveState,StatusText']);
        const props = Object.fromEntries(out.stdout.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
        if (props.ActiveState === 'active' && String(props.StatusText ?? '').startsWith(`posfw ${version} `)) return true;
        await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
      }
      return false;
    },
  };
}
