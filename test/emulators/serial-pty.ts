// Real pseudo-terminal pair from socat for serial driver tests: the driver opens A, the emulated device writes to B.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** Link the driver opens. */
  a: string;
  /** Link the emulated device writes to. */
  b: string;
  /** Writes bytes to B, as the device would send them. */
  write(data: string | Uint8Array): void;
  /** Kills socat (the device is "unplugged": both links disappear). */
  unplug(): Promise<void>;
  /** Starts socat again with the same link paths. */
  replug(): Promise<void>;
  /** Kills socat and removes the folder. */
  stop(): Promise<void>;
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  for (let waited = 0; waited <= timeoutMs; waited += 10) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Starts `socat -d -d pty,raw,echo=0,link=DIR/A pty,raw,echo=0,link=DIR/B` and waits for both links. */
export async function startPtyPair(prefix = 'posfw-pty-'): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const a = join(dir, 'A');
  const b = join(dir, 'B');
  let proc: ChildProcess | undefined;
  let bFd: number | undefined;

  const closeB = () => {
    if (bFd !== undefined) closeSync(bFd);
    bFd = undefined;
  };
  const start = async () => {
    const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
    proc = child;
    let failed: Error | undefined;
    child.on('error', (e) => (failed = e));
    await waitFor(() => failed !== undefined || (existsSync(a) && existsSync(b)), 'socat pty links');
    if (failed) throw failed;
  };
  const kill = async () => {
    closeB();
    const child = proc;
    proc = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    await waitFor(() => !existsSync(a) && !existsSync(b), 'socat to remove its links');
  };

  await start();
  return {
    a,
    b,
    write(data) {
      // keep B open between writes so that bytes are never lost to a pty hang-up between two writes
      bFd ??= openSync(b, 'w');
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let off = 0, guard = 0; off < bytes.length && guard < 1_000_000; guard++) off += writeSync(bFd, bytes, off);
    },
    unplug: kill,
    replug: start,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
