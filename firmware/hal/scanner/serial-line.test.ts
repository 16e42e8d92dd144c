// Unit tests for the reconnecting serial line with a fake port and manual timers (no sleeping).
import { EventEmitter } from 'node:events';
import { silentLogger } from '../../log';
import type { DeviceError } from '../device';
import { SerialLine, type SerialPortLike, type SerialTimers } from './serial-line';

class FakePort extends EventEmitter {
  isOpen = false;
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
}

class FakeClock implements SerialTimers {
  pending: { fn: () => void; ms: number; id: number }[] = [];
  private next = 1;
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.push({ fn, ms, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((t) => t.id !== handle);
  }
  /** Runs every timer due now (each was set for reconnectMs). */
  async tick(): Promise<void> {
    const due = this.pending.splice(0);
    for (const t of due) t.fn();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  }
}

function rig(opts: { present: () => boolean }) {
  const timers = new FakeClock();
  const ports: FakePort[] = [];
  const data: string[] = [];
  const faults: DeviceError[] = [];
  let reconnects = 0;
  const line = new SerialLine({
    path: '/dev/ttyFAKE',
    baudRate: 9600,
    reconnectMs: 1000,
    log: silentLogger,
    onData: (d) => data.push(d.toString()),
    onFault: (e) => faults.push(e),
    onReconnect: () => reconnects++,
    openPort: () => {
      const p = new FakePort(opts.present() ? null : Object.assign(new Error('Error: No such file or directory, cannot open /dev/ttyFAKE'), { code: 'ENOENT' }));
      ports.push(p);
      return p as unknown as SerialPortLike;
    },
    timers,
    exists: () => opts.present(),
  });
  return { line, timers, ports, data, faults, reconnects: () => reconnects };
}

describe('SerialLine', () => {
  it('rejects the first open with ENODEV when the path is missing', async () => {
    const r = rig({ present: () => false });
    await expect(r.line.open()).rejects.toMatchObject({ code: 'ENODEV' });
    expect(r.timers.pending).toEqual([]);
  });

  it('reports a disconnect once, retries every reconnectMs until the path is back, then reads again', async () => {
    let present = true;
    const r = rig({ present: () => present });
    await r.line.open();
    r.ports[0]!.emit('data', Buffer.from('A'));
    present = false;
    r.ports[0]!.emit('close', Object.assign(new Error('bad file descriptor'), { disconnected: true }));
    expect(r.faults.map((f) => [f.code, f.message])).toEqual([['EIO', '/dev/ttyFAKE disconnected: bad file descriptor']]);
    expect(r.line.connected).toBe(false);
    await r.timers.tick();
    await r.timers.tick();
    expect(r.ports).toHaveLength(3); // the original and two failed attempts
    present = true;
    await r.timers.tick();
    expect(r.line.connected).toBe(true);
    expect(r.reconnects()).toBe(1);
    r.ports[3]!.emit('data', Buffer.from('B'));
    expect(r.data).toEqual(['A', 'B']);
    expect(r.faults).toHaveLength(1);
  });

  it('notices a path that disappeared even when the port never reports it', async () => {
    let present = true;
    const r = rig({ present: () => present });
    await r.line.open();
    await r.timers.tick(); // watchdog: still there
    expect(r.faults).toHaveLength(0);
    present = false;
    await r.timers.tick();
    expect(r.faults.map((f) => f.message)).toEqual(['/dev/ttyFAKE disconnected: device path disappeared']);
    expect(r.ports[0]!.isOpen).toBe(false);
  });

  it('stops reconnecting after close', async () => {
    let present = true;
    const r = rig({ present: () => present });
    await r.line.open();
    present = false;
    r.ports[0]!.emit('close', new Error('gone'));
    await r.line.close();
    expect(r.timers.pending).toEqual([]);
    await r.line.close();
  });
});
