// TCP/TLS connection to the acquirer host: connect timeout, framed send/receive, reconnect with backoff.
import { Listeners, type Unsubscribe } from '../../common/listeners';
import net from 'node:net';
import tls from 'node:tls';
import type { Logger } from '../../log';
import { backoffDelay, resolveBackoff, type BackoffOptions, type ResolvedBackoff } from './backoff';
import { HostLinkError } from './errors';
import { encodeFrame, FrameDecoder, FramingError, resolveFraming, type DecodedFrame, type FramingOptions, type ResolvedFraming } from './framing';
import { systemClock, type TimerHandle, type Clock } from '../../common/clock';

/** TLS settings; `true` means TLS with Node's default trust store. */
export interface TlsClientOptions {
  /** Trusted CA certificate(s) in PEM, for a private acquirer CA or a self-signed host. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Refuse a host whose certificate does not verify (default true; false only for development). */
  rejectUnauthorized?: boolean;
  /** SNI / name checked against the certificate (default: the host, when it is a name and not an IP). */
  servername?: string;
  /** Client certificate and key (PEM) for mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
}

export interface TcpClientOptions {
  host: string;
  port: number;
  tls?: TlsClientOptions | boolean;
  /** Time allowed for TCP connect plus the TLS handshake. */
  connectTimeoutMs: number;
  framing?: FramingOptions;
  /** Background reconnect after a drop or a failed attempt; `false` connects only on demand. */
  reconnect?: BackoffOptions | false;
  clock?: Clock;
  /** 0..1 source for backoff jitter (tests pass `() => 0.5`). */
  random?: () => number;
  log: Logger;
}

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'closed';

/**
 * One connection to the host at a time. `connect()` opens it (or joins the attempt in progress); once a caller
 * has asked for a connection, a drop or failed attempt schedules a reconnect with exponential backoff, until
 * `close()`. Frames arrive through `onFrame`; a stream whose framing breaks is dropped (EGARBLED) and redialled.
 */
export class TcpClient {
  private readonly framing: ResolvedFraming;
  private readonly backoff: ResolvedBackoff | undefined;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: Logger;
  private socket: net.Socket | undefined;
  private dialing: { socket: net.Socket; fail: (err: HostLinkError) => void } | undefined;
  private attempt: Promise<void> | undefined;
  private reconnectTimer: TimerHandle | undefined;
  private failures = 0;
  private wanted = false;
  private closed = false;
  private readonly frames = new Listeners<DecodedFrame>();
  private readonly opens = new Listeners<void>();
  private readonly downs = new Listeners<HostLinkError>();
  private readonly schedules = new Listeners<{ delayMs: number; attempt: number }>();

  constructor(private readonly opts: TcpClientOptions) {
    if (typeof opts.host !== 'string' || opts.host === '') throw new TypeError('host: expected a non-empty string');
    if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new RangeError(`port: expected 0..65535, got ${opts.port}`);
    if (!(opts.connectTimeoutMs > 0)) throw new RangeError(`connectTimeoutMs: expected > 0, got ${opts.connectTimeoutMs}`);
    this.framing = resolveFraming(opts.framing);
    this.backoff = opts.reconnect === false ? undefined : resolveBackoff(opts.reconnect);
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random ?? Math.random;
    this.log = opts.log.child({ ns: 'host.tcp' });
  }

  get state(): ConnectionState {
    if (this.closed) return 'closed';
    if (this.socket) return 'open';
    return this.attempt ? 'connecting' : 'idle';
  }

  /** Subscribes to received frames (header + payload). */
  onFrame(listener: (frame: DecodedFrame) => void): Unsubscribe {
    return this.frames.add(listener);
  }

  /** Subscribes to "connection is open". */
  onOpen(listener: () => void): Unsubscribe {
    return this.opens.add(listener);
  }

  /** Subscribes to "an open connection was lost" (EDISCONNECT, or EGARBLED when framing broke). */
  onDown(listener: (err: HostLinkError) => void): Unsubscribe {
    return this.downs.add(listener);
  }

  /** Subscribes to "a reconnect is scheduled in delayMs" (attempt counts failures since the last open). */
  onReconnectScheduled(listener: (info: { delayMs: number; attempt: number }) => void): Unsubscribe {
    return this.schedules.add(listener);
  }

