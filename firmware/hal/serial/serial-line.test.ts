// Unit tests for the reconnecting serial line with a fake port and a FakeClock (no sleeping; pty tests live in test/drivers).
import { EventEmitter } from 'node:events';
import { FakeClock } from '../../common/clock';
import { silentLogger } from '../../log';
import { DeviceError } from '../device';
import { SerialLine, type SerialLineOptions, type SerialPortLike } from './serial-line';
import { serialOpenError } from './serial-port';

class FakePort extends EventEmitter {
  isOpen = false;
  written: Buffer[] = [];
  /** Drain callbacks held back (a slow line) until release(). */
  held: Array<(err: Error | null) => void> = [];
  holdDrain = false;
  modem: 'ok' | 'refuse' | 'absent' = 'ok';
  constructor(private readonly fail: Error | null) {
    super();
  }
  open(cb: (err: Error | null) => void): void {
    this.isOpen = this.fail === null;
    queueMicrotask(() => cb(this.fail));
  }
  close(cb?: (err: Error | null) => void): void {
    this.isOpen = false;
    cb?.(null);
  }
  write(data: Buffer, cb?: (err: Error | null | undefined) => void): boolean {
    this.written.push(data);
    queueMicrotask(() => cb?.(null));
    return true;
  }
  drain(cb: (err: Error | null) => void): void {
    if (this.holdDrain) this.held.push(cb);
    else queueMicrotask(() => cb(null));
  }
  get set(): SerialPortLike['set'] {
    if (this.modem === 'absent') return undefined;
    return (_lines, cb) => queueMicrotask(() => cb(this.modem === 'ok' ? null : new Error('Inappropriate ioctl for device, cannot set')));
  }
}

const MISSING = () => Object.assign(new Error('Error: No such file or directory, cannot open /dev/ttyFAKE'), { code: 'ENOENT' });

function rig(opts: { present: () => boolean; node?: () => string; over?: Partial<SerialLineOptions>; modem?: FakePort['modem'] }) {
  const clock = new FakeClock();
  const ports: FakePort[] = [];
  const data: string[] = [];
  const faults: DeviceError[] = [];
  let reconnects = 0;
  const line = new SerialLine({
    path: '/dev/ttyFAKE',
    baudRate: 9600,
    reconnectMs: 1000,
    log: silentLogger,
    clock,
    openPort: () => {
      const p = new FakePort(opts.present() ? null : MISSING());
      if (opts.modem) p.modem = opts.modem;
      ports.push(p);
      return p as unknown as SerialPortLike;
    },
    identify: async () => (opts.present() ? (opts.node?.() ?? 'node-1') : undefined),
    ...opts.over,
  });
  line.onData((d) => data.push(d.toString()));
  line.onDown((e) => faults.push(e));
  line.onUp(() => reconnects++);
  return { line, clock, ports, data, faults, reconnects: () => reconnects };
}

