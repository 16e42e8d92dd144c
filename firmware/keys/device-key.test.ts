// The device key: where a board keeps it, creation (0600, never replaced), checks on read, and what a missing key says.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeviceKey, deviceKeyLocation, DeviceKeyError, loadDeviceKey, readDeviceKey } from './device-key';

describe('device key', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'posfw-devkey-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lives where the board says: absolute, relative to the data folder, a systemd credential, or device.key', () => {
    expect(deviceKeyLocation({ deviceKeyFile: '/etc/posfw/device.key' }, '/data')).toEqual({ path: '/etc/posfw/device.key', setting: 'security.deviceKeyFile', generate: false });
    expect(deviceKeyLocation({ journalKeyFile: 'k/dev.key' }, '/data')).toMatchObject({ path: '/data/k/dev.key', setting: 'security.journalKeyFile' });
    expect(deviceKeyLocation({ generateDeviceKey: true }, '/data')).toEqual({ path: '/data/device.key', setting: 'default', generate: true });
    expect(deviceKeyLocation({ deviceKeyFile: '$CREDENTIALS_DIRECTORY/posfw-device-key' }, '/d', { CREDENTIALS_DIRECTORY: '/run/credentials/posfw.service' }).path).toBe('/run/credentials/posfw.service/posfw-device-key');
    expect(deviceKeyLocation({ deviceKeyFile: '${CREDENTIALS_DIRECTORY}/k' }, '/d', { CREDENTIALS_DIRECTORY: '/run/c' }).path).toBe('/run/c/k');
    expect(() => deviceKeyLocation({ deviceKeyFile: '$CREDENTIALS_DIRECTORY/k' }, '/d', {})).toThrow(/CREDENTIALS_DIRECTORY is not set: start posfw from its systemd unit with LoadCredentialEncrypted=/);
  });

  it('is created once, 64 hex digits, mode 0600, and never replaced', async () => {
    const path = join(dir, 'etc', 'device.key');
    await createDeviceKey(path);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^[0-9a-f]{64}\n$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await expect(createDeviceKey(path)).rejects.toMatchObject({ code: 'exists', message: expect.stringContaining('it is kept') });
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect((await readDeviceKey(path)).toString('hex')).toBe(text.trim());
  });

  it('is given to the service user when created for one (root provisioning)', async () => {
    if (process.getuid?.() !== 0) return; // chown needs root
    const path = join(dir, 'device.key');
    await createDeviceKey(path, { owner: { uid: 65534, gid: 65534 } });
    expect(statSync(path)).toMatchObject({ uid: 65534, gid: 65534 });
  });

  it('refuses keys other users can read, and files that are not a key', async () => {
    const path = join(dir, 'device.key');
    writeFileSync(path, 'ab'.repeat(32) + '\n', { mode: 0o644 });
    chmodSync(path, 0o644);
    await expect(readDeviceKey(path)).rejects.toMatchObject({ code: 'exposed', message: expect.stringContaining('chmod 600') });
    chmodSync(path, 0o640); // the service user's group may read it (an installer's choice)
    await expect(readDeviceKey(path)).resolves.toHaveLength(32);
    writeFileSync(path, 'not a key');
    await expect(readDeviceKey(path)).rejects.toMatchObject({ code: 'malformed' });
    writeFileSync(path, Buffer.alloc(32, 7));
    expect(await readDeviceKey(path)).toEqual(Buffer.alloc(32, 7));
  });

  it('a real board without its key is told exactly what is missing and what to run', async () => {
    const path = join(dir, 'journal.key');
    const err = await loadDeviceKey({ security: { journalKeyFile: path }, dataDir: '/var/lib/posfw', boardFile: 'board-configs/rpi-terminal.json' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceKeyError);
    expect((err as DeviceKeyError).code).toBe('missing');
    expect((err as Error).message).toContain(`no device key at ${path} (security.journalKeyFile in the board config)`);
    expect((err as Error).message).toContain('posfw keys init --board board-configs/rpi-terminal.json\n');
    const rel = await loadDeviceKey({ security: {}, dataDir: dir, boardFile: 'b.json' }).catch((e: Error) => e.message);
    expect(rel).toContain(`posfw keys init --board b.json --data ${dir}`);
  });

  it('a simulator board makes its own key in the data folder at first boot, then keeps it', async () => {
    const first = await loadDeviceKey({ security: { generateDeviceKey: true }, dataDir: dir });
    expect(statSync(join(dir, 'device.key')).mode & 0o777).toBe(0o600);
    expect(await loadDeviceKey({ security: { generateDeviceKey: true }, dataDir: dir })).toEqual(first);
    rmSync(join(dir, 'device.key'));
    await expect(loadDeviceKey({ security: { generateDeviceKey: true }, dataDir: dir, readOnly: true })).rejects.toMatchObject({ code: 'missing' });
  });
});
