// Bench board resolution: serial links relocated into a bench folder, real ports refused, a pad with `emulate` refused.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { silentLogger } from '../../firmware/log';
import { resolveBenchBoard } from './bench-board';
import { startBench } from './index';

const BENCH = resolve(__dirname, '../../board-configs/bench-emulated.json');

describe('bench board files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'posfw-bench-board-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const variant = (edit: (raw: any) => void): string => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const raw = JSON.parse(readFileSync(BENCH, 'utf8'));
    edit(raw);
    const file = join(dir, 'variant.json');
    writeFileSync(file, JSON.stringify(raw));
    return file;
  };

  it('uses the board paths as they are without a bench folder', () => {
    const r = resolveBenchBoard(BENCH);
    expect(r).toMatchObject({ boardFile: BENCH, generated: false });
    expect(r.serialPaths).toEqual({
      scanner: '/tmp/posfw-bench/bench-emulated/scanner',
      magstripe: '/tmp/posfw-bench/bench-emulated/magstripe',
      pinpad: '/tmp/posfw-bench/bench-emulated/pinpad',
      printer: '/tmp/posfw-bench/bench-emulated/printer',
    });
  });

  it('moves every serial link into the bench folder and writes the board to boot there, otherwise unchanged', () => {
    const links = join(dir, 'links');
    const r = resolveBenchBoard(BENCH, links);
    expect(r.boardFile).toBe(join(links, 'board.json'));
    expect(r.generated).toBe(true);
    expect(r.serialPaths.printer).toBe(join(links, 'printer'));
    const written = JSON.parse(readFileSync(r.boardFile, 'utf8'));
    const original = JSON.parse(readFileSync(BENCH, 'utf8'));
    for (const cls of ['scanner', 'magstripe', 'pinpad', 'printer']) original.devices[cls].path = join(links, cls);
    expect(written).toEqual(original);
    expect(r.board.devices.pinpad).toMatchObject({ driver: 'serial', path: join(links, 'pinpad') });
  });

  it('refuses a serial path under /dev when no bench folder relocates it', () => {
    const file = variant((b) => (b.devices.printer.path = '/dev/ttyS0'));
    expect(() => resolveBenchBoard(file)).toThrow(`${file}: $.devices.printer.path /dev/ttyS0 is a real port; a bench board puts its serial links in a bench folder (e.g. /tmp/posfw-bench/bench-emulated/printer)`);
    expect(resolveBenchBoard(file, join(dir, 'links')).serialPaths.printer).toBe(join(dir, 'links', 'ttyS0'));
  });

  it('refuses two devices on the same link name', () => {
    const file = variant((b) => (b.devices.scanner.path = '/tmp/other/printer'));
    expect(() => resolveBenchBoard(file, dir)).toThrow(`${file}: $.devices.printer.path and $.devices.scanner.path share the link name "printer"`);
  });

  it('startBench refuses a serial PIN pad with "emulate" before starting anything', async () => {
    const file = variant((b) => (b.devices.pinpad.emulate = { scheme: 'tdes', initialKey: '6AC292FAA1315B4D858AB3A3D7D5933A', ksn: 'FFFF9876543210E00000' }));
    await expect(startBench(file, { dataDir: join(dir, 'data'), log: silentLogger, dir: join(dir, 'links') })).rejects.toThrow(/\$\.devices\.pinpad\.emulate: boot\(\) runs that PIN pad emulator itself/);
    expect(existsSync(join(dir, 'links', 'pinpad'))).toBe(false);
  });

  it('startBench throws at once for bad arguments, naming what it expected', () => {
    expect(() => startBench(BENCH, undefined as never)).toThrow('startBench(): expected { dataDir, log }');
    expect(() => startBench('', { dataDir: dir, log: silentLogger })).toThrow('startBench(): expected a board file path');
  });
});
