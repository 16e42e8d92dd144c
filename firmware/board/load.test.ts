// Board-config loader: the shipped boards validate; bad files fail naming the file, the JSON path and the expectation.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBoard, BoardConfigError } from './load';

const ROOT = join(__dirname, '..', '..');
const SIM = JSON.parse(readFileSync(join(ROOT, 'board-configs', 'sim.json'), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'posfw-boards-'));

function write(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function failure(file: string): BoardConfigError {
  try {
    loadBoard(file);
  } catch (err) {
    if (err instanceof BoardConfigError) return err;
    throw err;
  }
  throw new Error(`${file} unexpectedly validated`);
}

describe('board configs', () => {
  it.each(readdirSync(join(ROOT, 'board-configs')).filter((f) => f.endsWith('.json')))('%s validates', (f) => {
    expect(() => loadBoard(join(ROOT, 'board-configs', f))).not.toThrow();
  });

  it('fills defaults that cite datasheets', () => {
    const b = loadBoard(join(ROOT, 'board-configs', 'rpi-terminal.json'));
    expect(b.devices.display).toMatchObject({ driver: 'hd44780-pcf8574', clearDelayUs: 2000 });
    expect(b.devices.keypad).toMatchObject({ debounceMs: 20 });
    expect(b.api).toEqual({ host: '127.0.0.1', port: 8210, loopbackWithoutKey: false, maxConnections: 32, requestTimeoutMs: 10000, hostRequestsPerMinute: 12, printWaitSec: 20, eventsKept: 1000 });
  });

  it('money policy defaults: chip cards swiped are refused, person timeouts, hold days', () => {
    const b = loadBoard(join(ROOT, 'board-configs', 'sim.json'));
    expect(b.policy).toMatchObject({ chipCardSwiped: 'refuse', preauthHoldDays: 30, reversalAlertAfter: 5, timeouts: { cardSec: 60, pinSec: 30, confirmSec: 30, promptSec: 60 } });
  });

  it('names the file and JSON path of a wrong type', () => {
    const bad = structuredClone(SIM);
    bad.devices.printer.columns = 'wide';
    const err = failure(write('wrong-type.json', bad));
    expect(err.message).toContain('wrong-type.json');
    expect(err.message).toMatch(/\$\.devices\.printer\.columns: .*expected number/);
  });

  it('names a missing device', () => {
    const bad = structuredClone(SIM);
    delete bad.devices.pinpad;
    const err = failure(write('missing.json', bad));
    expect(err.problems.join('\n')).toMatch(/\$\.devices\.pinpad: missing/);
  });

  it('names an unknown driver and an unknown property', () => {
    const bad = structuredClone(SIM);
    bad.devices.scanner = { driver: 'laser' };
    bad.devices.display.colour = 'green';
    const err = failure(write('unknown.json', bad));
    const text = err.problems.join('\n');
    expect(text).toMatch(/\$\.devices\.scanner\.driver/);
    expect(text).toMatch(/\$\.devices\.display\.colour: unknown property "colour"/);
  });

  it('rejects a keymap naming a key that does not exist', () => {
    const board = JSON.parse(readFileSync(join(ROOT, 'board-configs', 'rpi-terminal.json'), 'utf8'));
    board.devices.keypad.keymap[0][0] = 'ENTER';
    const err = failure(write('keymap.json', board));
    expect(err.problems.join('\n')).toMatch(/\$\.devices\.keypad\.keymap\[0\]\[0\]/);
  });

  it('reports malformed JSON and unreadable files', () => {
    expect(failure(write('broken.json', '{ "board": ')).message).toMatch(/broken\.json[\s\S]*not valid JSON/);
    expect(failure(join(dir, 'absent.json')).message).toMatch(/absent\.json[\s\S]*cannot read file/);
  });

  it('says where the device key lives: no key in the file, a generated one only on simulator boards', () => {
    expect(loadBoard(join(ROOT, 'board-configs', 'sim.json')).security).toMatchObject({ generateDeviceKey: true, allowLegacyKeyBlocks: false });
    expect(loadBoard(join(ROOT, 'board-configs', 'rpi-terminal.json')).security).toMatchObject({ deviceKeyFile: '/etc/posfw/device.key', generateDeviceKey: false });
    for (const f of readdirSync(join(ROOT, 'board-configs')).filter((n) => n.endsWith('.json'))) {
      expect(readFileSync(join(ROOT, 'board-configs', f), 'utf8')).not.toMatch(/[0-9a-fA-F]{64}/); // no key in any board file
    }
    const constant = structuredClone(SIM);
    constant.security.journalKey = '00'.repeat(32);
    expect(failure(write('constant.json', constant)).problems.join('\n')).toMatch(/\$\.security\.journalKey: removed: a key written in the board config protects nothing/);
    const both = structuredClone(SIM);
    both.security = { ...both.security, deviceKeyFile: '/a', journalKeyFile: '/b' };
    expect(failure(write('both.json', both)).problems.join('\n')).toMatch(/\$\.security\.journalKeyFile: give deviceKeyFile or its older name journalKeyFile, not both/);
  });

  it('refuses a generated device key and a clear PIN key on a board with real devices; simulator and bench boards keep them', () => {
    const real = structuredClone(SIM);
    real.devices.scanner = { driver: 'serial', path: '/dev/ttyUSB0' };
    const text = failure(write('real-with-sim-keys.json', real)).problems.join('\n');
    expect(text).toMatch(/\$\.security\.generateDeviceKey: a board with real devices \(devices\.scanner on \/dev\/ttyUSB0\) gets its device key from posfw keys init, never generated at boot/);
    expect(text).toMatch(/\$\.devices\.pinpad\.initialKey: a clear initial PIN key is a simulator convenience, refused on a board with real devices \(devices\.scanner on \/dev\/ttyUSB0\): load the PIN pad from a TR-31 key block \(posfw keys load-pinpad\)/);
    const rpi = JSON.parse(readFileSync(join(ROOT, 'board-configs', 'rpi-terminal.json'), 'utf8'));
    rpi.devices.pinpad.emulate = { scheme: 'tdes', initialKey: '6AC292FAA1315B4D858AB3A3D7D5933A', ksn: 'FFFF9876543210E00000' };
    expect(failure(write('rpi-emulated-pad.json', rpi)).problems.join('\n')).toMatch(/\$\.devices\.pinpad\.emulate\.initialKey: a clear initial PIN key/);
    // A bench board (devices on emulated buses; the bench moves its serial links) keeps them, even naming /dev.
    const bench = JSON.parse(readFileSync(join(ROOT, 'board-configs', 'bench-emulated.json'), 'utf8'));
    bench.devices.printer.path = '/dev/ttyS0';
    expect(loadBoard(write('bench-dev.json', bench)).security.generateDeviceKey).toBe(true);
    // A simulator board whose acquirer runs in another process is still a simulator board.
    const elsewhere = structuredClone(SIM);
    elsewhere.host.acquirer = '127.0.0.1:5858';
    expect(() => loadBoard(write('sim-acquirer-elsewhere.json', elsewhere))).not.toThrow();
  });

});
