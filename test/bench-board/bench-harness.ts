// In-process bench terminal for tests: startBench in a temp folder, boot with its peers, /sim served over the emulators.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { boot, type Terminal } from '../../firmware/main';
import { createLogger } from '../../firmware/log';
import { startBench, type Bench } from '../../simulator/bench';
import { startPeers, type Peers } from '../../simulator/peers';
import { loadBoard } from '../../firmware/board/load';
import { http } from '../helpers/procs';

export const BENCH_BOARD = resolve(__dirname, '../../board-configs/bench-emulated.json');

export interface Reply<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  status: number;
  body: T;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; throws naming `what` and the last value after `timeoutMs`. Bounded. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 8000, everyMs = 25): Promise<T> {
  const rounds = Math.ceil(timeoutMs / everyMs);
  let last: unknown;
  for (let i = 0; i <= rounds; i++) {
    last = await fn();
    if (last) return last as T;
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** HTTP against a base URL, JSON both ways (test/helpers/procs.ts does the work). */
export function call<T = any>(base: string, method: string, path: string, body?: unknown): Promise<Reply<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return http<T>(base + path, body, method);
}

/** The /sim surface both suites drive (in-process and over a `posfw run --emulate` process). */
export class SimClient {
  /** The terminal serves the ECR API and /sim on one port. */
  constructor(readonly apiUrl: string) {}

  api<T = any>(method: string, path: string, body?: unknown): Promise<Reply<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return call<T>(this.apiUrl, method, path, body);
  }

  sim<T = any>(method: string, path: string, body?: unknown): Promise<Reply<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return call<T>(this.apiUrl, method, path, body);
  }

  async lcd(): Promise<string[]> {
    return (await this.sim('GET', '/sim/lcd')).body.lines as string[];
  }

  /** Waits until some LCD line matches `pattern`; returns the lines. */
  waitLcd(pattern: RegExp, timeoutMs = 8000): Promise<string[]> {
    return waitFor(`LCD ${pattern}`, async () => {
      const lines = await this.lcd();
      return lines.some((l) => pattern.test(l)) ? lines : undefined;
    }, timeoutMs);
  }

  keys(...keys: string[]): Promise<Reply> {
    return this.sim('POST', '/sim/keys', { keys });
  }

  swipe(track2: string): Promise<Reply> {
    return this.sim('POST', '/sim/card', { track2 });
  }

  pin(pin: string): Promise<Reply> {
    return this.sim('POST', '/sim/pin', { pin });
  }

  async receipts(): Promise<Array<{ seq: number; complete: boolean; text: string; bytes: string }>> {
    return (await this.sim('GET', '/sim/receipts')).body.receipts;
  }

  printer(change: Record<string, unknown>): Promise<Reply> {
    return this.sim('POST', '/sim/printer', change);
  }
}

export interface BenchTerminal {
  bench: Bench;
  terminal: Terminal;
  /** The acquirer simulator the bench board embeds. */
  peers: Peers;
  client: SimClient;
  logLines: string[];
  stop(): Promise<void>;
}

/** startBench (links in a temp folder) + boot on ephemeral ports, with `controls` offered to boot as well. */
export async function startBenchTerminal(): Promise<BenchTerminal> {
  const root = mkdtempSync(join(tmpdir(), 'posfw-bench-'));
  const dataDir = join(root, 'data');
  const logLines: string[] = [];
  const log = createLogger({ level: 'info', destination: { write: (s: string) => void logLines.push(s) } });
  const bench = await startBench(BENCH_BOARD, { dataDir, log, dir: join(root, 'links') });
  let terminal: Terminal;
  let peers: Peers | undefined;
  try {
    peers = await startPeers(loadBoard(bench.boardFile), { dataDir, log, acquirerPort: 0, acquirerAdminPort: 0 });
    terminal = await boot({ simControl: true, boardFile: bench.boardFile, dataDir, log, peers: bench.peers, controls: bench.controls, apiPort: 0, acquirer: peers.acquirer, acquirerAdminUrl: peers.acquirerAdminUrl });
  } catch (err) {
    await peers?.close();
    await bench.close();
    throw err;
  }
  const started = peers;
  return {
    bench,
    terminal,
    peers: started,
    client: new SimClient(terminal.apiUrl),
    logLines,
    async stop() {
      await terminal.stop();
      await started.close();
      await bench.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
