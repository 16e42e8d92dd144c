// In-process terminal for flow integration tests: boots sim.json (or a variant) on ephemeral ports and drives it over HTTP.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { boot, type Terminal } from '../../firmware/main';
import { createLogger } from '../../firmware/log';
import type { Clock } from '../../firmware/common/clock';
import { startAcquirer, type Acquirer, type BdkSet } from '../../simulator/acquirer';
import type { PinResult } from '../../firmware/hal/pinpad/pinpad';

export const GOOD_PAN = '4761739001010010';
/** Service code 101: magstripe only, no chip. */
export const GOOD_TRACK2 = `;${GOOD_PAN}=30121010000000000000?`;
/** Same card, service code 201: has a chip. */
export const CHIP_TRACK2 = `;${GOOD_PAN}=30122010000000000000?`;
/** Expired in January 2020. */
export const EXPIRED_TRACK2 = `;${GOOD_PAN}=20011010000000000000?`;
/** Last digit changed: fails Luhn. */
export const BAD_LUHN_TRACK2 = ';4761739001010011=30121010000000000000?';

const SIM_BOARD = resolve(__dirname, '../../board-configs/sim.json');

export interface Reply<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  status: number;
  body: T;
}

export interface BootVariant {
  /** Merged into the board's host / policy / operators / terminal sections. */
  host?: Record<string, unknown>;
  policy?: Record<string, unknown>;
  operators?: Record<string, unknown>;
  terminal?: Record<string, unknown>;
  /** Replaces the board's display (e.g. `{ driver: 'sim', cols: 16, rows: 2 }`). */
  display?: Record<string, unknown>;
  /** Merged into the board's api section (keys, limits, webhook). */
  api?: Record<string, unknown>;
  /** Log level of the captured log (default info). */
  logLevel?: string;
  /** The terminal's one clock (a FakeClock lets a test step through timeouts). */
  clock?: Clock;
  /** Runs on the terminal's data folder before it boots (e.g. `posfw keys load-pinpad` against it). */
  prepare?: (dataDir: string) => Promise<void>;
  /** The acquirer simulator's BDKs (default: the X9.24 test BDKs). */
  acquirerBdk?: Buffer | BdkSet;
}

