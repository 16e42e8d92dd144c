// Installs or updates a release bundle: versioned folder, system files, atomic switch, readiness wait, rollback.
import { chownSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readBundle, verifyManifest } from './bundle';
import { deviceAccess, sysusersConf } from './device-access';
import { BOARD_PATHS, SERVICE_USER, layoutAt, type Layout } from './layout';
import { buildNatives } from './native-build';
import { mustRun, type ServiceManager } from './service-manager';
import { checkUpdateAllowed } from './update-guard';
import { rollbackScript, rollbackUnit, serviceUnit } from './units';
import { loadBoard } from '../../firmware/board/load';
import { createDeviceKey, DeviceKeyError, deviceKeyLocation, type DeviceKeyLocation, type DeviceKeySettings } from '../../firmware/keys/device-key';

/** An install that stopped; `exitCode` tells why (2 bad bundle, 3 refused, 4 rolled back, 5 native build). */
export class InstallError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
    this.name = 'InstallError';
  }
}

export interface InstallOptions {
  bundleDir: string;
  /** `/` on the board; a throw-away folder in tests (DESTDIR). */
  root: string;
  /** Absent: install the files only, start nothing (DESTDIR installs). */
  manager?: ServiceManager;
  /** API of the running terminal, asked before an update; default 127.0.0.1 and the installed board's api.port. */
  apiUrl?: string;
  requireSettled?: boolean;
  /** Update even when the running terminal is busy or does not answer. */
  force?: boolean;
  readyTimeoutMs?: number;
  /** How long the previous version has to come back after a rollback (default readyTimeoutMs). */
  rollbackTimeoutMs?: number;
  /** Native modules to compile: those the board's drivers need (default), all of them, or none. */
  natives?: 'needed' | 'all' | 'none';
  /** Create the service user and groups with systemd-sysusers (default true). */
  accounts?: boolean;
  /** chown the data folder and key to the service user (default: when running as root). */
  chown?: boolean;
  watchdogSec?: number;
  dryRun?: boolean;
  log?: (line: string) => void;
}

export interface InstallResult {
  version: string;
  previous: string | null;
  outcome: 'installed' | 'files-only' | 'unchanged' | 'dry-run';
}

/** The version `link` points at (a sibling folder name), or null. */
export function linkTarget(link: string): string | null {
  try {
    return readlinkSync(link);
  } catch {
    return null;
  }
}

/** Points `link` at `version` atomically: a new symlink beside it, renamed over it. */
export function switchLink(link: string, version: string): void {
  const tmp = `${link}.${process.pid}.new`;
  rmSync(tmp, { force: true });
  symlinkSync(version, tmp);
  renameSync(tmp, link);
}

function writeAtomic(file: string, text: string, mode = 0o644): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
}

