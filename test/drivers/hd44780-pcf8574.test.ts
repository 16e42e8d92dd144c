// HD44780 driver against the PCF8574+HD44780 emulator on the emulated I2C bus: init bytes, screens, deltas, faults.
import { tmpdir } from 'os';
import { displaySchema } from '../../firmware/board/devices';
import { silentLogger } from '../../firmware/log';
import { DeviceError } from '../../firmware/hal/device';
import { I2cEmulator } from '../../firmware/hal/bus/i2c.emul';
import { FakeClock } from '../../firmware/common/clock';
import { Hd44780Emulator, type Hd44780EmulatorOptions } from '../../simulator/emulators/hd44780-emul';
import { createHd44780Display, type Hd44780Config } from '../../firmware/hal/display/hd44780-pcf8574';
import { SYMBOLS } from '../../firmware/hal/display/symbols';

function rig(opts: { cols?: 16 | 20; rows?: 2 | 4; clearDelayUs?: number; busHz?: number; initialState?: Hd44780EmulatorOptions['initialState'] } = {}) {
  const cols = opts.cols ?? 20;
  const rows = opts.rows ?? 4;
  const clock = new FakeClock();
  const bus = new I2cEmulator({ clock, busHz: opts.busHz });
  const lcd = new Hd44780Emulator({ cols, rows, initialState: opts.initialState });
  bus.attach(0x27, lcd);
  const config = displaySchema.parse({ driver: 'hd44780-pcf8574', bus: 'emulated', cols, rows, clearDelayUs: opts.clearDelayUs }) as Hd44780Config;
  const ctx = { log: silentLogger, dataDir: tmpdir(), peers: new Map<string, unknown>([['i2c:emulated', bus]]) };
  const display = createHd44780Display(config, ctx, { delayUs: clock.delayUs });
  return { clock, bus, lcd, display, text: () => lcd.text(SYMBOLS) };
}

const IDLE = ['POSFW DEMO STORE', 'TID SIM00001', '2024-05-01 09:30', 'SWIPE CARD OR MENU'];
const hex = (bytes: Buffer) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');

