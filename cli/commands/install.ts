// `posfw install` and `posfw rollback`: put a release bundle on this board (or under a DESTDIR root), or go back one version.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { install, InstallError, rollbackToPrevious } from '../release/installer';
import { systemdManager } from '../release/service-manager';

interface InstallOpts {
  bundle: string;
  root: string;
  start: boolean;
  requireSettled?: boolean;
  force?: boolean;
  readyTimeout: string;
  natives: string;
  accounts: boolean;
  watchdogSec?: string;
  apiUrl?: string;
  dryRun?: boolean;
}

function seconds(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InstallError(`${name}: expected a positive number of seconds, got "${value}"`, 1);
  return n;
}

function fail(err: unknown): void {
  process.stderr.write(`posfw: ${(err as Error).message}\n`);
  process.exitCode = err instanceof InstallError ? err.exitCode : 1;
}

export function register(program: Command): void {
  program
    .command('install')
    .description('Install or update this release bundle (as root): /opt/posfw/<version>, user, udev rules, systemd unit; rolls back if not ready in time')
    .option('--bundle <dir>', 'unpacked release bundle', '.')
    .option('--root <dir>', 'install under this root instead of / (DESTDIR; then nothing is started)', process.env.DESTDIR || '/')
    .option('--no-start', 'install the files only; do not restart the service')
    .option('--require-settled', 'refuse while the current batch is not settled (also POSFW_UPDATE_REQUIRE_SETTLED=1)')
    .option('--force', 'update even when the running terminal is busy or does not answer')
    .option('--ready-timeout <s>', 'seconds the new version has to report ready before it is rolled back', '120')
    .option('--natives <which>', 'native modules to compile here: needed (by the board config), all, none', 'needed')
    .option('--no-accounts', 'do not create the service user and groups (systemd-sysusers)')
    .option('--watchdog-sec <s>', 'WatchdogSec of the unit (default 30)')
    .option('--api-url <url>', 'API of the running terminal to ask before updating (default from the installed board config)')
    .option('--dry-run', 'check the bundle and the terminal, print what would be done, change nothing')
    .action(async (opts: InstallOpts) => {
      try {
        if (!['needed', 'all', 'none'].includes(opts.natives)) throw new InstallError(`--natives: expected needed, all or none, got "${opts.natives}"`, 1);
        const root = resolve(opts.root);
        if (root === '/' && !opts.dryRun && process.getuid?.() !== 0) throw new InstallError('installing on this board needs root: run it with sudo (or set DESTDIR to install under another root)', 1);
        await install({
          bundleDir: resolve(opts.bundle),
          root,
          manager: opts.start && root === '/' ? systemdManager() : undefined,
          apiUrl: opts.apiUrl,
          requireSettled: opts.requireSettled ?? process.env.POSFW_UPDATE_REQUIRE_SETTLED === '1',
          force: opts.force,
          readyTimeoutMs: seconds(opts.readyTimeout, '--ready-timeout') * 1000,
          natives: opts.natives as 'needed' | 'all' | 'none',
          accounts: opts.accounts,
          watchdogSec: opts.watchdogSec === undefined ? undefined : seconds(opts.watchdogSec, '--watchdog-sec'),
          dryRun: opts.dryRun,
        });
      } catch (err) {
        fail(err);
      }
    });

  program
    .command('rollback')
    .description('Point /opt/posfw/current back at the previous version and restart it (as root)')
    .option('--root <dir>', 'installed root (DESTDIR; then nothing is restarted)', process.env.DESTDIR || '/')
    .option('--ready-timeout <s>', 'seconds to wait for the previous version to report ready', '120')
    .action(async (opts: { root: string; readyTimeout: string }) => {
      try {
        const root = resolve(opts.root);
        await rollbackToPrevious({ root, manager: root === '/' ? systemdManager() : undefined, readyTimeoutMs: seconds(opts.readyTimeout, '--ready-timeout') * 1000 });
      } catch (err) {
        fail(err);
      }
    });
}
