// Which process holds a LevelDB folder's LOCK (Linux /proc/locks), so "in use" can say by whom.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface LockHolder {
  pid: number;
  /** The holder's command line, when /proc lets us read it. */
  command?: string;
}

/** Major and minor device numbers of a Linux dev_t (glibc's gnu_dev_major / gnu_dev_minor). */
function majorMinor(dev: bigint): [bigint, bigint] {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return [major, minor];
}

/**
 * The process holding the POSIX lock on `dbDir`/LOCK, from /proc/locks; undefined when nobody holds it or the
 * platform has no /proc/locks (the caller then says "in use" without a name).
 */
export function lockHolder(dbDir: string, procLocks = '/proc/locks'): LockHolder | undefined {
  let st;
  let table: string;
  try {
    st = statSync(join(dbDir, 'LOCK'), { bigint: true });
    table = readFileSync(procLocks, 'utf8');
  } catch {
    return undefined;
  }
  const [major, minor] = majorMinor(st.dev);
  for (const line of table.split('\n')) {
    const m = /^\d+:\s+(?:POSIX|FLOCK|OFDLCK)\s+\S+\s+\S+\s+(-?\d+)\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s/.exec(line);
    if (!m || BigInt(m[4]) !== st.ino || BigInt(`0x${m[2]}`) !== major || BigInt(`0x${m[3]}`) !== minor) continue;
    const pid = Number(m[1]);
    if (pid <= 0) continue;
    let command: string | undefined;
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') || undefined;
    } catch {
      command = undefined;
    }
    return { pid, command };
  }
  return undefined;
}

/** "in use by process 1234 (node bin/posfw.js sim)" or "in use by another process". */
export function inUseText(dbDir: string): string {
  const h = lockHolder(dbDir);
  if (!h) return 'in use by another process';
  return `in use by process ${h.pid}${h.command ? ` (${h.command.slice(0, 120)})` : ''}`;
}

/** True for the error LevelDB gives when another process holds the folder. */
export function isLockedError(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string; message?: string } } | undefined;
  return e?.code === 'LEVEL_LOCKED' || e?.cause?.code === 'LEVEL_LOCKED' || /already held by process|lock .*LOCK/.test(e?.cause?.message ?? '');
}
