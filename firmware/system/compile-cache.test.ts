// Compile cache flush: only when Node has a cache directory (NODE_COMPILE_CACHE on Node 22.1+).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flushCompileCache } from './compile-cache';

describe('flushCompileCache', () => {
  it('flushes when Node reports a cache directory and says where', () => {
    const calls: string[] = [];
    expect(flushCompileCache({ getCompileCacheDir: () => '/var/cache/posfw/compile', flushCompileCache: () => calls.push('flush') })).toBe('/var/cache/posfw/compile');
    expect(calls).toEqual(['flush']);
  });

  it('does nothing without a cache directory (no NODE_COMPILE_CACHE) or on a Node without the cache (20)', () => {
    const calls: string[] = [];
    expect(flushCompileCache({ getCompileCacheDir: () => undefined, flushCompileCache: () => calls.push('flush') })).toBeUndefined();
    expect(flushCompileCache({})).toBeUndefined();
    expect(calls).toEqual([]);
  });

  const node = process.execPath;
  const hasCache = spawnSync(node, ['-p', "typeof require('node:module').flushCompileCache"], { encoding: 'utf8' }).stdout.trim() === 'function';
  (hasCache ? it : it.skip)('with NODE_COMPILE_CACHE set, a real Node writes the cache at the flush, before any exit (when this Node has one)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'posfw-cc-'));
    try {
      // Killed right after the flush: what is on disk was written by the flush, not by a clean exit.
      const r = spawnSync(node, ['-e', "require('node:module').flushCompileCache(); process.kill(process.pid, 'SIGKILL')"], { env: { ...process.env, NODE_COMPILE_CACHE: dir } });
      expect(r.signal).toBe('SIGKILL');
      expect(readdirSync(dir).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