describe('SerialLine', () => {
  it('rejects the first open with ENODEV when the path is missing', async () => {
    const r = rig({ present: () => false });
    await expect(r.line.open()).rejects.toMatchObject({ code: 'ENODEV' });
    expect(r.clock.pendingCount).toBe(0);
  });

  it('reports a disconnect once, retries every reconnectMs until the path is back, then reads again', async () => {
    let present = true;
    const r = rig({ present: () => present, over: { maxReconnectMs: 1000 } });
    await r.line.open();
    r.ports[0]!.emit('data', Buffer.from('A'));
    present = false;
    r.ports[0]!.emit('close', Object.assign(new Error('bad file descriptor'), { disconnected: true }));
    expect(r.faults.map((f) => [f.code, f.message])).toEqual([['EIO', '/dev/ttyFAKE disconnected: bad file descriptor']]);
    expect(r.line.up).toBe(false);
    await r.clock.advance(1000);
    await r.clock.advance(1000);
    expect(r.ports).toHaveLength(3); // the original and two failed attempts
    present = true;
    await r.clock.advance(1000);
    expect(r.line.up).toBe(true);
    expect(r.reconnects()).toBe(1);
    r.ports[3]!.emit('data', Buffer.from('B'));
    expect(r.data).toEqual(['A', 'B']);
    expect(r.faults).toHaveLength(1);
  });

  it('notices a path that disappeared even when the port never reports it', async () => {
    let present = true;
    const r = rig({ present: () => present });
    await r.line.open();
    await r.clock.advance(1000); // presence check: still there
    expect(r.faults).toHaveLength(0);
    present = false;
    await r.clock.advance(1000);
    expect(r.faults.map((f) => f.message)).toEqual(['/dev/ttyFAKE disconnected: device path disappeared']);
    expect(r.ports[0]!.isOpen).toBe(false);
  });

  it('notices a path that now names another device node (replugged between two checks)', async () => {
    let node = 'node-1';
    const r = rig({ present: () => true, node: () => node });
    await r.line.open();
    node = 'node-2';
    await r.clock.advance(1000);
    expect(r.faults.map((f) => f.message)).toEqual(['/dev/ttyFAKE disconnected: the path now names another device']);
    await r.clock.advance(1000);
    expect(r.line.up).toBe(true);
  });

  it('stops reconnecting after close', async () => {
    let present = true;
    const r = rig({ present: () => present });
    await r.line.open();
    present = false;
    r.ports[0]!.emit('close', new Error('gone'));
    await r.line.close();
    expect(r.clock.pendingCount).toBe(0);
    await r.line.close();
    expect(r.line.state).toBe('closed');
  });

  it('backs off: waits reconnectMs, then doubles after each failed attempt up to maxReconnectMs, and starts over once back', async () => {
    let present = true;
    const r = rig({ present: () => present, over: { reconnectMs: 100, maxReconnectMs: 500 } });
    await r.line.open();
    present = false;
    r.ports[0]!.emit('close', null);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      waits.push(...r.clock.pendingDelays());
      await r.clock.advance(r.clock.pendingDelays()[0]!);
    }
    expect(waits).toEqual([100, 200, 400, 500, 500]);
    present = true;
    await r.clock.advance(500);
    expect(r.reconnects()).toBe(1);
    present = false;
    r.ports.at(-1)!.emit('close', null);
    expect(r.clock.pendingDelays()).toEqual([100]);
  });

  it('defaults maxReconnectMs to 8 × reconnectMs', async () => {
    let present = true;
    const r = rig({ present: () => present, over: { reconnectMs: 10 } });
    await r.line.open();
    present = false;
    r.ports[0]!.emit('close', null);
    for (let i = 0; i < 6; i++) await r.clock.advance(r.clock.pendingDelays()[0]!);
    expect(r.clock.pendingDelays()).toEqual([80]);
  });

  it('writes and resolves once drained; rejects ENOTOPEN before open and after close, EIO while down', async () => {
    let present = true;
    const r = rig({ present: () => present });
    await expect(r.line.write(Buffer.from('x'))).rejects.toMatchObject({ code: 'ENOTOPEN', message: 'serial port /dev/ttyFAKE is not open' });
    await r.line.open();
    await r.line.write(Buffer.from('hello'));
    expect(r.ports[0]!.written.map(String)).toEqual(['hello']);
    present = false;
    r.ports[0]!.emit('close', null);
    await expect(r.line.write(Buffer.from('x'))).rejects.toMatchObject({ code: 'EIO', message: expect.stringContaining('/dev/ttyFAKE') });
    await r.line.close();
    await expect(r.line.write(Buffer.from('x'))).rejects.toMatchObject({ code: 'ENOTOPEN' });
  });

  it('rejects a write in flight with ECANCELED (canceled: true) on close, and with EIO when the line goes down', async () => {
    const r = rig({ present: () => true });
    await r.line.open();
    r.ports[0]!.holdDrain = true;
    const lost = r.line.write(Buffer.from('a')).catch((e: unknown) => e);
    r.ports[0]!.emit('close', new Error('unplugged'));
    expect(await lost).toMatchObject({ name: 'DeviceError', code: 'EIO', canceled: false });
    await r.clock.advance(1000);
    expect(r.line.up).toBe(true);
    r.ports[1]!.holdDrain = true;
    const cancelled = r.line.write(Buffer.from('b')).catch((e: unknown) => e);
    await r.line.close();
    expect(await cancelled).toMatchObject({ name: 'DeviceError', code: 'ECANCELED', canceled: true });
  });

  it('rejects open with ECANCELED when closed while opening, and may be opened again', async () => {
    const r = rig({ present: () => true });
    const opening = r.line.open();
    await r.line.close();
    await expect(opening).rejects.toMatchObject({ code: 'ECANCELED', canceled: true });
    expect(r.ports[0]!.isOpen).toBe(false);
    await r.line.open();
    expect(r.line.up).toBe(true);
  });

  it('keeps modem lines optional: set when the port takes them, logged and skipped when it refuses', async () => {
    const ok = rig({ present: () => true, over: { modemLines: { dtr: true } } });
    await ok.line.open();
    await expect(ok.line.setModemLines({ rts: true })).resolves.toBe(true);
    for (const modem of ['refuse', 'absent'] as const) {
      const r = rig({ present: () => true, modem, over: { modemLines: { dtr: true, rts: true } } });
      await r.line.open();
      expect(r.line.up).toBe(true);
      await expect(r.line.setModemLines({ dtr: false })).resolves.toBe(false);
    }
    await expect(rig({ present: () => true }).line.setModemLines({ dtr: true })).rejects.toMatchObject({ code: 'ENOTOPEN' });
  });

  it('does not let a throwing data listener break the line', async () => {
    const r = rig({ present: () => true });
    r.line.onData(() => {
      throw new Error('listener bug');
    });
    await r.line.open();
    r.ports[0]!.emit('data', Buffer.from('A'));
    expect(r.data).toEqual(['A']);
  });

  it('throws at once for a missing path or a bad baud rate / reconnect wait', () => {
    const base = { path: '/dev/x', baudRate: 9600, reconnectMs: 100, log: silentLogger };
    expect(() => new SerialLine({ ...base, path: '' })).toThrow(TypeError);
    expect(() => new SerialLine({ ...base, baudRate: 0 })).toThrow('expected a positive integer baudRate, got 0');
    expect(() => new SerialLine({ ...base, reconnectMs: 0 })).toThrow('expected reconnectMs > 0, got 0');
  });
});

describe('serialOpenError', () => {
  it('maps a missing path to ENODEV, a missing serialport to EDRIVER and the rest to EIO, naming the path', () => {
    expect(serialOpenError('/dev/ttyX', MISSING())).toMatchObject({ code: 'ENODEV', message: expect.stringContaining('cannot open /dev/ttyX') });
    expect(serialOpenError('/dev/ttyX', Object.assign(new Error("Cannot find module 'serialport'"), { code: 'MODULE_NOT_FOUND' }))).toMatchObject({ code: 'EDRIVER' });
    expect(serialOpenError('/dev/ttyX', new Error('Permission denied, cannot open /dev/ttyX'))).toMatchObject({ code: 'EIO', message: 'cannot open /dev/ttyX: Permission denied, cannot open /dev/ttyX' });
    const same = new DeviceError('ECANCELED', 'x');
    expect(serialOpenError('/dev/ttyX', same)).toBe(same);
  });
});
