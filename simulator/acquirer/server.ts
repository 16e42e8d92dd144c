// Acquirer TCP server: length-prefixed frames in, ISO 8583 decode, faults, processor, framed answers out; bad input never crashes it.
import net from 'node:net';
import type { Iso8583Codec, IsoMessage } from '../../firmware/host/iso8583';
import { encodeFrame, FrameDecoder, FramingError, resolveFraming, type FramingOptions, type ResolvedFraming } from '../../firmware/host/transport/framing';
import type { Logger } from '../../firmware/log';
import { faultNames, NO_FAULT, type FaultDecision, type Faults } from './faults';
import { responseMti, text } from './iso-fields';
import type { Processor } from './processor';
import { salvage } from './salvage';

export interface ServerOptions {
  host: string;
  port: number;
  codec: Iso8583Codec;
  processor: Processor;
  faults: Faults;
  log: Logger;
  framing?: FramingOptions;
  /** Idle connections are closed after this long (default 5 minutes). */
  idleTimeoutMs?: number;
}

interface Conn {
  id: number;
  socket: net.Socket;
  decoder: FrameDecoder;
  pending: number;
  closing: boolean;
}

/** A well-framed answer whose content does not decode: the MTI bytes are not digits in any encoding. */
export function garble(payload: Buffer): Buffer {
  const out = Buffer.from(payload);
  out.fill(0xff, 0, Math.min(2, out.length));
  return out;
}

export class AcquirerServer {
  private readonly server: net.Server;
  private readonly framing: ResolvedFraming;
  private readonly log: Logger;
  private readonly conns = new Set<Conn>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextId = 1;

  constructor(private readonly opts: ServerOptions) {
    this.framing = resolveFraming(opts.framing);
    this.log = opts.log.child({ ns: 'acquirer.tcp' });
    this.server = net.createServer((socket) => this.accept(socket));
    this.server.on('error', (err) => this.log.error({ error: err.message }, 'server error'));
  }

  /** Listens; resolves with the bound port. Rejects when the port cannot be bound (EADDRINUSE, ...). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen(this.opts.port, this.opts.host, () => {
        this.server.off('error', onError);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  /** Stops accepting, drops every connection and every delayed answer. */
  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.conns) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const conn: Conn = { id: this.nextId++, socket, decoder: new FrameDecoder(this.framing), pending: 0, closing: false };
    this.conns.add(conn);
    this.log.debug({ conn: conn.id, remote: socket.remoteAddress }, 'connection opened');
    socket.setNoDelay(true);
    socket.setTimeout(this.opts.idleTimeoutMs ?? 300_000, () => {
      this.log.info({ conn: conn.id }, 'idle connection closed');
      socket.destroy();
    });
    socket.on('data', (chunk) => this.onData(conn, chunk));
    socket.on('error', (err) => this.log.debug({ conn: conn.id, error: err.message }, 'connection error'));
    socket.on('close', () => {
      this.conns.delete(conn);
      this.log.debug({ conn: conn.id }, 'connection closed');
    });
  }

  private onData(conn: Conn, chunk: Buffer): void {
    if (conn.closing) return;
    let frames;
    let broken: FramingError | undefined;
    try {
      frames = conn.decoder.push(chunk);
    } catch (err) {
      broken = err as FramingError;
      frames = broken.frames ?? [];
    }
    for (const f of frames) this.onFrame(conn, f.payload);
    if (broken) {
      this.log.warn({ conn: conn.id, code: broken.code, reason: broken.message }, 'broken framing: connection dropped');
      conn.closing = true;
      this.endWhenIdle(conn);
    }
  }

  private endWhenIdle(conn: Conn): void {
    if (!conn.closing || conn.pending > 0) return;
    conn.socket.end();
    const t = setTimeout(() => conn.socket.destroy(), 1000);
    t.unref();
  }

  private onFrame(conn: Conn, payload: Buffer): void {
    if (payload.length === 0) return; // keep-alive
    const r = this.opts.codec.tryUnpack(payload);
    if (!r.ok) return this.onUndecodable(conn, payload, r.error);
    const msg = r.message;
    const decision = responseMti(msg.mti) ? this.opts.faults.decide(msg.mti, text(msg, 11)) : NO_FAULT;
    if (decision.dropRequest) {
      this.log.info({ conn: conn.id, mti: msg.mti, stan: text(msg, 11) }, 'fault: request dropped unprocessed');
      return;
    }
    conn.pending += 1;
    void this.opts.processor.handle(msg, { forceCode: decision.forceCode }).then((resp) => {
      try {
        this.deliver(conn, msg, resp, decision);
      } catch (err) {
        this.log.error({ conn: conn.id, mti: msg.mti, error: (err as Error).message }, 'answer could not be sent');
      } finally {
        conn.pending -= 1;
        this.endWhenIdle(conn);
      }
    });
  }

  /** Answers 30 when the MTI and STAN can be read; otherwise the frame is dropped. Logs no content. */
  private onUndecodable(conn: Conn, payload: Buffer, error: { field?: number; offset?: number; name: string }): void {
    const s = salvage(this.opts.codec, payload);
    const mti = s.mti ? responseMti(s.mti) : undefined;
    const stan = s.fields[11];
    const where = { conn: conn.id, length: payload.length, field: error.field, offset: error.offset, mti: s.mti };
    if (!mti || typeof stan !== 'string' || !/^\d{6}$/.test(stan)) {
      this.log.warn(where, 'undecodable frame dropped (no MTI/STAN to answer)');
      return;
    }
    this.log.warn({ ...where, stan }, 'undecodable request answered 30');
    const fields: IsoMessage['fields'] = { 11: stan, 39: '30' };
    if (typeof s.fields[41] === 'string') fields[41] = s.fields[41];
    this.deliver(conn, undefined, { mti, fields }, NO_FAULT);
  }

  private pack(resp: IsoMessage): Buffer | undefined {
    try {
      return this.opts.codec.pack(resp);
    } catch (err) {
      this.log.error({ mti: resp.mti, error: (err as Error).message }, 'answer does not pack; answering 96');
      const minimal: IsoMessage = { mti: resp.mti, fields: { 39: '96' } };
      for (const f of [11, 41]) if (typeof resp.fields[f] === 'string') minimal.fields[f] = resp.fields[f];
      try {
        return this.opts.codec.pack(minimal);
      } catch {
        return undefined;
      }
    }
  }

  private deliver(conn: Conn, req: IsoMessage | undefined, resp: IsoMessage | undefined, d: FaultDecision): void {
    if (!resp) return;
    const payload = this.pack(resp);
    if (!payload) return;
    const where = { conn: conn.id, mti: resp.mti, stan: text(resp, 11), rc: text(resp, 39) };
    const faults = faultNames(d).filter((f) => !f.startsWith('forceResponseCode'));
    if (faults.length > 0) this.log.info({ ...where, faults, requestMti: req?.mti }, 'fault injected on the answer');
    if (d.dropResponse) return;
    const send = () => {
      const s = conn.socket;
      if (s.destroyed || !s.writable) {
        this.log.warn(where, 'connection gone: answer not delivered');
        return;
      }
      if (d.disconnectMidReply) {
        const frame = encodeFrame(payload, this.framing);
        s.end(frame.subarray(0, Math.max(1, Math.floor(frame.length / 2))));
        conn.closing = true;
        return;
      }
      s.write(encodeFrame(d.garbleReply ? garble(payload) : payload, this.framing));
    };
    if (d.delayMs <= 0) return send();
    const t = setTimeout(() => {
      this.timers.delete(t);
      send();
    }, d.delayMs);
    this.timers.add(t);
  }
}