/** uid/gid of a user in the root's /etc/passwd. */
function lookupUser(root: string, user: string): { uid: number; gid: number } | undefined {
  const passwd = join(root, 'etc', 'passwd');
  if (!existsSync(passwd)) return undefined;
  const line = readFileSync(passwd, 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
  if (!line) return undefined;
  const f = line.split(':');
  return { uid: Number(f[2]), gid: Number(f[3]) };
}

/** Data folder, config folder and device key: created once, never replaced (they survive every update). */
async function prepareState(L: Layout, security: DeviceKeySettings, owner: { uid: number; gid: number } | undefined, log: (l: string) => void): Promise<void> {
  const data = L.at(BOARD_PATHS.data);
  if (!existsSync(data)) log(`creating data folder ${BOARD_PATHS.data}`);
  mkdirSync(data, { recursive: true, mode: 0o750 });
  const etc = L.at(BOARD_PATHS.etc);
  mkdirSync(etc, { recursive: true, mode: 0o750 });
  if (owner) {
    chownSync(data, owner.uid, owner.gid);
    chownSync(etc, 0, owner.gid);
  }
  let loc: DeviceKeyLocation;
  try {
    loc = deviceKeyLocation(security, BOARD_PATHS.data, {});
  } catch (err) {
    if (err instanceof DeviceKeyError && err.code === 'credentials') return log(`device key: a systemd credential (${err.path}); provision it on the board (docs/keys.md)`);
    throw err;
  }
  const key = L.at(loc.path);
  if (existsSync(key)) return;
  // The service user's own file, mode 0600: the firmware refuses a key others may read (firmware/keys/device-key.ts).
  await createDeviceKey(key, { owner });
  log(`created device key ${loc.path} (keep it: the open batch's card data for reversals cannot be read without it)`);
}

/** The API URL of the installed (running) version, from its board config. */
function installedApiUrl(L: Layout): string | undefined {
  const board = join(L.current, 'board.json');
  if (!existsSync(board)) return undefined;
  return `http://127.0.0.1:${loadBoard(board).api.port}`;
}

/** Deletes version folders other than the ones named (keeps current and previous). */
function pruneVersions(L: Layout, keep: Array<string | null>, log: (l: string) => void): void {
  const prefix = L.at(BOARD_PATHS.prefix);
  for (const name of readdirSync(prefix)) {
    if (name.startsWith('.') || ['current', 'previous', 'rollback.sh', 'update-pending'].includes(name) || keep.includes(name)) continue;
    log(`removing old version ${name}`);
    rmSync(join(prefix, name), { recursive: true, force: true });
  }
}

/**
 * Installs the bundle under `root`, or updates the installed terminal: refuses while money is in flight,
 * copies `/opt/posfw/<version>`, compiles the board's native modules, writes the user, udev rules and units,
 * switches `current` atomically, restarts, and switches back when the new version is not ready in time.
 * The data folder and device key are created once and never touched again.
 * @throws InstallError with an exit code and a message that says what to do.
 */
export async function install(opts: InstallOptions): Promise<InstallResult> {
  const log = opts.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  let bundle;
  try {
    log(`checked ${verifyManifest(opts.bundleDir)} files against SHA256SUMS`);
    bundle = readBundle(opts.bundleDir);
  } catch (err) {
    throw new InstallError((err as Error).message, 2);
  }
  const { version } = bundle.info;
  const L = layoutAt(opts.root);
  const access = deviceAccess(bundle.board);
  const running = linkTarget(L.current);
  if (running === version) {
    log(`${version} is already installed and current; nothing to do`);
    return { version, previous: running, outcome: 'unchanged' };
  }
  log(`${running ? `updating ${running} -> ${version}` : `installing ${version}`} (board ${bundle.info.board}, ${bundle.info.arch}, Node ${bundle.info.node}) under ${opts.root}`);

  if (running && opts.manager) {
    const apiUrl = opts.apiUrl ?? installedApiUrl(L) ?? `http://127.0.0.1:${bundle.board.api.port}`;
    const verdict = await checkUpdateAllowed({ apiUrl, requireSettled: opts.requireSettled ?? false });
    if (!verdict.allowed && !opts.force) throw new InstallError(`update refused: ${verdict.reason} (--force overrides)`, 3);
    log(verdict.allowed ? `update allowed: ${verdict.reason}` : `forced despite: ${verdict.reason}`);
  }
  const natives = opts.natives === 'none' ? [] : opts.natives === 'all' ? ['epoll', 'i2c-bus'] : access.natives;
  if (opts.dryRun) {
    log(`dry run: would copy to ${L.versionDir(version)}, compile [${natives.join(', ')}], grant groups [${access.groups.join(', ')}], write units and udev rules, switch current to ${version}${opts.manager ? ' and restart' : ''}`);
    return { version, previous: running, outcome: 'dry-run' };
  }

  // 1. The version folder, complete (natives compiled) before anything points at it.
  const dest = L.versionDir(version);
  const partial = `${dest}.partial`;
  rmSync(partial, { recursive: true, force: true });
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dirname(dest), { recursive: true });
  cpSync(opts.bundleDir, partial, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  try {
    await buildNatives(partial, natives, { node: bundle.nodeBinary ? join(partial, 'node', 'bin', 'node') : process.execPath, log });
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    throw new InstallError(`native modules: ${(err as Error).message}; nothing was changed`, 5);
  }
  renameSync(partial, dest);

  // 2. System files: user and groups, state folders, udev rules, units, the rollback script.
  const sysusers = L.at(join(BOARD_PATHS.sysusersDir, 'posfw.conf'));
  writeAtomic(sysusers, sysusersConf(SERVICE_USER, access.groups, BOARD_PATHS.data));
  if (opts.accounts ?? true) {
    mkdirSync(L.at('/etc'), { recursive: true });
    await mustRun('systemd-sysusers', [...(opts.root === '/' ? [] : [`--root=${opts.root}`]), sysusers]);
    log(`service user ${SERVICE_USER} in groups [${access.groups.join(', ') || 'none'}]`);
  }
  const owner = (opts.chown ?? process.getuid?.() === 0) ? lookupUser(opts.root, SERVICE_USER) : undefined;
  await prepareState(L, bundle.board.security, owner, log);
  writeAtomic(L.at(join(BOARD_PATHS.udevDir, '60-posfw.rules')), access.udevRules.join('\n') + '\n');
  writeAtomic(L.at(join(BOARD_PATHS.unitDir, 'posfw.service')), serviceUnit({ access, watchdogSec: opts.watchdogSec, runtime: bundle.board.runtime }));
  writeAtomic(L.at(join(BOARD_PATHS.unitDir, 'posfw-rollback.service')), rollbackUnit());
  writeAtomic(L.at(join(BOARD_PATHS.prefix, 'rollback.sh')), rollbackScript(), 0o755);

  // 3. Switch. The pending marker lets rollback.sh (OnFailure=) undo it even if this installer is gone.
  if (running && opts.manager) writeAtomic(L.pending, `${running}\n`);
  if (running) switchLink(L.previous, running);
  switchLink(L.current, version);
  log(`current -> ${version}`);
  if (!opts.manager) {
    log(`files installed under ${opts.root}; nothing started (start it with: systemctl enable --now posfw)`);
    return { version, previous: running, outcome: 'files-only' };
  }

  // 4. Restart and wait for READY=1 from the new version; otherwise go back.
  const timeoutMs = opts.readyTimeoutMs ?? 120_000;
  await opts.manager.reload();
  await opts.manager.enable();
  await opts.manager.restart();
  log(`waiting up to ${Math.round(timeoutMs / 1000)} s for ${version} to report ready`);
  if (await opts.manager.waitReady(version, timeoutMs)) {
    rmSync(L.pending, { force: true });
    pruneVersions(L, [version, running], log);
    log(`${version} is ready`);
    return { version, previous: running, outcome: 'installed' };
  }
  if (!running) throw new InstallError(`${version} did not become ready within ${Math.round(timeoutMs / 1000)} s and there is no earlier version to go back to; see posfw logs`, 4);
  switchLink(L.current, running);
  rmSync(L.pending, { force: true });
  await opts.manager.restart();
  const back = await opts.manager.waitReady(running, opts.rollbackTimeoutMs ?? timeoutMs);
  throw new InstallError(`${version} did not become ready within ${Math.round(timeoutMs / 1000)} s; rolled back to ${running}${back ? ', which is ready again' : ', which is not ready either (see posfw logs)'}; the data folder was not touched`, 4);
}

/** `posfw rollback`: point `current` back at `previous` and restart (manual undo of the last update). */
export async function rollbackToPrevious(opts: { root: string; manager?: ServiceManager; readyTimeoutMs?: number; log?: (l: string) => void }): Promise<string> {
  const log = opts.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const L = layoutAt(opts.root);
  const previous = linkTarget(L.previous);
  const current = linkTarget(L.current);
  if (!previous || !existsSync(L.versionDir(previous))) throw new InstallError(`no previous version under ${L.at(BOARD_PATHS.prefix)} to roll back to`, 1);
  switchLink(L.current, previous);
  if (current) switchLink(L.previous, current);
  rmSync(L.pending, { force: true });
  log(`current -> ${previous} (was ${current})`);
  if (opts.manager) {
    await opts.manager.restart();
    if (!(await opts.manager.waitReady(previous, opts.readyTimeoutMs ?? 120_000))) throw new InstallError(`${previous} did not become ready after the rollback; see posfw logs`, 4);
    log(`${previous} is ready`);
  }
  return previous;
}
