// GPIO matrix keypad driver against the GPIO emulator and a 4x4 matrix emulator, with a manual clock (no sleeping).
import type { KeyEvent } from '../../firmware/common/keys';
import { tmpdir } from 'os';
import { keypadSchema } from '../../firmware/board/devices';
import { silentLogger } from '../../firmware/log';
import { DeviceError } from '../../firmware/hal/device';
import { GpioEmulator } from '../../firmware/hal/bus/gpio.emul';
import { FakeClock } from '../../firmware/common/clock';
import { KeypadMatrixEmulator } from '../../simulator/emulators/keypad-matrix-emul';
import { createGpioKeypad, type GpioKeypadConfig } from '../../firmware/hal/keypad/keypad.gpio';

const ROWS = [5, 6, 13, 19];
const COLS = [12, 16, 20, 21];
const KEYMAP = [
  ['1', '2', '3', 'CLEAR'],
  ['4', '5', '6', 'CANCEL'],
  ['7', '8', '9', 'OK'],
  ['UP', '0', 'DOWN', 'MENU'],
];

function rig(overrides: Record<string, unknown> = {}) {
  const clock = new FakeClock();
  const gpio = new GpioEmulator();
  const config = keypadSchema.parse({ driver: 'gpio-matrix', gpio: 'emulated', rows: ROWS, cols: COLS, keymap: KEYMAP, ...overrides }) as GpioKeypadConfig;
  const matrix = new KeypadMatrixEmulator(gpio, { rows: ROWS, cols: COLS, keymap: KEYMAP, clock });
  const ctx = { log: silentLogger, dataDir: tmpdir(), peers: new Map<string, unknown>([['gpio:emulated', gpio]]), clock };
  const keypad = createGpioKeypad(config, ctx);
  const events: KeyEvent[] = [];
  keypad.onKey((e) => events.push(e));
  return { clock, gpio, matrix, keypad, events };
}

