// Simulated PIN pad counter persistence: saved ahead of use, so a restart never reuses a KSN and most PINs write no file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimPinPad } from './pinpad.sim';

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
