// Pseudo-terminal pairs from socat: two linked serial paths, one for a driver and one for an emulated device.
import { spawn } from 'node:child_process';
import { lstatSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface PtyPair {
  /** Link to one end (give it to the driver). */
  a: string;
  /** Link to the other end (give it to the emulator). */
  b: string;
  /** Stops socat: both ends see the line go away (an unplug). Resolves once it exited and the links are gone. Safe twice. */
  close(): Promise<void>;
}

export interface PtyPairOptions {
  /** Link file names inside `dir`. Default `pty-a` / `pty-b`. Reusing them after close() replugs at the same paths. */
  names?: [string, string];
  /** How long to wait for socat to set up the links. Default 5000. */
  timeoutMs?: number;
}

/** Characters socat treats as address syntax; a path containing one would be misread. */
const SOCAT_SPECIAL = /[,:!'"\s\\]/;

function removeStaleLink(path: string): void {
  let isLink = false;
  try {
    const st = lstatSync(path);
    if (!st.isSymbolicLink()) throw new Error(`createPtyPair(): ${path} exists and is not a symlink; refusing to replace it`);
    isLink = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (isLink) rmSync(path, { force: true });
}

/**
 * Runs `socat -d -d pty,raw,echo=0,link=<dir>/<a> pty,raw,echo=0,link=<dir>/<b>` and resolves once
 * socat reports its transfer loop and both links exist. Rejects when socat is missing (install it:
 * `apt install socat`), exits early, or is not ready within `timeoutMs`. Throws synchronously on bad paths.
 */
export function createPtyPair(dir: string, opts: PtyPairOptions = {}): Promise<PtyPair> {
  const [nameA, nameB] = opts.names ?? ['pty-a', 'pty-b'];
  const a = join(dir, nameA);
  const b = join(dir, nameB);
  if (a === b) throw new TypeError('createPtyPair(): the two link names must differ');
  for (const p of [a, b]) if (SOCAT_SPECIAL.test(p)) throw new TypeError(`createPtyPair(): link path ${JSON.stringify(p)} contains a character socat cannot take (, : ! quotes, spaces)`);
  mkdirSync(dir, { recursive: true });
  removeStaleLink(a);
  removeStaleLink(b);

  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('close', () => ((exited = true), resolve())));

  const close = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exit;
      clearTimeout(killer);
    }
    removeStaleLink(a);
    removeStaleLink(b);
  };

  return new Promise<PtyPair>((resolve, reject) => {
    let log = '';
    let ready = false;
    const fail = (message: string) => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      void close().finally(() => reject(new Error(message)));
    };
    const timer = setTimeout(() => fail(`createPtyPair(): socat did not set up ${a} / ${b} within ${opts.timeoutMs ?? 5000} ms: ${log.trim()}`), opts.timeoutMs ?? 5000);
    child.once('error', (err: NodeJS.ErrnoException) =>
      fail(err.code === 'ENOENT' ? 'createPtyPair(): socat is not installed (apt install socat)' : `createPtyPair(): cannot run socat: ${err.message}`),
    );
    void exit.then(() => fail(`createPtyPair(): socat exited before the pair was ready: ${log.trim()}`));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      if (ready) return; // keep draining so socat never blocks on a full pipe
      log = (log + text).slice(-2000);
      if (!log.includes('starting data transfer loop')) return;
      try {
        lstatSync(a);
        lstatSync(b);
      } catch {
        return fail(`createPtyPair(): socat started but the links ${a} / ${b} are missing`);
      }
      ready = true;
      clearTimeout(timer);
      resolve({ a, b, close });
    });
  });
}
