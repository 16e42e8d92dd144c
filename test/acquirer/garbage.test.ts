// Garbage on the acquirer's TCP port: random frames, bad length prefixes, truncated and incomplete messages never crash it.
import net from 'node:net';
import { Writable } from 'node:stream';
import type { IsoMessage } from '../../firmware/host/iso8583';
import { encodeFrame, FrameDecoder } from '../../firmware/host/transport/framing';
import { createLogger } from '../../firmware/log';
import { mulberry32 } from '../../firmware/common/prng';
import { codec, f, GOOD_PAN, startHarness, type Harness } from './harness';

let h: Harness;
let logText = '';
beforeEach(async () => {
  logText = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logText += String(chunk);
      cb();
    },
  });
  h = await startHarness({ log: createLogger({ level: 'debug', destination: sink }) });
});
afterEach(async () => {
  await h.close();
});

/** A raw TCP client: writes bytes, collects decoded answer frames, notices when the server closes. */
async function raw(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const decoder = new FrameDecoder();
  const answers: IsoMessage[] = [];
  const waiters: Array<() => void> = [];
  let closed = false;
  socket.on('data', (d) => {
    for (const fr of decoder.push(d)) answers.push(codec.unpack(fr.payload));
    waiters.splice(0).forEach((w) => w());
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    closed = true;
    waiters.splice(0).forEach((w) => w());
  });
  const until = (cond: () => boolean, ms = 5000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('condition not met in time')), ms);
      const check = () => {
        if (cond()) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      check();
    });
  return { socket, answers, until, get closed() { return closed; } };
}

/** Proves the server still serves: a fresh link gets a sale approved. */
async function stillServing(): Promise<void> {
  const link = h.newLink();
  expect(f(await link.request(h.term.sale(100)), 39)).toBe('00');
}

test('random frames are dropped or answered 30, nothing is posted, the server keeps serving', async () => {
  const random = mulberry32(2024);
  const c = await raw(h.acq.port);
  for (let i = 0; i < 200; i++) {
    const body = Buffer.alloc(Math.floor(random() * 300));
    for (let j = 0; j < body.length; j++) body[j] = Math.floor(random() * 256);
    c.socket.write(encodeFrame(body));
  }
  c.socket.write(encodeFrame(codec.pack(h.term.network('301'))));
  await c.until(() => c.answers.some((a) => a.mti === '0810'));
  expect(c.closed).toBe(false);
  for (const a of c.answers) expect(['30', '00', '12']).toContain(f(a, 39));
  expect((await h.admin('GET', '/ledger')).json.entries).toEqual([]);
  c.socket.destroy();
  await stillServing();
  expect(logText).toContain('"maskedPan":"476173******0010"');
  expect(logText).not.toContain(GOOD_PAN);
});

test('a truncated sale is answered 30 with its STAN; the log holds no clear PAN', async () => {
  const sale = h.term.sale(1000);
  const bytes = codec.pack(sale);
  const c = await raw(h.acq.port);
  c.socket.write(encodeFrame(bytes.subarray(0, bytes.length - 3)));
  await c.until(() => c.answers.length === 1);
  expect([c.answers[0].mti, f(c.answers[0], 11), f(c.answers[0], 41), f(c.answers[0], 39)]).toEqual(['0210', f(sale, 11), 'TERM0001', '30']);
  expect((await h.admin('GET', '/ledger')).json.entries).toEqual([]);
  expect(logText).toContain('undecodable request answered 30');
  expect(logText).not.toContain(GOOD_PAN);
  c.socket.destroy();
});

test('a sale without a mandatory field (62) is answered 30 and not posted', async () => {
  const sale = h.term.sale(1000);
  delete sale.fields[62];
  expect(f(await h.link.request(sale), 39)).toBe('30');
  expect((await h.admin('GET', '/ledger')).json.entries).toEqual([]);
});

test('a response MTI is not answered; an unsupported request MTI gets 12', async () => {
  const c = await raw(h.acq.port);
  c.socket.write(encodeFrame(codec.pack({ mti: '0210', fields: { 11: '000777', 39: '00', 41: 'TERM0001' } })));
  c.socket.write(encodeFrame(codec.pack({ mti: '0600', fields: { 11: '000778', 41: 'TERM0001' } })));
  await c.until(() => c.answers.length >= 1);
  expect(c.answers.map((a) => [a.mti, f(a, 11), f(a, 39)])).toEqual([['0610', '000778', '12']]);
  c.socket.destroy();
});

test('an oversize length prefix drops the connection; the server keeps serving', async () => {
  const c = await raw(h.acq.port);
  c.socket.write(Buffer.from([0xff, 0xff, 0x01, 0x02, 0x03]));
  await c.until(() => c.closed);
  expect(logText).toContain('broken framing');
  await stillServing();
});

test('an incomplete frame then a hang-up, and a bare half prefix, leave the server serving', async () => {
  const c1 = await raw(h.acq.port);
  c1.socket.end(Buffer.from([0x00, 0x64, 0x02, 0x00, 0x30]));
  const c2 = await raw(h.acq.port);
  c2.socket.end(Buffer.from([0x00]));
  await c1.until(() => c1.closed);
  await c2.until(() => c2.closed);
  await stillServing();
});
