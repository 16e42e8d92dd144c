// socat pseudo-terminal pair for printer tests: start, wait for both links, kill (unplug) and restart at the same links.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface PtyPair {
  /** Link the driver opens (host side). */
  readonly host: string;
  /** Link the emulator opens (printer side). */
  readonly device: string;
  /** Kills socat: both ends see the line drop, the links disappear. */
  stop(): Promise<void>;
  /** Starts socat again with the same links (replug). */
  start(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, what: string, attempts = 300): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (check()) return;
    await sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Starts `socat pty,raw,echo=0,link=<dir>/host pty,raw,echo=0,link=<dir>/device` and waits for both links. */
export async function startPtyPair(dir: string, names = { host: 'host', device: 'device' }): Promise<PtyPair> {
  const host = join(dir, names.host);
  const device = join(dir, names.device);
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    if (child) throw new Error('socat already running');
    const proc = spawn('socat', [`pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${device}`], { stdio: 'ignore' });
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    proc.once('exit', () => {
      if (child === proc) child = undefined;
    });
    await waitFor(() => existsSync(host) && existsSync(device), `socat links ${host} and ${device}`);
  };

  const stop = async () => {
    const proc = child;
    if (!proc) return;
    proc.kill('SIGTERM');
    await exited;
    await waitFor(() => !existsSync(host) && !existsSync(device), 'socat links to disappear');
  };

  await start();
  return { host, device, start, stop };
}