/** Polls `fn` until it returns a truthy value; throws `what` after `timeoutMs`. Bounded. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 5000, everyMs = 20): Promise<T> {
  const rounds = Math.ceil(timeoutMs / everyMs);
  let last: unknown;
  for (let i = 0; i <= rounds; i++) {
    last = await fn();
    if (last) return last as T;
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** A board variant with a short host timeout and quick reversal repeats, for fault tests. */
export const FAST_HOST: BootVariant = { host: { responseTimeoutMs: 800 }, policy: { reversalRetryMs: 100, reversalRetryMaxMs: 400 } };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Harness {
  /** PIN blocks the PIN pad produced (hex), to prove they are never stored or logged. */
  readonly pinBlocks: string[] = [];
  /**
   * `MTI reference` of every financial request and reversal the terminal sent to the host (a spy on the host link;
   * the reference is field 62). Network management (sign-on at boot, echo) carries no reference and is left out.
   */
  readonly hostRequests: string[] = [];
  /** Requests in flight, aborted by stop() so a failed test never leaves the API waiting for a long ECR POST. */
  private readonly inFlight = new Set<AbortController>();

  private constructor(
    readonly terminal: Terminal,
    /** The acquirer simulator this terminal talks to (what `posfw sim` embeds). */
    readonly acquirer: Acquirer,
    readonly dataDir: string,
    readonly logLines: string[],
  ) {
    const link = terminal.money.link;
    const send = link.request.bind(link);
    link.request = (msg, opts) => {
      const ref = msg.fields[62];
      if (ref !== undefined) this.hostRequests.push(`${msg.mti} ${String(ref).trim()}`);
      return send(msg, opts);
    };
    const entry = terminal.devices.pinpad?.entry;
    if (entry) {
      const original = entry.requestPin.bind(entry);
      entry.requestPin = async (req) => {
        const r: PinResult = await original(req);
        if (r.kind === 'pin') this.pinBlocks.push(r.pinBlock.toString('hex'));
        return r;
      };
    }
  }

  static async start(variant: BootVariant = {}): Promise<Harness> {
    const dataDir = mkdtempSync(join(tmpdir(), 'posfw-flows-'));
    let boardFile = SIM_BOARD;
    if (variant.host || variant.policy || variant.api || variant.operators || variant.terminal || variant.display) {
      const board = JSON.parse(readFileSync(SIM_BOARD, 'utf8'));
      board.host = { ...board.host, ...variant.host };
      board.policy = { ...board.policy, ...variant.policy };
      board.api = { ...board.api, ...variant.api };
      board.operators = { ...board.operators, ...variant.operators };
      board.terminal = { ...board.terminal, ...variant.terminal };
      if (variant.display) board.devices.display = variant.display;
      boardFile = join(dataDir, 'board.json');
      writeFileSync(boardFile, JSON.stringify(board));
    }
    const logLines: string[] = [];
    const log = createLogger({ level: variant.logLevel ?? 'info', destination: { write: (s: string) => void logLines.push(s) } });
    if (variant.prepare) await variant.prepare(join(dataDir, 'data'));
    const acquirer = await startAcquirer({ port: 0, adminPort: 0, dataDir: join(dataDir, 'data', 'acquirer'), log, bdk: variant.acquirerBdk });
    try {
      const terminal = await boot({ simControl: true, boardFile, dataDir: join(dataDir, 'data'), apiPort: 0, acquirer: `127.0.0.1:${acquirer.port}`, acquirerAdminUrl: acquirer.adminUrl, log, clock: variant.clock });
      return new Harness(terminal, acquirer, join(dataDir, 'data'), logLines);
    } catch (err) {
      await acquirer.stop();
      throw err;
    }
  }

  /** Stops the terminal; `keepData` leaves the data folder for inspection (call cleanup() after). */
  async stop(keepData = false): Promise<void> {
    for (const c of this.inFlight) c.abort();
    await this.terminal.stop();
    await this.acquirer.stop();
    if (!keepData) this.cleanup();
  }

  cleanup(): void {
    rmSync(resolve(this.dataDir, '..'), { recursive: true, force: true });
  }

  get adminUrl(): string {
    return this.acquirer.adminUrl;
  }

  async call<T = any>(method: string, url: string, body?: unknown, raw?: string): Promise<Reply<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const hasBody = body !== undefined || raw !== undefined;
    const abort = new AbortController();
    this.inFlight.add(abort);
    try {
      const res = await fetch(url.startsWith('http') ? url : this.terminal.apiUrl + url, {
        method,
        headers: hasBody ? { 'content-type': 'application/json' } : undefined,
        body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
        signal: abort.signal,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    } finally {
      this.inFlight.delete(abort);
    }
  }

  /** POST /v1/transactions; blocks until decided unless `wait` is small. Start it without awaiting, then drive the devices. */
  startTxn(body: Record<string, unknown>): Promise<Reply> {
    return this.call('POST', '/v1/transactions', body);
  }

  txn(reference: string): Promise<Reply> {
    return this.call('GET', `/v1/transactions/${encodeURIComponent(reference)}`);
  }

  cancel(reference: string): Promise<Reply> {
    return this.call('POST', `/v1/transactions/${encodeURIComponent(reference)}/cancel`);
  }

  async swipe(track2 = GOOD_TRACK2): Promise<Reply> {
    return this.call('POST', '/sim/card', { track2 });
  }

  pin(pin = '1234'): Promise<Reply> {
    return this.call('POST', '/sim/pin', { pin });
  }

  scan(data: string): Promise<Reply> {
    return this.call('POST', '/sim/scan', { data });
  }

  bypass(): Promise<Reply> {
    return this.call('POST', '/sim/pin', { bypass: true });
  }

  keys(...keys: string[]): Promise<Reply> {
    return this.call('POST', '/sim/keys', { keys });
  }

  async lcd(): Promise<string[]> {
    return (await this.call('GET', '/sim/lcd')).body.lines as string[];
  }

  /** Waits until some LCD line matches `pattern`; returns the lines. */
  async waitLcd(pattern: RegExp, timeoutMs = 5000): Promise<string[]> {
    let seen: string[] = [];
    try {
      return await waitFor(`LCD ${pattern}`, async () => {
        seen = await this.lcd();
        return seen.some((l) => pattern.test(l)) ? seen : undefined;
      }, timeoutMs);
    } catch (err) {
      throw new Error(`${(err as Error).message}; the LCD showed ${JSON.stringify(seen)}`);
    }
  }

  async receipts(): Promise<Array<{ seq: number; complete: boolean; text: string }>> {
    return (await this.call('GET', '/sim/receipts')).body.receipts;
  }

  async ledger(reference?: string): Promise<any[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const q = reference === undefined ? '' : `?reference=${encodeURIComponent(reference)}`;
    return (await this.call('GET', `${this.adminUrl}/ledger${q}`)).body.entries;
  }

  faults(config: Record<string, unknown>): Promise<Reply> {
    return this.call('POST', `${this.adminUrl}/faults`, config);
  }

  clearFaults(): Promise<Reply> {
    return this.call('DELETE', `${this.adminUrl}/faults`);
  }

  health(): Promise<Reply> {
    return this.call('GET', '/v1/health');
  }

  /** Waits until the reversal of `reference` is acknowledged and the SAF queue is empty; returns the ECR view. */
  async waitReversed(reference: string, timeoutMs = 8000): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const view = await waitFor(`reversal of ${reference} done`, async () => {
      const v = (await this.txn(reference)).body;
      return v.reversal === 'done' ? v : undefined;
    }, timeoutMs);
    await waitFor('SAF queue empty', async () => (await this.health()).body.safPending === 0);
    return view;
  }

  /** Waits until the terminal takes no transaction (the last flow printed and finished). */
  waitIdle(timeoutMs = 5000): Promise<true> {
    return waitFor('terminal not busy', () => !this.terminal.controller.busy, timeoutMs);
  }

  /**
   * A card sale (or pre-auth / balance) from the ECR: POST, wait for the swipe prompt, swipe, answer the PIN pad,
   * and return the ECR's answer once the flow finished printing.
   */
  async cardTxn(body: Record<string, unknown>, opts: { track2?: string; pin?: string | 'bypass' } = {}): Promise<Reply> {
    let answered: Reply | undefined;
    const answer = this.startTxn(body).then((r) => (answered = r));
    await this.waitLcd(/^SWIPE CARD$/).catch((err: Error) => {
      throw new Error(`${err.message}; the ECR ${answered ? `answered ${answered.status} ${JSON.stringify(answered.body)}` : 'has no answer yet'}`);
    });
    await this.swipe(opts.track2 ?? GOOD_TRACK2);
    const p = opts.pin === 'bypass' ? await this.bypass() : await this.pin(opts.pin ?? '1234');
    if (p.status !== 200) throw new Error(`PIN pad refused: ${JSON.stringify(p.body)}`);
    const r = await answer;
    await this.waitIdle();
    return r;
  }

  /** A referenced transaction (void, refund, completion): no card, no PIN. */
  async referencedTxn(body: Record<string, unknown>): Promise<Reply> {
    const r = await this.startTxn(body);
    await this.waitIdle();
    return r;
  }
}
