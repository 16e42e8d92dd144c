// Request/response to the acquirer host: ISO 8583 over framed TCP, matched by TID + STAN + MTI, late replies kept.
import { Listeners, type Unsubscribe } from '../common/listeners';
import type { Logger } from '../log';
import type { IsoMessage } from './iso8583';
import type { BackoffOptions } from './transport/backoff';
import { HostLinkError, type HostLinkErrorCode } from './transport/errors';
import type { FramingOptions } from './transport/framing';
import { BoundedMap, fieldText, matchKey, responseMtiFor } from './transport/reply-book';
import { TcpClient, type TlsClientOptions } from './transport/tcp-client';
import { systemClock, type TimerHandle, type Clock } from '../common/clock';

/** What the link needs from the ISO 8583 codec (Iso8583Codec fits). `unpack` throws on bytes that do not decode. */
export interface MessageCodec {
  pack(msg: IsoMessage): Buffer;
  unpack(bytes: Buffer): IsoMessage;
}

export interface HostLinkOptions {
  host: string;
  port: number;
  tls?: TlsClientOptions | boolean;
  connectTimeoutMs: number;
  /** Default time to wait for a response once the request is written. */
  responseTimeoutMs: number;
  framing?: FramingOptions;
  /** Background reconnect schedule (default: 500 ms doubling to 30 s, ±20 %); `false` connects on demand only. */
  reconnect?: BackoffOptions | false;
  codec: MessageCodec;
  log: Logger;
  /** Time for response timeouts, reconnects and late-reply stamps (the terminal's one clock). */
  clock?: Clock;
  random?: () => number;
  /** Late replies kept for {@link HostLink.drainLateReplies} (default 100; the oldest is dropped, loudly, past it). */
  lateReplyCapacity?: number;
  /** Requests given up on (timeout, abort, drop, garble) remembered to recognise their late replies (default 256). */
  givenUpCapacity?: number;
}

export interface RequestOptions {
  /** Overrides `responseTimeoutMs` for this request. */
  timeoutMs?: number;
  /** Aborting rejects with EABORTED (outcome `unknown` once written). */
  signal?: AbortSignal;
}

/** A reply that came after its request had been given up on. A late approval must be reversed. */
export interface LateReply {
  reply: IsoMessage;
  request: IsoMessage;
  receivedAt: number;
}

interface Pending {
  key: string;
  tid: string;
  stan: string;
  request: IsoMessage;
  sent: boolean;
  resolve: (reply: IsoMessage) => void;
  reject: (err: HostLinkError) => void;
  timer?: TimerHandle;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** TID as matched: ans fields come back space-padded, so trailing spaces do not count. */
const tidOf = (msg: IsoMessage): string => fieldText(msg.fields[41]).trimEnd();

/**
 * The terminal's link to its acquirer. Several requests may be in flight; each reply is matched to its
 * request by terminal id (41), STAN (11) and the response MTI (request MTI + 10). Every rejection is a
 * HostLinkError whose `outcome` says whether the request may have reached the host.
 */
export class HostLink {
  private readonly client: TcpClient;
  private readonly codec: MessageCodec;
  private readonly log: Logger;
  private readonly responseTimeoutMs: number;
  private readonly clock: Clock;
  private readonly pending = new Map<string, Pending>();
  private readonly givenUp: BoundedMap<string, IsoMessage>;
  private readonly lateCapacity: number;
  private late: LateReply[] = [];
  private readonly lateListeners = new Listeners<LateReply>();
  private readonly unmatchedListeners = new Listeners<IsoMessage>();
  private closed = false;

  constructor(opts: HostLinkOptions) {
    if (!opts.codec || typeof opts.codec.pack !== 'function' || typeof opts.codec.unpack !== 'function') {
      throw new TypeError('codec: expected an object with pack(msg) and unpack(bytes)');
    }
    if (!(opts.responseTimeoutMs > 0)) throw new RangeError(`responseTimeoutMs: expected > 0, got ${opts.responseTimeoutMs}`);
    this.lateCapacity = opts.lateReplyCapacity ?? 100;
    if (!Number.isInteger(this.lateCapacity) || this.lateCapacity < 1) throw new RangeError(`lateReplyCapacity: expected a positive integer, got ${this.lateCapacity}`);
    this.givenUp = new BoundedMap(opts.givenUpCapacity ?? 256);
    this.codec = opts.codec;
    this.log = opts.log.child({ ns: 'host.link' });
    this.responseTimeoutMs = opts.responseTimeoutMs;
    this.clock = opts.clock ?? systemClock;
    const { host, port, tls, connectTimeoutMs, framing, reconnect, random, log } = opts;
    this.client = new TcpClient({ host, port, tls, connectTimeoutMs, framing, reconnect, clock: this.clock, random, log });
    this.client.onFrame((frame) => this.onPayload(frame.payload));
    this.client.onDown((err) => this.onDown(err));
  }

