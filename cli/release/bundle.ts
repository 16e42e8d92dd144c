// A release bundle on disk: its identity (VERSION, release.json, board.json) and its SHA256SUMS check.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBoard } from '../../firmware/board/load';
import type { BoardConfig } from '../../firmware/board/schema';

export interface ReleaseInfo {
  name: string;
  version: string;
  board: string;
  arch: 'x64' | 'arm64' | 'armv7';
  /** Bundled Node version, or "system" (armv7: the board's own Node). */
  node: string;
  commit: string;
}

export interface Bundle {
  dir: string;
  info: ReleaseInfo;
  board: BoardConfig;
  /** Bundled Node binary, if the bundle carries one. */
  nodeBinary?: string;
}

/** A version string usable as a folder name: no slashes, no leading dot. */
export const VERSION_PATTERN = /^[0-9A-Za-z][0-9A-Za-z._+-]*$/;

/**
 * Reads a bundle folder (an unpacked release tarball).
 * @throws Error naming the file when VERSION, release.json or board.json is missing or invalid.
 */
export function readBundle(dir: string): Bundle {
  const need = (f: string) => {
    const p = join(dir, f);
    if (!existsSync(p)) throw new Error(`${dir}: not a posfw release bundle (no ${f})`);
    return p;
  };
  const version = readFileSync(need('VERSION'), 'utf8').trim();
  if (!VERSION_PATTERN.test(version)) throw new Error(`${join(dir, 'VERSION')}: "${version}" is not a usable version (letters, digits, . _ + -)`);
  const info = JSON.parse(readFileSync(need('release.json'), 'utf8')) as ReleaseInfo;
  if (info.version !== version) throw new Error(`${join(dir, 'release.json')}: version ${info.version} differs from VERSION ${version}`);
  const board = loadBoard(need('board.json'));
  const node = join(dir, 'node', 'bin', 'node');
  return { dir, info, board, nodeBinary: existsSync(node) ? node : undefined };
}

/**
 * Checks every file listed in SHA256SUMS (sha256sum format). Returns the number of files checked.
 * @throws Error listing the first mismatching or missing files.
 */
export function verifyManifest(dir: string): number {
  const manifest = join(dir, 'SHA256SUMS');
  if (!existsSync(manifest)) throw new Error(`${dir}: no SHA256SUMS manifest; refusing an unverifiable bundle`);
  const bad: string[] = [];
  let count = 0;
  for (const line of readFileSync(manifest, 'utf8').split('\n')) {
    if (!line) continue;
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m) throw new Error(`${manifest}: malformed line "${line.slice(0, 80)}"`);
    count++;
    const file = join(dir, m[2]);
    if (!existsSync(file)) bad.push(`${m[2]} (missing)`);
    else if (createHash('sha256').update(readFileSync(file)).digest('hex') !== m[1]) bad.push(`${m[2]} (changed)`);
    if (bad.length >= 5) break;
  }
  if (bad.length) throw new Error(`${dir}: bundle does not match SHA256SUMS: ${bad.join(', ')}`);
  return count;
}
