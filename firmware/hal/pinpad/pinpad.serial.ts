// Serial PIN pad driver: the framed PIN pad protocol over serialport, with reconnect; PIN entry and key loading kept apart.
import { systemClock, type Clock } from '../../common/clock';
import { Listeners, type Unsubscribe } from '../../common/listeners';
import { DeviceError } from '../device';
import type { DriverContext } from '../driver-context';
import type { PinpadConfig } from '../../board/devices';
import type { Logger } from '../../log';
import type { InitialKey, PinEntry, PinPad, PinPadKeyLoading, PinRequest, PinResult } from './pinpad';
import { SerialLine } from '../serial/serial-line';
import { PinPadLink, type LinkEvent } from './pinpad-link';
import { ANY_REF, ProtocolViolation, decodeMessage, encodeMessage, type PinPadMessage } from './pinpad-protocol';
import { loadKeyMessage, pinEntryMessage } from './pinpad-requests';
import { ReplyTable } from './pinpad.serial-replies';

export type SerialPinPadConfig = Extract<PinpadConfig, { driver: 'serial' }>;

/** Driver tuning; time itself (ACK, reply and entry timeouts, reconnects) comes from `ctx.clock`. */
export interface SerialPinPadOptions {
  /** Deadline for a STATUS / LOAD_KEY reply once the request was ACKed. Default max(1000, ackTimeoutMs × (retries + 2)). */
  replyTimeoutMs?: number;
}

/** What the pad reported when asked for its status (KSN of its last transaction, or the initial KSN). */
export interface SerialPinPadStatus {
  state: 'idle' | 'prompting';
  scheme: InitialKey['scheme'];
  ksn: Buffer;
  version: string;
}

type PinResultMessage = Extract<PinPadMessage, { cmd: 'pinResult' }>;

/**
 * PIN pad on a serial line. `entry` is all a flow ever gets: a frozen object holding only
 * `requestPin`, with no path back to this device or to `keys`. `keys` (initial key injection)
 * is handed to the key-loading tool alone (Tock HIL rule: control apart from data).
 * Faults: ENODEV (open: port missing or pad silent), ETIMEOUT (pad stops ACKing or replying),
 * EPROTO (pad breaks the protocol), EIO (unplugged; the driver reconnects every `reconnectMs`),
 * ECANCELED (closed underneath), EBUSY (one request at a time). No PIN block, key or PAN is logged.
 */
export class SerialPinPad implements PinPad {
  readonly deviceClass = 'pinpad' as const;
  readonly driver = 'serial';
  /** PIN entry for flows. Resolves pin/bypass/cancelled (pad CANCEL or caller abort)/timeout; rejects with DeviceError on faults. */
  readonly entry: PinEntry;
  /** Initial key loading; never hand this to a flow. Resolves once the pad confirms the key and KSN. */
  readonly keys: PinPadKeyLoading;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly replyTimeoutMs: number;
  private readonly errors = new Listeners<DeviceError>();
  private readonly replies: ReplyTable;
  private readonly line: SerialLine;
  private readonly link: PinPadLink;
  private state: 'closed' | 'opening' | 'open' | 'down' = 'closed';
  private opening: Promise<void> | undefined;
  private busy: 'entry' | 'keys' | undefined;
  private ref = 1 + Math.floor(Math.random() * 0xfffe);

  constructor(
    private readonly config: SerialPinPadConfig,
    ctx: Pick<DriverContext, 'log' | 'clock'>,
    opts: SerialPinPadOptions = {},
  ) {
    this.log = ctx.log.child({ ns: 'hal.pinpad' });
    this.clock = ctx.clock ?? systemClock;
    this.replyTimeoutMs = opts.replyTimeoutMs ?? Math.max(1000, config.ackTimeoutMs * (config.retries + 2));
    this.replies = new ReplyTable(this.clock);
    // hupcl off: closing the port must not drop DTR (pads that watch it reset and lose their prompt).
    this.line = new SerialLine({ path: config.path, baudRate: config.baudRate, reconnectMs: config.reconnectMs, log: this.log, clock: this.clock, hupcl: false });
    this.line.onData((chunk) => this.link.receive(chunk));
    this.line.onDown((err) => this.onDown(err));
    this.line.onUp(() => this.onUp());
    this.link = new PinPadLink({
      // A frame lost to a failed write is retransmitted by the link (or the line goes down): log, never throw.
      write: (bytes) => void this.line.write(bytes).catch((err: DeviceError) => this.log.debug({ code: err.code, err: err.message }, 'serial write failed')),
      onBody: (body) => this.onBody(body),
      onEvent: (e) => this.onLinkEvent(e),
      ackTimeoutMs: config.ackTimeoutMs,
      retries: config.retries,
      clock: this.clock,
    });
    this.entry = Object.freeze({ requestPin: (req: PinRequest) => this.requestPin(req) });
    this.keys = Object.freeze({ loadInitialKey: (key: InitialKey) => this.loadInitialKey(key) });
  }