describe('GPIO matrix keypad (emulated GPIO)', () => {
  it('exports rows as outputs driven low and columns as inputs watching both edges', async () => {
    const { gpio, keypad } = rig();
    await keypad.open();
    expect(ROWS.map((n) => [gpio.info(n).direction, gpio.level(n)])).toEqual(ROWS.map(() => ['low', 0]));
    expect(COLS.map((n) => gpio.info(n))).toEqual(COLS.map(() => ({ exported: true, direction: 'in', edge: 'both', watchers: 1 })));
    await keypad.close();
    expect(gpio.exported()).toEqual([]);
  });

  it('reports each key of the matrix once, after the debounce time', async () => {
    const { clock, matrix, keypad, events } = rig();
    await keypad.open();
    for (const key of KEYMAP.flat()) {
      matrix.press(key);
      await clock.advance(10);
      expect(events).toHaveLength(KEYMAP.flat().indexOf(key));
      await clock.advance(30);
      matrix.release(key);
      await clock.advance(40);
    }
    expect(events.map((e) => e.key)).toEqual(KEYMAP.flat());
    expect(events.every((e) => e.repeat === false)).toBe(true);
  });

  it('turns a bouncing press and release into one key', async () => {
    const { clock, matrix, keypad, events } = rig();
    await keypad.open();
    matrix.press('5', { bounceMs: [1, 2, 1, 3, 2, 1] });
    await clock.advance(100);
    matrix.release('5', { bounceMs: [2, 1, 3, 1] });
    await clock.advance(100);
    expect(events).toEqual([{ key: '5', repeat: false }]);
  });

  it('ignores a glitch shorter than the debounce time', async () => {
    const { clock, matrix, keypad, events } = rig();
    await keypad.open();
    matrix.press('OK');
    await clock.advance(8);
    matrix.release('OK');
    await clock.advance(100);
    expect(events).toEqual([]);
  });

  it('repeats CLEAR while held (500 ms, then every 100 ms) and never repeats OK', async () => {
    const { clock, matrix, keypad, events } = rig();
    await keypad.open();
    matrix.press('CLEAR');
    await clock.advance(20 + 500 + 250);
    matrix.release('CLEAR');
    await clock.advance(50);
    expect(events).toEqual([
      { key: 'CLEAR', repeat: false },
      { key: 'CLEAR', repeat: true },
      { key: 'CLEAR', repeat: true },
      { key: 'CLEAR', repeat: true },
    ]);
    events.length = 0;
    matrix.press('OK');
    await clock.advance(2000);
    matrix.release('OK');
    await clock.advance(50);
    expect(events).toEqual([{ key: 'OK', repeat: false }]);
  });

  it('honours repeatKeys from the board config', async () => {
    const { clock, matrix, keypad, events } = rig({ repeatKeys: ['DOWN'], repeatDelayMs: 300, repeatIntervalMs: 50 });
    await keypad.open();
    matrix.press('DOWN');
    await clock.advance(20 + 300 + 100);
    matrix.release('DOWN');
    await clock.advance(50);
    expect(events.map((e) => e.repeat)).toEqual([false, true, true, true]);
  });

  it('goes back to waiting for an edge (no timers) once every key is released', async () => {
    const { clock, gpio, matrix, keypad, events } = rig();
    await keypad.open();
    expect(clock.pendingCount).toBe(0);
    matrix.press('9');
    await clock.advance(50);
    expect(clock.pendingCount).toBe(1);
    matrix.release('9');
    await clock.advance(50);
    expect(clock.pendingCount).toBe(0);
    expect(ROWS.map((n) => gpio.level(n))).toEqual([0, 0, 0, 0]);
    expect(events).toEqual([{ key: '9', repeat: false }]);
  });

  it('sees two keys held together', async () => {
    const { clock, matrix, keypad, events } = rig();
    await keypad.open();
    matrix.press('1');
    await clock.advance(3);
    matrix.press('OK');
    await clock.advance(60);
    expect(events.map((e) => e.key).sort()).toEqual(['1', 'OK']);
  });

  it('finds a key already held when it opens', async () => {
    const { clock, matrix, keypad, events } = rig();
    matrix.press('MENU');
    await keypad.open();
    await clock.advance(50);
    expect(events).toEqual([{ key: 'MENU', repeat: false }]);
  });

  it('emits nothing after close, even with a key held and time passing', async () => {
    const { clock, matrix, keypad, events } = rig();
    await keypad.open();
    matrix.press('CLEAR');
    await clock.advance(30);
    expect(events).toHaveLength(1);
    await keypad.close();
    await keypad.close();
    await clock.advance(2000);
    matrix.release('CLEAR');
    matrix.press('OK');
    await clock.advance(100);
    expect(events).toHaveLength(1);
    expect(clock.pendingCount).toBe(0);
  });

  it('throws at once for a keymap naming a key that does not exist (configs built without the board schema)', () => {
    const ctx = { log: silentLogger, dataDir: tmpdir(), peers: new Map<string, unknown>() };
    const base = keypadSchema.parse({ driver: 'gpio-matrix', gpio: 'emulated', rows: ROWS, cols: COLS, keymap: KEYMAP }) as GpioKeypadConfig;
    const bad = KEYMAP.map((r) => [...r]);
    bad[2][3] = 'ENTER';
    const make = (over: Record<string, unknown>) => () => createGpioKeypad({ ...base, ...over } as GpioKeypadConfig, ctx);
    expect(make({ keymap: bad })).toThrow('keymap[2][3]: "ENTER" is not a key');
    expect(make({ keymap: KEYMAP.slice(0, 3) })).toThrow('keymap: expected 4 rows');
    expect(make({ repeatKeys: ['BACKSPACE'] })).toThrow('repeatKeys[0]: "BACKSPACE" is not a key');
    expect(make({ cols: [12, 16, 20, 5] })).toThrow('GPIO line 5 is listed twice');
  });

  it('rejects open when no GPIO emulator is registered, and EDRIVER when onoff cannot load', async () => {
    const config = keypadSchema.parse({ driver: 'gpio-matrix', gpio: 'emulated', rows: ROWS, cols: COLS, keymap: KEYMAP }) as GpioKeypadConfig;
    const noPeer = createGpioKeypad(config, { log: silentLogger, dataDir: tmpdir(), peers: new Map() });
    await expect(noPeer.open()).rejects.toMatchObject({ code: 'ENODEV' });
    const missing = () => {
      throw Object.assign(new Error("Cannot find module 'onoff'"), { code: 'MODULE_NOT_FOUND' });
    };
    const kernel = createGpioKeypad({ ...config, gpio: 'kernel' }, { log: silentLogger, dataDir: tmpdir(), peers: new Map() }, { load: missing });
    const err: DeviceError = await kernel.open().then(() => { throw new Error('opened'); }, (e) => e);
    expect(err).toBeInstanceOf(DeviceError);
    expect(err.code).toBe('EDRIVER');
    expect(err.message).toMatch(/"onoff" is not installed/);
  });

  it('rejects open with EBUSY when a line is already taken, and releases what it exported', async () => {
    const { gpio, keypad } = rig();
    gpio.line(20, 'in');
    await expect(keypad.open()).rejects.toMatchObject({ code: 'EBUSY' });
    expect(gpio.exported()).toEqual([20]);
  });
});
