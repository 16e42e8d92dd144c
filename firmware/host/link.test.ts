// HostLink over real TCP/TLS on 127.0.0.1 against a scripted test host: matching, outcomes, late replies, faults.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Writable } from 'node:stream';
import { createLogger, silentLogger, type Logger } from '../log';
import { defaultSpec, Iso8583Codec, type IsoMessage } from './iso8583';
import { HostLink, type HostLinkOptions } from './link';
import { HostLinkError } from './transport/errors';
import { encodeFrame, FrameDecoder } from './transport/framing';
import { FakeClock } from '../common/clock';

const codec = new Iso8583Codec(defaultSpec);
const PAN = '4761739001010119';
const TPDU = Buffer.from('6000030000', 'hex');
const framing = { header: TPDU };

type Conn = { socket: net.Socket; reply(msg: IsoMessage): void; payload(bytes: Buffer): void };
type Handler = (req: IsoMessage, conn: Conn) => void;

/** Default host behaviour: approve, echoing 11 and 41, RRN derived from the STAN. */
const approve: Handler = (req, conn) => conn.reply(answer(req));
function answer(req: IsoMessage, extra: Record<number, string> = {}): IsoMessage {
  const mti = `${req.mti.slice(0, 2)}${Number(req.mti[2]) + 1}0`;
  return { mti, fields: { 11: req.fields[11]!, 37: `RRN${String(req.fields[11])}000`, 39: '00', 41: req.fields[41]!, ...extra } };
}

/** A scripted acquirer host speaking the link's framing and the default spec. */
class TestHost {
  readonly requests: IsoMessage[] = [];
  readonly sockets = new Set<net.Socket>();
  connections = 0;
  port = 0;
  private server: net.Server | undefined;
  constructor(
    public handler: Handler = approve,
    private readonly tlsOpts?: { key: Buffer; cert: Buffer },
  ) {}