describe('HD44780 on a PCF8574 backpack (emulated bus)', () => {
  it('sends the datasheet init sequence, exactly, with no timing violations', async () => {
    const { bus, lcd, display } = rig();
    await display.open();
    const writes = bus.transactions(0x27).map((t) => hex(t.data));
    expect(writes.slice(0, 6)).toEqual([
      '08',
      '3c 38',
      '3c 38',
      '3c 38',
      '2c 28',
      '2c 28 8c 88 0c 08 8c 88 0c 08 1c 18',
    ]);
    expect(writes).toHaveLength(7);
    expect(lcd.violations).toEqual([]);
    expect(lcd.mode).toBe('4-bit');
    expect(lcd.state()).toMatchObject({ displayOn: true, cursor: false, blink: false, twoLine: true, shift: false });
    expect(lcd.backlight).toBe(true);
    expect(lcd.cgramArt(0)).toEqual(['#...#', '.#.#.', '#####', '..#..', '#####', '..#..', '..#..', '.....']);
    await display.close();
  });

  it('shows the idle screen on a 20x4 panel', async () => {
    const { lcd, display, text } = rig();
    expect(display.caps).toEqual({ kind: 'text', cols: 20, rows: 4 });
    await display.open();
    await display.render({ lines: IDLE });
    expect(text()).toEqual(IDLE);
    expect(lcd.violations).toEqual([]);
  });

  it('shows the idle screen on a 16x2 panel, clipped to 16 columns', async () => {
    const { lcd, display, text } = rig({ cols: 16, rows: 2 });
    await display.open();
    await display.render({ lines: IDLE });
    expect(text()).toEqual(['POSFW DEMO STORE', 'TID SIM00001']);
    await display.render({ lines: ['SWIPE CARD OR MENU', '2024-05-01 09:30'] });
    expect(text()).toEqual(['SWIPE CARD OR ME', '2024-05-01 09:30']);
    expect(lcd.violations).toEqual([]);
  });

  it('writes only the changed cells, and nothing for an unchanged screen', async () => {
    const { bus, display, text } = rig();
    await display.open();
    await display.render({ lines: IDLE });
    bus.clearLog();
    await display.render({ lines: [IDLE[0], IDLE[1], '2024-05-01 09:31', IDLE[3]] });
    // set DDRAM 0x14 + 15 = 0xA3, then data '1' (0x31)
    expect(bus.transactions().map((t) => hex(t.data))).toEqual(['ac a8 3c 38 3d 39 1d 19']);
    expect(text()[2]).toBe('2024-05-01 09:31');
    bus.clearLog();
    await display.render({ lines: [IDLE[0], IDLE[1], '2024-05-01 09:31', IDLE[3]] });
    expect(bus.transactions()).toEqual([]);
  });

  it('marks the highlighted row with the blinking cursor and leaves the text alone', async () => {
    const { lcd, display, text } = rig();
    await display.open();
    await display.render({ lines: ['MENU', ' SALE', ' VOID'], highlight: 2 });
    expect(text()).toEqual(['MENU', ' SALE', ' VOID', '']);
    expect(lcd.state()).toMatchObject({ blink: true, cursor: false, cursorAt: { row: 2, col: 0 } });
    await display.render({ lines: ['MENU', ' SALE', ' VOID'], highlight: 1 });
    expect(lcd.state()).toMatchObject({ blink: true, cursorAt: { row: 1, col: 0 } });
    await display.render({ lines: ['DONE'] });
    expect(lcd.state().blink).toBe(false);
    expect(text()).toEqual(['DONE', '', '', '']);
  });

  it('shows symbols from CGRAM and stands in for characters the panel has no glyph for', async () => {
    const { display, text } = rig();
    await display.open();
    await display.render({ lines: ['AMOUNT ¥12.50', '↑↓ SELECT ✓ OK', '消费 SALE', 'ignored'], qr: 'https://example.com' });
    expect(text()).toEqual(['AMOUNT ¥12.50', '↑↓ SELECT ✓ OK', '???? SALE', 'ignored']);
  });

  it.each(['4bit-high', '4bit-low'] as const)('resynchronises a controller left in 4-bit mode (%s) by a warm restart', async (initialState) => {
    const { lcd, display, text } = rig({ initialState });
    await display.open();
    await display.render({ lines: IDLE });
    expect(text()).toEqual(IDLE);
    expect(lcd.violations).toEqual([]);
  });

  it('keeps to the 37 us instruction time on a 400 kHz bus', async () => {
    const { lcd, display, text } = rig({ busHz: 400_000 });
    await display.open();
    await display.render({ lines: IDLE });
    expect(text()).toEqual(IDLE);
    expect(lcd.violations).toEqual([]);
  });

  it('the emulator catches a clear delay shorter than the datasheet 1.52 ms', async () => {
    const { lcd, display } = rig({ clearDelayUs: 100 });
    await display.open();
    expect(lcd.violations.length).toBeGreaterThan(0);
    expect(lcd.violations[0]).toMatch(/while busy/);
  });

  it('rejects open with ENODEV when nothing answers at the address', async () => {
    const { bus, display } = rig();
    bus.detach(0x27);
    await expect(display.open()).rejects.toMatchObject({ code: 'ENODEV', message: expect.stringContaining('0x27') });
  });

  it('reports a bus fault, then re-initialises and redraws the whole screen on the next render', async () => {
    const { bus, lcd, display, text } = rig();
    await display.open();
    await display.render({ lines: IDLE });
    const faults: DeviceError[] = [];
    display.onError((e) => faults.push(e));
    bus.failNext(Object.assign(new Error('EIO, i/o error'), { code: 'EIO' }));
    await expect(display.render({ lines: ['A'] })).rejects.toMatchObject({ code: 'EIO' });
    expect(faults.map((f) => f.code)).toEqual(['EIO']);
    bus.clearLog();
    await display.render({ lines: ['AFTER FAULT', 'TID SIM00001'] });
    expect(hex(bus.transactions()[0].data)).toBe('08');
    expect(text()).toEqual(['AFTER FAULT', 'TID SIM00001', '', '']);
    expect(lcd.violations).toEqual([]);
  });

  it('refuses renders before open and after close, and bad screens synchronously', async () => {
    const { display } = rig();
    await expect(display.render({ lines: ['X'] })).rejects.toMatchObject({ code: 'ENOTOPEN' });
    await display.open();
    expect(() => display.render({ lines: 'X' } as never)).toThrow(TypeError);
    expect(() => display.render({ lines: ['X', 3] } as never)).toThrow('expected lines[1] to be a string');
    expect(() => display.render({ lines: [], highlight: -1 })).toThrow('highlight');
    await display.close();
    await display.close();
    await expect(display.render({ lines: ['X'] })).rejects.toMatchObject({ code: 'ENOTOPEN' });
  });

  it('cancels a render queued behind one in flight when closed', async () => {
    const { display } = rig();
    await display.open();
    const first = display.render({ lines: IDLE });
    const second = display.render({ lines: ['SECOND'] });
    const closing = display.close();
    await expect(first).rejects.toMatchObject({ code: 'ECANCELED', canceled: true });
    await expect(second).rejects.toMatchObject({ code: 'ECANCELED' });
    await closing;
  });
});
