// sd_notify: NOTIFY_SOCKET parsing, field checks, and real systemd-notify deliveries to a fake socket (path and abstract).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNotifier, notifyAssignments, parseNotifySocket, systemdNotifyTransport } from './sd-notify';
import { startNotifyReceiver, type NotifyReceiver } from '../../test/helpers/notify-receiver';

describe('parseNotifySocket', () => {
  it('is undefined outside systemd', () => {
    expect(parseNotifySocket(undefined)).toBeUndefined();
    expect(parseNotifySocket('')).toBeUndefined();
  });
  it('tells paths from abstract addresses', () => {
    expect(parseNotifySocket('/run/systemd/notify')).toEqual({ kind: 'path', raw: '/run/systemd/notify' });
    expect(parseNotifySocket('@abc')).toEqual({ kind: 'abstract', raw: '@abc' });
  });
  it('names the variable when it is neither', () => {
    expect(() => parseNotifySocket('vsock:2:1234')).toThrow(/NOTIFY_SOCKET: expected an absolute socket path .* got "vsock:2:1234"/);
    expect(() => parseNotifySocket('@')).toThrow(/NOTIFY_SOCKET/);
  });
});

describe('notifyAssignments', () => {
  it('keeps order and stringifies', () => {
    expect(notifyAssignments({ READY: 1, STATUS: 'posfw 1.0 ready' })).toEqual(['READY=1', 'STATUS=posfw 1.0 ready']);
  });
  it('refuses lower-case names and newlines', () => {
    expect(() => notifyAssignments({ ready: 1 })).toThrow(/field "ready": expected an upper-case name/);
    expect(() => notifyAssignments({ STATUS: 'a\nREADY=1' })).toThrow(/STATUS: value must not contain a newline/);
  });
});

describe('delivery through systemd-notify', () => {
  const dir = mkdtempSync(join(tmpdir(), 'posfw-notify-'));
  const receivers: NotifyReceiver[] = [];
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([['path', join(dir, 'notify.sock')], ['abstract', `@posfw-test-${process.pid}`]])('reaches a %s socket with all fields in one message', async (_kind, address) => {
    const rx = await startNotifyReceiver(address);
    receivers.push(rx);
    const notifier = createNotifier({ env: { NOTIFY_SOCKET: address } });
    expect(notifier.enabled).toBe(true);
    expect(await notifier.notify({ READY: 1, STATUS: 'posfw test ready' })).toBe(true);
    expect(await rx.waitFor((m) => m.includes('READY=1'), 'READY=1')).toEqual(['READY=1', 'STATUS=posfw test ready']);
  });

  it('is a no-op without NOTIFY_SOCKET and never looks for a transport', async () => {
    const notifier = createNotifier({ env: {}, transport: () => { throw new Error('must not be created'); } });
    expect(notifier.enabled).toBe(false);
    expect(await notifier.notify({ READY: 1 })).toBe(false);
  });

  it('resolves false with a warning when nobody listens', async () => {
    const warnings: unknown[] = [];
    const log = { warn: (o: unknown) => warnings.push(o) } as never;
    const notifier = createNotifier({ env: { NOTIFY_SOCKET: join(dir, 'nobody.sock') }, log, transport: () => systemdNotifyTransport({ timeoutMs: 3000 }) });
    expect(await notifier.notify({ WATCHDOG: 1 })).toBe(false);
    expect(JSON.stringify(warnings)).toContain('WATCHDOG');
  });
});
