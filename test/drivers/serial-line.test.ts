// The reconnecting serial line over a real socat pty pair: bytes both ways, open errors, modem lines, unplug and replug, close.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceError } from '../../firmware/hal/device';
import { SerialLine } from '../../firmware/hal/serial/serial-line';
import { silentLogger } from '../../firmware/log';
import { createPtyPair, type PtyPair } from '../../simulator/emulators/pty-pair';

let dir: string;
let pair: PtyPair;
const lines: SerialLine[] = [];

/** A line on `path`, closed after the test. Short waits: this is real I/O, and every wait below is bounded. */
function lineOn(path: string, extra: Partial<ConstructorParameters<typeof SerialLine>[0]> = {}): SerialLine {
  const line = new SerialLine({ path, baudRate: 115200, reconnectMs: 30, maxReconnectMs: 120, log: silentLogger, ...extra });
  lines.push(line);
  return line;
}

/** Collects what a line reads; `until(text)` waits (bounded) for it. */
function reader(line: SerialLine) {
  let got = '';
  const waiters = new Set<() => void>();
  line.onData((d) => {
    got += d.toString('latin1');
    for (const w of [...waiters]) w();
  });
  return {
    text: () => got,
    until: (text: string, timeoutMs = 3000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!got.includes(text)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => (waiters.delete(check), reject(new Error(`waited for ${JSON.stringify(text)}, got ${JSON.stringify(got)}`))), timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}

/** Resolves with the next event a subscription delivers (bounded). */
function next<T>(subscribe: (l: (v: T) => void) => () => void, timeoutMs = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (stop(), reject(new Error('no event'))), timeoutMs);
    const stop = subscribe((v) => {
      clearTimeout(timer);
      stop();
      resolve(v);
    });
  });
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'posfw-line-'));
  pair = await createPtyPair(dir);
});
afterEach(async () => {
  for (const l of lines.splice(0)) await l.close();
  await pair.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SerialLine over a pty pair', () => {
  it('carries bytes both ways; write resolves once the bytes left', async () => {
    const driver = lineOn(pair.a);
    const device = lineOn(pair.b);
    const atDevice = reader(device);
    const atDriver = reader(driver);
    await driver.open();
    await device.open();
    expect(driver.up).toBe(true);
    await driver.write(Buffer.from('PING\r'));
    await atDevice.until('PING\r');
    await device.write(Buffer.from([0x02, 0x41, 0x03]));
    await atDriver.until('\x02A\x03');
  });

  it('rejects open with ENODEV naming the path when it does not exist', async () => {
    const missing = join(dir, 'no-such-tty');
    const err = (await lineOn(missing).open().catch((e: unknown) => e)) as DeviceError;
    expect(err).toBeInstanceOf(DeviceError);
    expect(err).toMatchObject({ code: 'ENODEV', message: expect.stringContaining(missing) });
  });

  it('opens a pty although it refuses DTR/RTS (modem lines are optional)', async () => {
    const driver = lineOn(pair.a, { modemLines: { dtr: true, rts: true } });
    await driver.open();
    expect(driver.up).toBe(true);
    await expect(driver.setModemLines({ dtr: false })).resolves.toBe(false);
  });

  it('reports an unplug once (EIO naming the path), refuses writes while down, and reopens at the same path', async () => {
    const driver = lineOn(pair.a);
    const atDriver = reader(driver);
    const downs: DeviceError[] = [];
    driver.onDown((e) => downs.push(e));
    await driver.open();
    const down = next<DeviceError>((l) => driver.onDown(l));
    await pair.close();
    expect(await down).toMatchObject({ code: 'EIO', message: expect.stringContaining(pair.a) });
    expect(driver.up).toBe(false);
    await expect(driver.write(Buffer.from('x'))).rejects.toMatchObject({ code: 'EIO' });

    const up = next<void>((l) => driver.onUp(l));
    pair = await createPtyPair(dir);
    await up;
    expect(driver.up).toBe(true);
    const device = lineOn(pair.b);
    await device.open();
    await device.write(Buffer.from('AFTER'));
    await atDriver.until('AFTER');
    expect(downs).toHaveLength(1);
  });

  it('rejects a write still in flight with ECANCELED (canceled: true) when closed', async () => {
    const driver = lineOn(pair.a);
    await driver.open();
    // Nobody reads the other end: the pty and socat buffers fill and the write cannot drain.
    const pending = driver.write(Buffer.alloc(4 * 1024 * 1024, 0x55)).catch((e: unknown) => e);
    await driver.close();
    expect(await pending).toMatchObject({ name: 'DeviceError', code: 'ECANCELED', canceled: true });
    expect(driver.state).toBe('closed');
  });
});
