// Simulated PIN pad counter persistence: saved ahead of use, so a restart never reuses a KSN and most PINs write no file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimPinPad } from './pinpad.sim';
import { KeyWrap } from '../../keys/key-wrap';

const CONFIG = { driver: 'sim' as const, scheme: 'tdes' as const, initialKey: '6AC292FAA1315B4D858AB3A3D7D5933A', ksn: 'FFFF9876543210E00000' };
const PAN = '4761739001010010';

async function pins(dataDir: string, n: number): Promise<string[]> {
  const pad = createSimPinPad(CONFIG, { dataDir });
  await pad.open();
  const ksns: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = pad.entry.requestPin({ pan: PAN, label: 'SALE', allowBypass: false });
    pad.enterPin('1234');
    const out = await r;
    if (out.kind !== 'pin') throw new Error(out.kind);
    ksns.push(out.ksn.toString('hex'));
  }
  await pad.close();
  return ksns;
}

describe('sim PIN pad KSN counter', () => {
  it('never reuses a KSN across restarts, and writes its state once per 16 PINs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'posfw-simpad-'));
    try {
      const first = await pins(dir, 5);
      const file = join(dir, 'sim-pinpad.json');
      const savedAfterFirst = JSON.parse(readFileSync(file, 'utf8')).ksn as string;
      const second = await pins(dir, 3);
      const all = [...first, ...second];
      expect(new Set(all).size).toBe(all.length);
      // Counters only go up (the low 21 bits of a TDES KSN), even across the restart.
      const counters = all.map((k) => parseInt(k.slice(-6), 16) & 0x1fffff);
      expect([...counters].sort((a, b) => a - b)).toEqual(counters);
      expect(parseInt(second[0].slice(-6), 16) & 0x1fffff).toBeGreaterThan(parseInt(savedAfterFirst.slice(-6), 16) & 0x1fffff);
      // Within one session the file is written on the first PIN only (16 in reserve): 12 PINs write it once.
      const third = await pins(dir, 1);
      let last = readFileSync(file, 'utf8');
      const pad = createSimPinPad(CONFIG, { dataDir: dir });
      await pad.open();
      let writes = 0;
      for (let i = 0; i < 12; i++) {
        const r = pad.entry.requestPin({ pan: PAN, label: 'SALE', allowBypass: false });
        pad.enterPin('1234');
        await r;
        const now = readFileSync(file, 'utf8');
        if (now !== last) (writes++, (last = now));
      }
      await pad.close();
      expect(third).toHaveLength(1);
      expect(writes).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sim PIN pad key at rest', () => {
  const wrapper = () => new KeyWrap(Buffer.alloc(32, 0x33), 'sim-pinpad');
  const AES_KEY = { scheme: 'aes128' as const, initialKey: Buffer.from('1273671EA26AC29AFA4D1084127652A1', 'hex'), ksn: Buffer.from('123456789012345600000000', 'hex') };
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'posfw-simpad-key-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = async (keyWrap?: KeyWrap) => {
    const pad = createSimPinPad(CONFIG, { dataDir: dir, keyWrap });
    await pad.open();
    return pad;
  };
  const pinKsn = async (pad: Awaited<ReturnType<typeof open>>) => {
    const r = pad.entry.requestPin({ pan: PAN, label: 'SALE', allowBypass: false });
    pad.enterPin('1234');
    const out = await r;
    if (out.kind !== 'pin') throw new Error(out.kind);
    return out;
  };

  it('keeps a loaded key wrapped under the device key, never in the clear, and uses it after a restart', async () => {
    const pad = await open(wrapper());
    await pad.keys.loadInitialKey(AES_KEY);
    await pad.close();
    const text = readFileSync(join(dir, 'sim-pinpad.json'), 'utf8');
    expect(text.toUpperCase()).not.toContain('1273671EA26AC29AFA4D1084127652A1');
    expect(JSON.parse(text)).toMatchObject({ v: 2, scheme: 'aes128', wrappedKey: expect.stringMatching(/^w1:/), keyCheck: expect.stringMatching(/^[0-9A-F]{10}$/) });
    const again = await open(wrapper());
    const pin = await pinKsn(again);
    expect(pin.format).toBe(4);
    expect(pin.ksn.toString('hex').toUpperCase()).toBe('123456789012345600000001');
    await again.close();
  });

  it('rewrites a state file that held the key in hex, and keeps no key at all without a device key', async () => {
    writeFileSync(join(dir, 'sim-pinpad.json'), JSON.stringify({ scheme: 'tdes', initialKey: '6ac292faa1315b4d858ab3a3d7d5933a', ksn: 'ffff9876543210e00005' }));
    const pad = await open(wrapper());
    expect(readFileSync(join(dir, 'sim-pinpad.json'), 'utf8').toLowerCase()).not.toContain('6ac292faa1315b4d858ab3a3d7d5933a');
    expect((await pinKsn(pad)).ksn.toString('hex')).toBe('ffff9876543210e00006');
    await pad.close();
    const bare = await open();
    await bare.keys.loadInitialKey(AES_KEY);
    await bare.close();
    const state = JSON.parse(readFileSync(join(dir, 'sim-pinpad.json'), 'utf8'));
    expect(state.wrappedKey).toBeUndefined();
    expect(JSON.stringify(state).toUpperCase()).not.toContain('1273671EA26AC29AFA4D1084127652A1');
  });
});
