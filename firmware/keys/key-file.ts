// Key files on disk: written durably (temp file, fsync, rename, fsync the folder) and destroyed the same way.
import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Suffix of a key file being written; one left by a power cut is destroyed when its folder is next opened. */
export const TEMP_SUFFIX = '.tmp';

/** fsyncs a folder, so a rename or unlink in it survives a power cut (POSIX: the entry lives in the folder). */
export async function fsyncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/**
 * Writes `data` to `path` so that after a power cut the file is either absent or whole: a temp file in the same
 * folder (mode `mode`), fsynced, moved to `path`, then the folder fsynced. Resolves once durable. With
 * `exclusive` the move is a hard link, which fails atomically with EEXIST when `path` exists (never replaced).
 */
export async function writeFileDurably(path: string, data: Buffer | string, opts: { mode?: number; exclusive?: boolean } = {}): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
  const h = await open(tmp, 'wx', opts.mode ?? 0o600);
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
  try {
    if (opts.exclusive) {
      await link(tmp, path);
      await unlink(tmp);
    } else await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dirname(path));
}

/**
 * Destroys a key file: overwrites its bytes with random ones, fsyncs, unlinks it and fsyncs its folder. On a
 * file system that rewrites in place (ext4 without data journalling, the boards' default) the old bytes are gone
 * from the block device; flash translation layers may keep stale copies (docs/keys.md, "Limits"). Missing files
 * are fine: destroying is idempotent.
 */
export async function shredFile(path: string): Promise<void> {
  let h;
  try {
    h = await open(path, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const { size } = await h.stat();
    if (size > 0) await h.write(randomBytes(size), 0, size, 0);
    await h.sync();
  } finally {
    await h.close();
  }
  await unlink(path);
  await fsyncDir(dirname(path));
}