  /**
   * Opens the port and asks the pad for its status (cancelling a prompt left over from before). Rejects with the
   * line's ENODEV / EIO / EDRIVER when the port cannot be opened, ENODEV when no pad answers, ECANCELED when closed first.
   */
  open(): Promise<void> {
    if (this.state === 'open' || this.state === 'down') return Promise.resolve();
    this.opening ??= this.doOpen().finally(() => (this.opening = undefined));
    return this.opening;
  }

  /** Closes the port; a pending PIN entry or key load rejects with ECANCELED. Safe to call twice. */
  async close(): Promise<void> {
    if (this.state === 'closed' && !this.opening) return;
    this.state = 'closed';
    const err = new DeviceError('ECANCELED', 'PIN pad closed');
    this.replies.failAll(err);
    this.link.reset(err);
    await this.line.close();
  }

  onError(listener: (err: DeviceError) => void): Unsubscribe {
    return this.errors.add(listener);
  }

  /** Asks the pad for its state, scheme, KSN and firmware version. Rejects ETIMEOUT / EPROTO / EIO. */
  async status(): Promise<SerialPinPadStatus> {
    this.requireUsable('status()');
    const reply = await this.exchange({ cmd: 'status', ref: this.newRef() }, ['statusReply'], this.replyTimeoutMs);
    return { state: reply.state, scheme: reply.scheme, ksn: reply.ksn, version: reply.version };
  }