  /**
   * Resolves once the connection is open (at once if it already is). Rejects with HostLinkError ECONNECT
   * (refused, TLS failure), ETIMEOUT (connectTimeoutMs passed) or ECLOSED — all with outcome `not-sent`.
   */
  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new HostLinkError('ECLOSED', 'not-sent', 'host link is closed'));
    this.wanted = true;
    if (this.socket) return Promise.resolve();
    if (this.attempt) return this.attempt;
    this.cancelReconnect();
    const attempt = this.dial().then(
      () => {
        this.attempt = undefined;
      },
      (err: HostLinkError) => {
        this.attempt = undefined;
        this.log.warn({ err: { code: err.code, message: err.message } }, 'connect to host failed');
        this.scheduleReconnect();
        throw err;
      },
    );
    this.attempt = attempt;
    return attempt;
  }

  /** Frames `payload` with this link's framing. Throws FramingError EOVERSIZE when it is too big. */
  encode(payload: Uint8Array): Buffer {
    return encodeFrame(payload, this.framing);
  }

  /**
   * Frames `payload` and hands it to the socket ({@link encode} + {@link sendFrame}).
   * Throws FramingError EOVERSIZE, or HostLinkError as sendFrame does. Once it returns, the bytes may reach the host.
   */
  send(payload: Uint8Array): void {
    this.sendFrame(this.encode(payload));
  }

  /**
   * Writes an already framed message. Throws HostLinkError synchronously, before writing anything, when the
   * connection is not open (EDISCONNECT) or the client is closed (ECLOSED), both with outcome `not-sent`.
   */
  sendFrame(frame: Uint8Array): void {
    if (this.closed) throw new HostLinkError('ECLOSED', 'not-sent', 'host link is closed');
    if (!this.socket) throw new HostLinkError('EDISCONNECT', 'not-sent', 'not connected to the host');
    this.socket.write(frame);
  }

  /** Stops reconnecting and closes the connection; a connect in progress rejects with ECLOSED. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wanted = false;
    this.cancelReconnect();
    this.dialing?.fail(new HostLinkError('ECLOSED', 'not-sent', 'host link closed while connecting'));
    const socket = this.socket;
    if (!socket) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  private dial(): Promise<void> {
    const { host, port, connectTimeoutMs } = this.opts;
    return new Promise<void>((resolve, reject) => {
      const tlsOpts = this.opts.tls === true ? {} : this.opts.tls || undefined;
      const socket = tlsOpts
        ? tls.connect({
            host,
            port,
            ca: tlsOpts.ca,
            cert: tlsOpts.cert,
            key: tlsOpts.key,
            rejectUnauthorized: tlsOpts.rejectUnauthorized ?? true,
            servername: tlsOpts.servername ?? (net.isIP(host) ? undefined : host),
          })
        : net.connect({ host, port });
      let settled = false;
      const fail = (err: HostLinkError): void => {
        if (settled) return;
        settled = true;
        this.clock.clearTimeout(timer);
        this.dialing = undefined;
        socket.destroy();
        reject(err);
      };
      const timer = this.clock.setTimeout(
        () => fail(new HostLinkError('ETIMEOUT', 'not-sent', `connect to ${host}:${port} timed out after ${connectTimeoutMs} ms`)),
        connectTimeoutMs,
      );
      this.dialing = { socket, fail };
      const onError = (cause: Error): void =>
        fail(new HostLinkError('ECONNECT', 'not-sent', `cannot connect to ${host}:${port}: ${cause.message}`, { cause }));
      const onClose = (): void => fail(new HostLinkError('ECONNECT', 'not-sent', `connection to ${host}:${port} closed while connecting`));
      socket.once('error', onError);
      socket.once('close', onClose);
      socket.once(tlsOpts ? 'secureConnect' : 'connect', () => {
        if (settled) return;
        settled = true;
        this.clock.clearTimeout(timer);
        this.dialing = undefined;
        socket.removeListener('error', onError);
        socket.removeListener('close', onClose);
        this.attach(socket);
        resolve();
      });
    });
  }

  private attach(socket: net.Socket): void {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    this.socket = socket;
    this.failures = 0;
    const decoder = new FrameDecoder(this.framing);
    let reason: HostLinkError | undefined;
    let lastError: Error | undefined;
    socket.on('data', (chunk: Buffer) => {
      if (reason) return;
      let frames: DecodedFrame[];
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        const fe = err as FramingError;
        frames = fe.frames ?? [];
        reason = new HostLinkError('EGARBLED', 'unknown', `host stream framing broken (${fe.code}): ${fe.message}`, { cause: fe });
        this.log.error({ code: fe.code, message: fe.message }, 'host framing broken; dropping the connection');
        socket.destroy();
      }
      for (const frame of frames) this.frames.emit(frame);
    });
    socket.on('error', (err) => {
      lastError = err;
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      const partial = decoder.buffered;
      const err =
        reason ??
        new HostLinkError(
          'EDISCONNECT',
          'unknown',
          `connection to the host dropped${lastError ? `: ${lastError.message}` : ''}${partial ? ` (${partial} bytes of a partial frame lost)` : ''}`,
          { cause: lastError },
        );
      if (!this.closed) this.log.warn({ code: err.code, partialBytes: partial }, 'host connection lost');
      this.downs.emit(err);
      this.scheduleReconnect();
    });
    this.log.info({ host: this.opts.host, port: this.opts.port, tls: Boolean(this.opts.tls) }, 'connected to host');
    this.opens.emit();
  }

  private scheduleReconnect(): void {
    if (!this.backoff || this.closed || !this.wanted || this.reconnectTimer !== undefined || this.socket) return;
    const attempt = this.failures++;
    const delayMs = backoffDelay(attempt, this.backoff, this.random);
    this.reconnectTimer = this.clock.setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect().catch(() => undefined); // failure is logged and schedules the next attempt
    }, delayMs);
    this.log.debug({ delayMs, attempt }, 'host reconnect scheduled');
    this.schedules.emit({ delayMs, attempt });
  }

  private cancelReconnect(): void {
    if (this.reconnectTimer === undefined) return;
    this.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }
}
