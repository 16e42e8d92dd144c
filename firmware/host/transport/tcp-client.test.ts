// TcpClient over real sockets on 127.0.0.1: framed I/O, connect failures, broken framing, reconnect backoff.
import net from 'node:net';
import { silentLogger } from '../../log';
import { backoffDelay, resolveBackoff } from './backoff';
import { HostLinkError } from './errors';
import { encodeFrame, FrameDecoder, type FramingOptions } from './framing';
import { TcpClient, type TcpClientOptions } from './tcp-client';
import { FakeClock } from '../../common/clock';

/** A framing-aware test peer: records frames, lets a test write raw bytes to the latest connection. */
class FramePeer {
  readonly frames: Buffer[] = [];
  readonly sockets = new Set<net.Socket>();
  private server: net.Server | undefined;
  port = 0;
  constructor(private readonly framing: FramingOptions = {}) {}

  async start(port = 0): Promise<void> {
    const server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      const d = new FrameDecoder(this.framing);
      socket.on('data', (chunk) => this.frames.push(...d.push(chunk).map((f) => f.payload)));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }

  write(bytes: Buffer): void {
    for (const s of this.sockets) s.write(bytes);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Resolves with the first value a subscription delivers. */
function next<T>(subscribe: (l: (v: T) => void) => () => void): Promise<T> {
  return new Promise((resolve) => {
    const off = subscribe((v) => {
      off();
      resolve(v);
    });
  });
}

/** Polls a condition on real time (bounded); never asserts on how long it took. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const clients: TcpClient[] = [];
const peers: FramePeer[] = [];
function client(opts: Partial<TcpClientOptions> & { port: number }): TcpClient {
  const c = new TcpClient({ host: '127.0.0.1', connectTimeoutMs: 2000, reconnect: false, log: silentLogger, ...opts });
  clients.push(c);
  return c;
}
async function peer(framing?: FramingOptions): Promise<FramePeer> {
  const p = new FramePeer(framing);
  await p.start();
  peers.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(peers.splice(0).map((p) => p.stop()));
});

describe('TcpClient', () => {
  it('sends framed payloads with the TPDU header and emits coalesced frames in order', async () => {
    const framing = { header: Buffer.from('6000030000', 'hex') };
    const p = await peer(framing);
    const c = client({ port: p.port, framing });
    const got: string[] = [];
    c.onFrame((f) => got.push(`${f.header.toString('hex')}:${f.payload.toString('hex')}`));
    await c.connect();
    expect(c.state).toBe('open');
    c.send(Buffer.from('0800', 'hex'));
    await until(() => p.frames.length === 1, 'the peer to get a frame');
    expect(p.frames[0]!.toString('hex')).toBe('0800');
    const reply = Buffer.concat([encodeFrame(Buffer.from('0810aa', 'hex'), framing), encodeFrame(Buffer.from('0810bb', 'hex'), framing)]);
    p.write(reply.subarray(0, 4));
    await new Promise((r) => setTimeout(r, 10));
    p.write(reply.subarray(4));
    await until(() => got.length === 2, 'two frames');
    expect(got).toEqual(['6000030000:0810aa', '6000030000:0810bb']);
  });

  it('rejects a refused connect with ECONNECT / not-sent', async () => {
    const c = client({ port: await freePort() });
    const err = await c.connect().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(HostLinkError);
    expect(err).toMatchObject({ code: 'ECONNECT', outcome: 'not-sent' });
    expect(c.state).toBe('idle');
  });

  it('times out a TLS handshake the server never answers with ETIMEOUT / not-sent (manual timers)', async () => {
    const p = await peer(); // plain TCP: accepts, never speaks TLS
    const timers = new FakeClock();
    const c = client({ port: p.port, tls: true, connectTimeoutMs: 1000, clock: timers });
    const pending = c.connect().then(() => undefined, (e: unknown) => e);
    await until(() => p.sockets.size === 1, 'the TCP accept');
    expect(timers.pendingDelays()).toEqual([1000]);
    await timers.advance(1000);
    expect(await pending).toMatchObject({ code: 'ETIMEOUT', outcome: 'not-sent', message: `connect to 127.0.0.1:${p.port} timed out after 1000 ms` });
  });

  it('throws before writing when not connected, and ECLOSED after close', async () => {
    const c = client({ port: 1 });
    expect(() => c.send(Buffer.of(1))).toThrow(expect.objectContaining({ code: 'EDISCONNECT', outcome: 'not-sent' }));
    await c.close();
    expect(c.state).toBe('closed');
    expect(() => c.send(Buffer.of(1))).toThrow(expect.objectContaining({ code: 'ECLOSED' }));
    await expect(c.connect()).rejects.toMatchObject({ code: 'ECLOSED', outcome: 'not-sent' });
  });

  it('drops a connection whose framing breaks (EGARBLED) after delivering the frames before it', async () => {
    const p = await peer();
    const c = client({ port: p.port, framing: { maxFrame: 64 } });
    const got: string[] = [];
    c.onFrame((f) => got.push(f.payload.toString('hex')));
    await c.connect();
    const down = next<HostLinkError>((l) => c.onDown(l));
    p.write(Buffer.from('0001aa' + 'ffff', 'hex'));
    const err = await down;
    expect(err).toMatchObject({ code: 'EGARBLED', outcome: 'unknown' });
    expect(got).toEqual(['aa']);
    expect(c.state).toBe('idle');
  });

  it('reports a drop mid-frame as EDISCONNECT naming the lost partial bytes', async () => {
    const p = await peer();
    const c = client({ port: p.port });
    await c.connect();
    const down = next<HostLinkError>((l) => c.onDown(l));
    p.write(Buffer.from('0010abcd', 'hex'));
    await new Promise((r) => setTimeout(r, 10));
    for (const s of p.sockets) s.end();
    expect(await down).toMatchObject({ code: 'EDISCONNECT', message: 'connection to the host dropped (4 bytes of a partial frame lost)' });
  });

  it('reconnects with exponential backoff after the server restarts', async () => {
    const p = await peer();
    const port = p.port;
    const timers = new FakeClock();
    const c = client({ port, clock: timers, random: () => 0.5, reconnect: { initialDelayMs: 100, maxDelayMs: 1000, factor: 2 } });
    const delays: number[] = [];
    c.onReconnectScheduled(({ delayMs }) => delays.push(delayMs));
    await c.connect();
    await p.stop();
    await until(() => delays.length === 1, 'a reconnect to be scheduled');
    for (const expected of [2, 3]) {
      await timers.advance(delays[delays.length - 1]!);
      await until(() => delays.length === expected, `reconnect ${expected}`);
    }
    expect(delays).toEqual([100, 200, 400]);
    await p.start(port);
    const opened = next<void>((l) => c.onOpen(l));
    await timers.advance(400);
    await opened;
    expect(c.state).toBe('open');
    // a later drop starts again from the initial delay
    await p.stop();
    await until(() => delays.length === 4, 'a reconnect after the second drop');
    expect(delays).toEqual([100, 200, 400, 100]);
  });

  it('close() cancels a connect in progress with ECLOSED', async () => {
    const p = await peer();
    const c = client({ port: p.port, tls: true, clock: new FakeClock() });
    const pending = c.connect().then(() => undefined, (e: unknown) => e);
    await until(() => p.sockets.size === 1, 'the TCP accept');
    await c.close();
    expect(await pending).toMatchObject({ code: 'ECLOSED', outcome: 'not-sent', canceled: true });
  });
});

describe('backoff', () => {
  it('grows by the factor, caps at the max and spreads by the jitter ratio', () => {
    const b = resolveBackoff({ initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.2 });
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, b, () => 0.5))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(0, b, () => 0)).toBe(80);
    expect(backoffDelay(0, b, () => 1)).toBe(120);
    expect(() => resolveBackoff({ factor: 0.5 })).toThrow('reconnect.factor: expected >= 1, got 0.5');
  });
});