  /** True while a connection to the host is open. */
  get connected(): boolean {
    return this.client.state === 'open';
  }

  /** Connects now (requests also connect on demand). Rejects with HostLinkError ECONNECT / ETIMEOUT / ECLOSED. */
  open(): Promise<void> {
    return this.client.connect();
  }

  /**
   * Sends `msg` and resolves with the host's matching reply (any response code: approval is the caller's call).
   * Throws synchronously (TypeError, the codec's IsoError, FramingError EOVERSIZE) when `msg` is not a packable
   * request with field 11 (6 digits) and field 41, or when a request with the same TID + STAN + response MTI is
   * already in flight.
   * Rejects with HostLinkError:
   * - outcome `not-sent`: ECONNECT / ETIMEOUT (connect), ECLOSED, EABORTED before anything was written;
   * - outcome `unknown`: ETIMEOUT (no response), EDISCONNECT, EGARBLED, EABORTED or ECLOSED after writing.
   *   Its reply may still come: it is then delivered as a late reply ({@link onLateReply}).
   */
  request(msg: IsoMessage, opts: RequestOptions = {}): Promise<IsoMessage> {
    if (msg === null || typeof msg !== 'object' || msg.fields === null || typeof msg.fields !== 'object') {
      throw new TypeError('request: expected an IsoMessage { mti, fields }');
    }
    const responseMti = responseMtiFor(msg.mti);
    const stan = msg.fields[11];
    if (typeof stan !== 'string' || !/^\d{6}$/.test(stan)) throw new TypeError(`request field 11 (STAN): expected 6 digits, got ${JSON.stringify(stan)}`);
    const tid = tidOf(msg);
    if (tid === '') throw new TypeError('request field 41 (terminal id): expected a non-empty string');
    const timeoutMs = opts.timeoutMs ?? this.responseTimeoutMs;
    if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs: expected > 0, got ${timeoutMs}`);
    const key = matchKey(tid, stan, responseMti);
    if (this.pending.has(key)) throw new Error(`a request for terminal ${tid} STAN ${stan} (answer ${responseMti}) is already in flight`);
    const frame = this.client.encode(this.codec.pack(msg)); // IsoError / FramingError: thrown here, nothing sent
    if (this.closed) return Promise.reject(new HostLinkError('ECLOSED', 'not-sent', 'host link is closed'));
    if (opts.signal?.aborted) return Promise.reject(new HostLinkError('EABORTED', 'not-sent', 'request aborted before it was sent'));
    return new Promise<IsoMessage>((resolve, reject) => {
      const p: Pending = { key, tid, stan, request: msg, sent: false, resolve, reject, signal: opts.signal };
      this.pending.set(key, p);
      if (p.signal) {
        p.onAbort = () => this.fail(p, 'EABORTED', 'request aborted by the caller');
        p.signal.addEventListener('abort', p.onAbort, { once: true });
      }
      this.client.connect().then(
        () => this.write(p, frame, timeoutMs),
        (err: HostLinkError) => this.fail(p, err.code, err.message, err),
      );
    });
  }

  /** Subscribes to late replies (also queued for {@link drainLateReplies}). */
  onLateReply(listener: (reply: IsoMessage, request: IsoMessage) => void): Unsubscribe {
    return this.lateListeners.add((l) => listener(l.reply, l.request));
  }

  /** Subscribes to replies that match no request in flight or given up on. */
  onUnmatched(listener: (reply: IsoMessage) => void): Unsubscribe {
    return this.unmatchedListeners.add(listener);
  }

  /** Returns and forgets the queued late replies, oldest first. */
  drainLateReplies(): LateReply[] {
    const out = this.late;
    this.late = [];
    return out;
  }

  /** Rejects every request in flight with ECLOSED (outcome by whether it was written) and closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const p of [...this.pending.values()]) this.fail(p, 'ECLOSED', 'host link closed with the request in flight');
    await this.client.close();
  }

  private write(p: Pending, frame: Buffer, timeoutMs: number): void {
    if (this.pending.get(p.key) !== p) return; // aborted or closed while connecting
    p.sent = true;
    try {
      this.client.sendFrame(frame);
    } catch (err) {
      p.sent = false; // sendFrame() throws only before writing
      const e = err as HostLinkError;
      this.fail(p, e.code, e.message, err);
      return;
    }
    p.timer = this.clock.setTimeout(() => this.fail(p, 'ETIMEOUT', `no response from the host within ${timeoutMs} ms`), timeoutMs);
    this.log.debug({ mti: p.request.mti, stan: p.stan, tid: p.tid }, 'request sent');
  }

  /** Settles `p` with a HostLinkError; a request that was written is remembered so its late reply is recognised. */
  private fail(p: Pending, code: HostLinkErrorCode, message: string, cause?: unknown): void {
    if (!this.settle(p)) return;
    const outcome = p.sent ? 'unknown' : 'not-sent';
    if (p.sent) this.givenUp.set(p.key, p.request);
    const fields = { mti: p.request.mti, stan: p.stan, tid: p.tid, code, outcome };
    if (p.sent) this.log.warn(fields, 'host request outcome unknown');
    else this.log.info(fields, 'host request not sent');
    p.reject(new HostLinkError(code, outcome, `${message} (terminal ${p.tid}, STAN ${p.stan}, MTI ${p.request.mti})`, { cause }));
  }

  private settle(p: Pending): boolean {
    if (this.pending.get(p.key) !== p) return false;
    this.pending.delete(p.key);
    if (p.timer !== undefined) this.clock.clearTimeout(p.timer);
    if (p.onAbort) p.signal?.removeEventListener('abort', p.onAbort);
    return true;
  }

  private onPayload(payload: Buffer): void {
    if (payload.length === 0) return; // empty frame: a keep-alive
    let reply: IsoMessage;
    try {
      reply = this.codec.unpack(payload);
    } catch (err) {
      this.onUndecodable(err, payload.length);
      return;
    }
    const tid = tidOf(reply);
    const stan = fieldText(reply.fields[11]);
    const key = matchKey(tid, stan, reply.mti);
    const p = this.pending.get(key);
    if (p?.sent) {
      this.settle(p);
      this.log.debug({ mti: reply.mti, stan, tid, rc: fieldText(reply.fields[39]) }, 'reply matched');
      p.resolve(reply);
      return;
    }
    const request = this.givenUp.take(key);
    if (request) return this.onLate(reply, request);
    const suspect = this.suspectFor(tid, stan);
    if (suspect) {
      const what = `host answered ${reply.mti} for terminal ${JSON.stringify(tid)} STAN ${stan}, which does not fit the request`;
      this.log.warn({ mti: reply.mti, stan, tid, requestMti: suspect.request.mti }, 'invalid reply for a request in flight');
      return this.fail(suspect, 'EGARBLED', what);
    }
    this.log.warn({ mti: reply.mti, stan, tid, rc: fieldText(reply.fields[39]) }, 'unmatched reply from host');
    this.unmatchedListeners.emit(reply);
  }

  private onLate(reply: IsoMessage, request: IsoMessage): void {
    const entry: LateReply = { reply, request, receivedAt: this.clock.now() };
    this.late.push(entry);
    this.log.warn({ mti: reply.mti, stan: fieldText(reply.fields[11]), tid: tidOf(reply), rc: fieldText(reply.fields[39]) }, 'late reply from host');
    if (this.late.length > this.lateCapacity) {
      const dropped = this.late.shift() as LateReply;
      const r = dropped.reply;
      this.log.error({ mti: r.mti, stan: fieldText(r.fields[11]), tid: tidOf(r), rc: fieldText(r.fields[39]) }, 'late reply queue full: oldest dropped from the queue');
    }
    this.lateListeners.emit(entry);
  }

  /** The one written request an answer with the right STAN but wrong MTI or TID was meant for, if unambiguous. */
  private suspectFor(tid: string, stan: string): Pending | undefined {
    const sent = [...this.pending.values()].filter((p) => p.sent && p.stan === stan);
    const sameTid = sent.filter((p) => p.tid === tid);
    if (sameTid.length === 1) return sameTid[0];
    return sameTid.length === 0 && sent.length === 1 ? sent[0] : undefined;
  }

  /** A frame that does not decode: fail the request it must answer if only one is waiting; the others keep waiting. */
  private onUndecodable(err: unknown, length: number): void {
    const e = err as { name?: string; field?: number; offset?: number };
    const where = e.field !== undefined ? `field ${e.field}` : 'message';
    const sent = [...this.pending.values()].filter((p) => p.sent);
    // Never the bytes or the codec's message (it may quote field content): only where it broke.
    this.log.warn({ error: e.name, field: e.field, offset: e.offset, length, waiting: sent.length }, 'garbled reply from host; connection kept');
    if (sent.length === 1) this.fail(sent[0] as Pending, 'EGARBLED', `garbled reply from the host (${where}${e.offset !== undefined ? ` at byte ${e.offset}` : ''} does not decode)`, err);
  }

  private onDown(err: HostLinkError): void {
    for (const p of [...this.pending.values()]) {
      if (p.sent) this.fail(p, err.code, `${err.message} after the request was sent`, err);
    }
  }
}
