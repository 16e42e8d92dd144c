// The finger against the real GPIO matrix driver, also when the driver's scans come late (a loaded event loop).
import { tmpdir } from 'node:os';
import { silentLogger } from '../../firmware/log';
import { GpioEmulator } from '../../firmware/hal/bus/gpio.emul';
import { systemClock, type Clock } from '../../firmware/common/clock';
import { keypadSchema } from '../../firmware/board/devices';
import { createGpioKeypad, type GpioKeypadConfig } from '../../firmware/hal/keypad/keypad.gpio';
import type { Key } from '../../firmware/common/keys';
import { KeypadMatrixEmulator } from '../emulators/keypad-matrix-emul';
import { MatrixFinger } from './matrix-finger';

const MATRIX = { rows: [5, 6], cols: [12, 16], keymap: [['1', 'DOWN'], ['OK', 'CLEAR']] as Key[][] };

async function rig(clock: Clock) {
  const gpio = new GpioEmulator();
  const matrix = new KeypadMatrixEmulator(gpio, MATRIX);
  const config = keypadSchema.parse({ driver: 'gpio-matrix', gpio: 'emulated', ...MATRIX }) as GpioKeypadConfig;
  const device = createGpioKeypad(config, { log: silentLogger, dataDir: tmpdir(), peers: new Map([['gpio:emulated', gpio]]), clock });
  await device.open();
  const keys: string[] = [];
  device.onKey((e) => keys.push(e.key + (e.repeat ? '*' : '')));
  const finger = new MatrixFinger(gpio, matrix, { rows: MATRIX.rows, keymap: MATRIX.keymap, debounceMs: config.debounceMs });
  return { device, finger, keys, matrix };
}

describe('MatrixFinger', () => {
  it('each press is one key event, the same key twice included', async () => {
    const r = await rig(systemClock);
    await r.finger.press('DOWN');
    await r.finger.press('DOWN');
    await Promise.all([r.finger.press('1'), r.finger.press('OK')]);
    expect(r.keys).toEqual(['DOWN', 'DOWN', '1', 'OK']);
    expect(r.matrix.held()).toEqual([]);
    await r.device.close();
  });

  it('still one event per press when every driver scan comes 60 ms late', async () => {
    const late: Clock = { ...systemClock, setTimeout: (fn, ms) => systemClock.setTimeout(fn, ms + 60) };
    const r = await rig(late);
    await r.finger.press('DOWN');
    await r.finger.press('DOWN');
    await r.finger.press('OK');
    expect(r.keys).toEqual(['DOWN', 'DOWN', 'OK']);
    await r.device.close();
  });

  it('rejects a key that is not in the keymap, and one the driver never scans', async () => {
    const r = await rig(systemClock);
    await expect(r.finger.press('MENU')).rejects.toThrow('MatrixFinger: "MENU" is not in the keymap');
    await r.device.close();
    const gpio = new GpioEmulator();
    const idle = new MatrixFinger(gpio, new KeypadMatrixEmulator(gpio, MATRIX), { rows: MATRIX.rows, keymap: MATRIX.keymap, debounceMs: 20, timeoutMs: 50 });
    await expect(idle.press('1')).rejects.toThrow('MatrixFinger: timed out waiting for the driver to accept "1"');
  });
});