  async start(port = 0): Promise<this> {
    const onSocket = (socket: net.Socket): void => {
      this.connections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      const decoder = new FrameDecoder(framing);
      const conn: Conn = {
        socket,
        reply: (msg) => socket.write(encodeFrame(codec.pack(msg), framing)),
        payload: (bytes) => socket.write(encodeFrame(bytes, framing)),
      };
      socket.on('data', (chunk) => {
        for (const f of decoder.push(chunk)) {
          const req = codec.unpack(f.payload);
          this.requests.push(req);
          this.handler(req, conn);
        }
      });
    };
    const server = this.tlsOpts ? tls.createServer(this.tlsOpts, onSocket) : net.createServer(onSocket);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function sale(stan: string, extra: Record<number, string> = {}): IsoMessage {
  return { mti: '0200', fields: { 2: PAN, 3: '000000', 4: '000000001000', 11: stan, 41: 'TERM0001', 42: 'MERCHANT0000001', ...extra } };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
async function host(handler?: Handler, tlsOpts?: { key: Buffer; cert: Buffer }): Promise<TestHost> {
  const h = await new TestHost(handler, tlsOpts).start();
  cleanups.push(() => h.stop());
  return h;
}
function link(port: number, opts: Partial<HostLinkOptions> = {}): HostLink {
  const l = new HostLink({ host: '127.0.0.1', port, connectTimeoutMs: 2000, responseTimeoutMs: 5000, framing, reconnect: false, codec, log: silentLogger, ...opts });
  cleanups.push(() => l.close());
  return l;
}
const rejection = (p: Promise<unknown>): Promise<HostLinkError> =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: HostLinkError) => e,
  );

describe('HostLink request/response', () => {
  it('sends a request and resolves with the matching reply', async () => {
    const h = await host();
    const l = link(h.port);
    const reply = await l.request(sale('000123'));
    expect(reply).toEqual({ mti: '0210', fields: { 11: '000123', 37: 'RRN000123000', 39: '00', 41: 'TERM0001' } });
    expect(h.requests).toEqual([sale('000123')]);
    expect(l.connected).toBe(true);
  });

  it('matches out-of-order replies by STAN', async () => {
    const held: Array<[IsoMessage, Conn]> = [];
    const h = await host((req, conn) => {
      held.push([req, conn]);
      if (held.length === 2) for (const [r, c] of held.reverse()) c.reply(answer(r));
    });
    const l = link(h.port);
    const [a, b] = await Promise.all([l.request(sale('000001')), l.request(sale('000002'))]);
    expect(a.fields[37]).toBe('RRN000001000');
    expect(b.fields[37]).toBe('RRN000002000');
    expect(h.requests.map((r) => r.fields[11])).toEqual(['000001', '000002']);
  });

  it('answers 0400 and its 0401 repeat with 0410', async () => {
    const h = await host();
    const l = link(h.port);
    expect((await l.request({ mti: '0400', fields: { 11: '000009', 41: 'TERM0001' } })).mti).toBe('0410');
    expect((await l.request({ mti: '0401', fields: { 11: '000009', 41: 'TERM0001' } })).mti).toBe('0410');
  });

  it('throws synchronously on requests it cannot match or pack', async () => {
    const h = await host(() => undefined);
    const l = link(h.port);
    expect(() => l.request({ mti: '0210', fields: { 11: '000001', 41: 'T' } })).toThrow('request.mti: expected a request or advice MTI (xx0x or xx2x), got 0210');
    expect(() => l.request({ mti: '0200', fields: { 11: '12', 41: 'T' } })).toThrow('request field 11 (STAN): expected 6 digits, got "12"');
    expect(() => l.request({ mti: '0200', fields: { 11: '000001' } })).toThrow('request field 41 (terminal id): expected a non-empty string');
    expect(() => l.request(sale('000001', { 4: 'ten' }))).toThrow(/field 4/);
    const tiny = link(h.port, { framing: { ...framing, maxFrame: 40 } });
    expect(() => tiny.request(sale('000001'))).toThrow(expect.objectContaining({ name: 'FramingError', code: 'EOVERSIZE' }));
    const first = rejection(l.request(sale('000001')));
    expect(() => l.request(sale('000001'))).toThrow('a request for terminal TERM0001 STAN 000001 (answer 0210) is already in flight');
    await l.close();
    expect(await first).toMatchObject({ code: 'ECLOSED' });
  });
});

describe('HostLink outcomes', () => {
  it('times out as unknown, then delivers the late reply through onLateReply and drainLateReplies', async () => {
    let held: [IsoMessage, Conn] | undefined;
    const h = await host((req, conn) => (held = [req, conn]));
    const timers = new FakeClock();
    const l = link(h.port, { responseTimeoutMs: 200, clock: timers });
    const late: Array<[IsoMessage, IsoMessage]> = [];
    l.onLateReply((reply, request) => late.push([reply, request]));
    const err = rejection(l.request(sale('000042')));
    await until(() => held !== undefined, 'the host to get the request');
    expect(timers.pendingDelays()).toEqual([200]);
    await timers.advance(200);
    expect(await err).toMatchObject({ code: 'ETIMEOUT', outcome: 'unknown', message: 'no response from the host within 200 ms (terminal TERM0001, STAN 000042, MTI 0200)' });
    held![1].reply(answer(held![0]));
    await until(() => late.length === 1, 'the late reply');
    expect(late[0]![0]).toMatchObject({ mti: '0210', fields: { 11: '000042', 39: '00' } });
    expect(late[0]![1]).toEqual(sale('000042'));
    expect(l.drainLateReplies()).toEqual([{ reply: late[0]![0], request: sale('000042'), receivedAt: 200 }]);
    expect(l.drainLateReplies()).toEqual([]);
  });

  it('rejects a request whose reply is cut mid-frame with EDISCONNECT / unknown', async () => {
    const h = await host((req, conn) => {
      const frame = encodeFrame(codec.pack(answer(req)), framing);
      conn.socket.end(frame.subarray(0, 9));
    });
    const l = link(h.port);
    expect(await rejection(l.request(sale('000007')))).toMatchObject({ code: 'EDISCONNECT', outcome: 'unknown' });
    expect(l.connected).toBe(false);
  });

  it('treats a well-framed reply that does not decode as EGARBLED / unknown and keeps the connection', async () => {
    let garble = true;
    const h = await host((req, conn) => (garble ? conn.payload(Buffer.from('0210ffff', 'hex')) : approve(req, conn)));
    const l = link(h.port);
    expect(await rejection(l.request(sale('000010')))).toMatchObject({ code: 'EGARBLED', outcome: 'unknown' });
    garble = false;
    expect((await l.request(sale('000011'))).fields[11]).toBe('000011');
    expect(h.connections).toBe(1);
  });

  it('treats a decodable answer with our STAN but the wrong MTI as EGARBLED / unknown', async () => {
    const h = await host((req, conn) => conn.reply({ ...answer(req), mti: '0230' }));
    const l = link(h.port);
    expect(await rejection(l.request(sale('000012')))).toMatchObject({ code: 'EGARBLED', outcome: 'unknown' });
  });

  it('drops a connection whose framing breaks, fails the request as unknown and reconnects', async () => {
    let broken = true;
    const h = await host((req, conn) => (broken ? conn.socket.write(Buffer.from('ffff', 'hex')) : approve(req, conn)));
    const timers = new FakeClock();
    const l = link(h.port, { framing: { ...framing, maxFrame: 1024 }, reconnect: { initialDelayMs: 50, jitter: 0 }, clock: timers });
    expect(await rejection(l.request(sale('000013')))).toMatchObject({ code: 'EGARBLED', outcome: 'unknown' });
    broken = false;
    await until(() => timers.pendingDelays().includes(50), 'the reconnect to be scheduled');
    await timers.advance(50);
    await until(() => l.connected, 'the reconnect');
    expect((await l.request(sale('000014'))).mti).toBe('0210');
    expect(h.connections).toBe(2);
  });

  it('rejects with ECONNECT / not-sent when the host refuses the connection', async () => {
    const h = await host();
    const port = h.port;
    await h.stop();
    const l = link(port);
    expect(await rejection(l.request(sale('000015')))).toMatchObject({ code: 'ECONNECT', outcome: 'not-sent' });
  });

  it('reconnects with backoff after the host restarts', async () => {
    const h = await host();
    const timers = new FakeClock();
    const l = link(h.port, { reconnect: { initialDelayMs: 100, factor: 2, jitter: 0 }, clock: timers });
    await l.open();
    await h.stop();
    await until(() => timers.pendingDelays().includes(100), 'the first reconnect');
    await timers.advance(100); // host still down: refused
    await until(() => timers.pendingDelays().includes(200), 'the second reconnect');
    await h.start(h.port);
    await timers.advance(200);
    await until(() => l.connected, 'the reconnect');
    expect((await l.request(sale('000016'))).fields[11]).toBe('000016');
    expect(h.connections).toBe(2);
  });

  it('aborts: not-sent before writing, unknown after (and its reply then arrives late)', async () => {
    let held: [IsoMessage, Conn] | undefined;
    const h = await host((req, conn) => (held = [req, conn]));
    const l = link(h.port);
    const before = new AbortController();
    before.abort();
    expect(await rejection(l.request(sale('000017'), { signal: before.signal }))).toMatchObject({ code: 'EABORTED', outcome: 'not-sent' });
    const after = new AbortController();
    const err = rejection(l.request(sale('000018'), { signal: after.signal }));
    await until(() => held !== undefined, 'the host to get the request');
    after.abort();
    expect(await err).toMatchObject({ code: 'EABORTED', outcome: 'unknown', canceled: true });
    held![1].reply(answer(held![0]));
    const drained: IsoMessage[] = [];
    await until(() => drained.push(...l.drainLateReplies().map((e) => e.request)) > 0, 'the late reply');
    expect(drained).toEqual([sale('000018')]);
  });

  it('bounds the late-reply queue (oldest leaves the queue) while every late reply still reaches the listeners', async () => {
    const held: Array<[IsoMessage, Conn]> = [];
    const h = await host((req, conn) => held.push([req, conn]));
    const timers = new FakeClock();
    const l = link(h.port, { responseTimeoutMs: 100, clock: timers, lateReplyCapacity: 1 });
    const heard: string[] = [];
    l.onLateReply((reply) => heard.push(String(reply.fields[11])));
    const errs = [rejection(l.request(sale('000024'))), rejection(l.request(sale('000025')))];
    await until(() => held.length === 2, 'both requests');
    await timers.advance(100);
    expect((await Promise.all(errs)).map((e) => e.outcome)).toEqual(['unknown', 'unknown']);
    for (const [req, conn] of held) conn.reply(answer(req));
    await until(() => heard.length === 2, 'both late replies');
    expect(heard).toEqual(['000024', '000025']);
    expect(l.drainLateReplies().map((e) => e.reply.fields[11])).toEqual(['000025']);
  });

  it('reports replies for no known request through onUnmatched', async () => {
    const h = await host((req, conn) => {
      conn.reply(answer({ ...req, fields: { ...req.fields, 11: '999999' } }));
      approve(req, conn);
    });
    const l = link(h.port);
    const unmatched: IsoMessage[] = [];
    l.onUnmatched((r) => unmatched.push(r));
    expect((await l.request(sale('000019'))).fields[11]).toBe('000019');
    expect(unmatched.map((r) => [r.mti, r.fields[11]])).toEqual([['0210', '999999']]);
  });

  it('close(): unknown for written requests, not-sent for ones still connecting', async () => {
    const h = await host(() => undefined);
    const l = link(h.port);
    const written = rejection(l.request(sale('000020')));
    await until(() => h.requests.length === 1, 'the host to get the request');
    const silent = await host(); // speaks no TLS: the TLS handshake never finishes
    const l2 = link(silent.port, { tls: true });
    const connecting = rejection(l2.request(sale('000021')));
    await until(() => silent.connections === 1, 'the TCP accept');
    await Promise.all([l.close(), l2.close()]);
    expect(await written).toMatchObject({ code: 'ECLOSED', outcome: 'unknown' });
    expect(await connecting).toMatchObject({ code: 'ECLOSED', outcome: 'not-sent' });
    await expect(l.request(sale('000022'))).rejects.toMatchObject({ code: 'ECLOSED', outcome: 'not-sent' });
  });
});

describe('HostLink logging', () => {
  it('never logs the PAN or raw bytes, even for a garbled reply', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const log: Logger = createLogger({ level: 'debug', destination: sink });
    const garbled = Buffer.concat([Buffer.from('0210', 'hex'), Buffer.from(PAN, 'ascii')]);
    const h = await host((_req, conn) => conn.payload(garbled));
    const l = link(h.port, { log });
    await rejection(l.request(sale('000023')));
    const text = lines.join('');
    expect(text).toContain('garbled reply from host');
    expect(text).not.toContain(PAN);
    expect(text).not.toContain(garbled.toString('hex'));
    expect(text).not.toContain(Buffer.from(PAN, 'ascii').toString('hex'));
  });
});

describe('HostLink over TLS', () => {
  let dir: string;
  let creds: { key: Buffer; cert: Buffer };
  beforeAll(() => {
    // Node cannot mint X.509 certificates itself; openssl (installed with the OS) makes a throwaway self-signed one.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posfw-tls-'));
    const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
      '-days', '1', '-subj', '/CN=posfw-test-host', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
    creds = { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('talks to a host whose self-signed certificate is pinned as the CA', async () => {
    const h = await host(approve, creds);
    const l = link(h.port, { tls: { ca: creds.cert } });
    expect((await l.request(sale('000030'))).fields[39]).toBe('00');
  });

  it('refuses an untrusted certificate before sending (ECONNECT / not-sent)', async () => {
    const h = await host(approve, creds);
    const l = link(h.port, { tls: true });
    const err = await rejection(l.request(sale('000031')));
    expect(err).toMatchObject({ code: 'ECONNECT', outcome: 'not-sent' });
    expect(err.message).toMatch(/self-signed certificate/);
    expect(h.requests).toEqual([]);
  });
});
