// Data key files: wrapped (never clear) under the device key, durable, destroyed for good, temp files cleaned at open.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataKeyStore } from './data-keys';

const DEVICE = Buffer.alloc(32, 0x42);

describe('DataKeyStore', () => {
  let dir: string;
  beforeEach(() => (dir = join(mkdtempSync(join(tmpdir(), 'posfw-datakeys-')), 'keys')));
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('writes each key wrapped, mode 0600, in a folder of its own (0700), and reads it back with the device key', async () => {
    const store = await DataKeyStore.open(dir, DEVICE);
    const k = await store.create('000007', new Date('2026-01-02T03:04:05Z'));
    expect(k.id).toMatch(/^000007-[0-9a-f]{8}$/);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const file = join(dir, `${k.id}.key`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const raw = readFileSync(file);
    expect(raw.includes(k.key)).toBe(false);
    expect(raw.toString('latin1')).not.toContain(k.key.toString('hex'));
    expect(JSON.parse(raw.toString())).toMatchObject({ v: 1, id: k.id, batch: '000007', createdAt: '2026-01-02T03:04:05.000Z', wrapped: expect.stringMatching(/^w1:/) });
    const again = await DataKeyStore.open(dir, DEVICE);
    expect(again.get(k.id)).toEqual(k.key);
    expect(again.forBatch('000007')?.id).toBe(k.id);
  });

  it('destroys keys for good and keeps only the open batch', async () => {
    const store = await DataKeyStore.open(dir, DEVICE);
    const a = await store.create('000001', new Date(1));
    const b = await store.create('000002', new Date(2));
    const copy = Buffer.from(a.key);
    const { current, destroyed } = await store.keepOnlyBatch('000002', new Date(3));
    expect(current.id).toBe(b.id);
    expect(destroyed).toEqual([a.id]);
    expect(store.get(a.id)).toBeUndefined();
    expect(a.key.equals(copy)).toBe(false); // wiped in memory too
    expect(readdirSync(dir)).toEqual([`${b.id}.key`]);
    expect((await DataKeyStore.open(dir, DEVICE)).ids()).toEqual([b.id]);
  });

  it('cleans temp files a power cut left and refuses a key file that lies about its name', async () => {
    const store = await DataKeyStore.open(dir, DEVICE);
    const k = await store.create('000001', new Date());
    writeFileSync(join(dir, '.000002-00000000.key.1234abcd.tmp'), '{"half":');
    expect((await DataKeyStore.open(dir, DEVICE)).ids()).toEqual([k.id]);
    expect(readdirSync(dir)).toEqual([`${k.id}.key`]);
    writeFileSync(join(dir, '000009-00000000.key'), readFileSync(join(dir, `${k.id}.key`)));
    await expect(DataKeyStore.open(dir, DEVICE)).rejects.toThrow(/does not describe the key its name says/);
  });

  it('names the file and what to do when the device key is another one', async () => {
    await (await DataKeyStore.open(dir, DEVICE)).create('000003', new Date());
    await expect(DataKeyStore.open(dir, Buffer.alloc(32, 1))).rejects.toThrow(/data key 000003-[0-9a-f]{8} \(batch 000003\) does not open under this device key.*Put back the device key/);
  });
});
