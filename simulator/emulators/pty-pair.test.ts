// socat pty pairs: bytes pass both ways, close removes the links, the same paths can be replugged, bad paths refused.
import { existsSync, lstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { createPtyPair } from './pty-pair';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'posfw-pty-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = (path: string) =>
  new Promise<SerialPort>((resolve, reject) => {
    const p = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    p.open((err) => (err ? reject(err) : resolve(p)));
  });
const close = (p: SerialPort) => new Promise<void>((r) => p.close(() => r()));
const nextData = (p: SerialPort) => new Promise<Buffer>((r) => p.once('data', r));

describe('createPtyPair', () => {
  it('links two ends that pass bytes both ways, and removes the links on close', async () => {
    const pair = await createPtyPair(dir);
    expect(pair.a).toBe(join(dir, 'pty-a'));
    expect(pair.b).toBe(join(dir, 'pty-b'));
    expect(lstatSync(pair.a).isSymbolicLink()).toBe(true);
    const [a, b] = await Promise.all([open(pair.a), open(pair.b)]);
    const atB = nextData(b);
    a.write(Buffer.from([0x02, 0x00, 0x06]));
    expect(await atB).toEqual(Buffer.from([0x02, 0x00, 0x06]));
    const atA = nextData(a);
    b.write(Buffer.from('ok'));
    expect((await atA).toString()).toBe('ok');
    await Promise.all([close(a), close(b)]);
    await pair.close();
    expect(existsSync(pair.a)).toBe(false);
    expect(existsSync(pair.b)).toBe(false);
    await expect(pair.close()).resolves.toBeUndefined();
  });

  it('recreates a pair at the same link paths after close (replug)', async () => {
    const first = await createPtyPair(dir, { names: ['dev', 'dev.pad'] });
    await first.close();
    const second = await createPtyPair(dir, { names: ['dev', 'dev.pad'] });
    expect(second.a).toBe(first.a);
    const [a, b] = await Promise.all([open(second.a), open(second.b)]);
    const atB = nextData(b);
    a.write(Buffer.from('x'));
    expect((await atB).toString()).toBe('x');
    await Promise.all([close(a), close(b)]);
    await second.close();
  });

  it('refuses paths socat would misread and files it did not make', async () => {
    expect(() => createPtyPair(join(dir, 'a,b'))).toThrow(/socat cannot take/);
    expect(() => createPtyPair(dir, { names: ['same', 'same'] })).toThrow(/must differ/);
    writeFileSync(join(dir, 'pty-a'), 'mine');
    expect(() => createPtyPair(dir)).toThrow(/not a symlink/);
  });
});
