// Service wiring: READY=1 with the version, watchdog only when asked, STOPPING=1 and a bounded drain on stop.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../log';
import type { NotifyFields, Notifier } from './sd-notify';
import { installedVersion, startSystemdService } from './service';

const log = createLogger({ level: 'silent' });

/** An in-memory notifier that records what would go to systemd. */
function recorder(): Notifier & { sent: NotifyFields[] } {
  const sent: NotifyFields[] = [];
  return { enabled: true, sent, notify: async (f) => (sent.push(f), true) };
}

it('sends READY=1 with the version in STATUS, and starts no watchdog without WATCHDOG_USEC', async () => {
  const notifier = recorder();
  const svc = startSystemdService({ log, isBusy: () => false, env: {}, notifier, version: '1.2.3-gabc' });
  await svc.ready();
  expect(notifier.sent).toEqual([{ READY: 1, STATUS: 'posfw 1.2.3-gabc ready' }]);
  svc.close();
});

it('sends STOPPING=1, then waits for the running transaction, but no longer than POSFW_STOP_DRAIN_MS', async () => {
  let t = 0;
  let busyUntil = 1500;
  const notifier = recorder();
  const opts = { log, notifier, version: 'v', now: () => t, sleep: async (ms: number) => void (t += ms), isBusy: () => t < busyUntil };
  await startSystemdService({ ...opts, env: { POSFW_STOP_DRAIN_MS: '5000' } }).stopping();
  expect(notifier.sent[0]).toEqual({ STOPPING: 1, STATUS: 'posfw v stopping' });
  expect(t).toBe(1500);
  t = 0;
  busyUntil = Infinity;
  await startSystemdService({ ...opts, env: { POSFW_STOP_DRAIN_MS: '2000' } }).stopping();
  expect(t).toBe(2000);
});

it('runs without systemd integration, logging the variable, when one is malformed', async () => {
  const errors: string[] = [];
  const spy = { ...log, error: (o: { err: Error }) => errors.push(o.err.message), child: () => spy } as unknown as typeof log;
  const svc = startSystemdService({ log: spy, isBusy: () => false, env: { NOTIFY_SOCKET: 'relative.sock' } });
  expect(svc.notifier.enabled).toBe(false);
  await svc.ready();
  expect(errors[0]).toMatch(/NOTIFY_SOCKET: expected an absolute socket path/);
});

it('reads the version from the bundle VERSION file, else package.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'posfw-version-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{"version":"0.9.0"}');
    expect(installedVersion(dir)).toBe('0.9.0');
    writeFileSync(join(dir, 'VERSION'), '0.9.0-g1234567\n');
    expect(installedVersion(dir)).toBe('0.9.0-g1234567');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