  private async doOpen(): Promise<void> {
    this.state = 'opening';
    try {
      await this.line.open(); // its ENODEV / EIO / EDRIVER (naming the path) or ECANCELED pass through
    } catch (err) {
      if (this.state === 'opening') this.state = 'closed';
      throw err;
    }
    try {
      const status = await this.probe();
      if (this.state !== 'opening') throw new DeviceError('ECANCELED', 'PIN pad closed while opening');
      this.state = 'open';
      this.log.info({ path: this.config.path, scheme: status.scheme, version: status.version }, 'PIN pad ready');
    } catch (err) {
      if (this.state === 'opening') this.state = 'closed';
      this.link.reset();
      await this.line.close();
      if (err instanceof DeviceError && err.code === 'ECANCELED') throw err;
      throw new DeviceError('ENODEV', `no PIN pad answering on ${this.config.path}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** STATUS, then cancels any prompt the pad still shows for a request this driver no longer knows. */
  private async probe(): Promise<SerialPinPadStatus> {
    const reply = await this.exchange({ cmd: 'status', ref: this.newRef() }, ['statusReply'], this.replyTimeoutMs);
    if (reply.state === 'prompting' && !this.busy) await this.link.send(encodeMessage({ cmd: 'pinCancel', ref: ANY_REF }));
    return { state: reply.state, scheme: reply.scheme, ksn: reply.ksn, version: reply.version };
  }

  private requestPin(req: PinRequest): Promise<PinResult> {
    const msg = pinEntryMessage(req, this.newRef());
    try {
      this.requireUsable('requestPin()');
      if (this.busy) throw new DeviceError('EBUSY', `PIN pad is busy (${this.busy === 'entry' ? 'PIN entry' : 'key loading'} in progress)`);
    } catch (err) {
      return Promise.reject(err);
    }
    if (req.signal?.aborted) return Promise.resolve({ kind: 'cancelled' });
    this.busy = 'entry';
    return this.runEntry(msg, req.signal).finally(() => (this.busy = undefined));
  }

  private runEntry(msg: Extract<PinPadMessage, { cmd: 'pinEntry' }>, signal: AbortSignal | undefined): Promise<PinResult> {
    const waiter = this.replies.wait(msg.ref, ['pinResult']);
    return new Promise<PinResult>((resolve, reject) => {
      let done = false;
      let stopping: 'cancelled' | 'timeout' | undefined;
      const finish = (settle: () => void) => {
        if (done) return;
        done = true;
        this.clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        waiter.cancel();
        settle();
      };
      const stop = (kind: 'cancelled' | 'timeout') => {
        if (stopping || done) return;
        stopping = kind;
        this.log.debug({ ref: msg.ref, why: kind }, 'cancelling PIN entry on the pad');
        this.link.send(encodeMessage({ cmd: 'pinCancel', ref: msg.ref })).then(
          () => finish(() => resolve({ kind })),
          (err: DeviceError) => finish(() => (kind === 'cancelled' ? resolve({ kind }) : reject(err))),
        );
      };
      const onAbort = () => stop('cancelled');
      const timer = this.clock.setTimeout(() => stop('timeout'), msg.timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      waiter.promise.then(
        (m) => finish(() => resolve(toPinResult(m, stopping))),
        (err: DeviceError) => finish(() => reject(err)),
      );
      this.link.send(encodeMessage(msg)).catch((err: DeviceError) => {
        if (err.code === 'ETIMEOUT') {
          // The pad may have got the request and lost only our view of its ACK: make sure it stops prompting.
          this.link.send(encodeMessage({ cmd: 'pinCancel', ref: msg.ref })).catch(() => undefined);
        }
        finish(() => reject(err));
      });
    });
  }

  private loadInitialKey(key: InitialKey): Promise<void> {
    const msg = loadKeyMessage(key, this.newRef());
    try {
      this.requireUsable('loadInitialKey()');
      if (this.busy) throw new DeviceError('EBUSY', 'PIN pad is busy; load keys when no PIN entry is in progress');
    } catch (err) {
      return Promise.reject(err);
    }
    this.busy = 'keys';
    return this.exchange(msg, ['keyLoaded'], this.replyTimeoutMs)
      .then((reply) => {
        if (!reply.ksn.equals(msg.ksn)) throw new DeviceError('EPROTO', 'PIN pad confirmed a different KSN than the one loaded');
        this.log.info({ scheme: msg.scheme }, 'initial key loaded into the PIN pad');
      })
      .finally(() => (this.busy = undefined));
  }

  private async exchange<N extends PinPadMessage['cmd']>(msg: PinPadMessage, expect: readonly N[], replyTimeoutMs: number) {
    const waiter = this.replies.wait(msg.ref, expect);
    try {
      await this.link.send(encodeMessage(msg));
    } catch (err) {
      waiter.cancel();
      throw err;
    }
    waiter.arm(replyTimeoutMs);
    return waiter.promise;
  }

  private onBody(body: Buffer): void {
    let m: PinPadMessage;
    try {
      m = decodeMessage(body);
    } catch (err) {
      const v = err as ProtocolViolation;
      const e = new DeviceError('EPROTO', `PIN pad sent a malformed message: ${v.message}`, { cause: err });
      this.log.warn({ ref: v.ref, err: v.message }, 'PIN pad protocol violation');
      if (v.ref !== undefined) this.replies.fail(v.ref, e);
      this.errors.emit(e);
      return;
    }
    if (!this.replies.deliver(m)) this.log.debug({ ref: m.ref, cmd: m.cmd }, 'discarded a reply nobody waits for');
  }

  private onLinkEvent(e: LinkEvent): void {
    if (e.type === 'gave-up') this.log.warn({ seq: e.seq, attempts: e.attempts }, 'PIN pad stopped acknowledging');
    else this.log.debug({ link: e.type, ...(e.type === 'retransmit' ? { seq: e.seq, attempt: e.attempt, cause: e.cause } : {}) }, 'PIN pad line');
  }

  private onDown(err: DeviceError): void {
    if (this.state === 'closed') return;
    if (this.state === 'open') this.state = 'down'; // while opening, the failed probe makes open() reject
    this.link.reset(err);
    this.replies.failAll(err);
    this.errors.emit(err);
  }

  private onUp(): void {
    if (this.state !== 'down') return;
    this.link.reset();
    this.state = 'open';
    this.probe().then(
      (s) => this.log.info({ path: this.config.path, scheme: s.scheme }, 'PIN pad back after reconnect'),
      (err: Error) => this.log.warn({ path: this.config.path, err: err.message }, 'PIN pad reconnected but does not answer'),
    );
  }

  private requireUsable(what: string): void {
    if (this.state === 'closed' || this.state === 'opening') throw new DeviceError('ENOTOPEN', `PIN pad: ${what} while the device is not open`);
    if (this.state === 'down') throw new DeviceError('EIO', `PIN pad: ${what} while ${this.config.path} is unplugged (reconnecting)`);
  }

  private newRef(): number {
    this.ref = this.ref >= 0xffff ? 1 : this.ref + 1;
    return this.ref;
  }
}

function toPinResult(m: PinResultMessage, stopping: 'cancelled' | 'timeout' | undefined): PinResult {
  if (m.status === 'pin') return { kind: 'pin', format: m.format, pinBlock: m.pinBlock, ksn: m.ksn };
  // The pad reports our own cancel as "cancelled"; if we cancelled because time ran out, say so.
  if (m.status === 'cancelled' && stopping) return { kind: stopping };
  return { kind: m.status };
}

/** Board-config factory (`driver: "serial"`). Does no I/O: `open()` does. */
export function createSerialPinPad(config: SerialPinPadConfig, ctx: Pick<DriverContext, 'log' | 'clock'>, opts?: SerialPinPadOptions): SerialPinPad {
  if (!config || config.driver !== 'serial' || typeof config.path !== 'string' || config.path === '') {
    throw new TypeError('createSerialPinPad(): expected a serial pinpad config with a path');
  }
  return new SerialPinPad(config, ctx, opts);
}
