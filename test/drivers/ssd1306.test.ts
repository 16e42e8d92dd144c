// SSD1306 driver against the SSD1306 emulator on the emulated I2C bus: init bytes, glyph pixels, Chinese rows, QR, deltas.
import QRCode from 'qrcode';
import { tmpdir } from 'os';
import { displaySchema } from '../../firmware/board/devices';
import { silentLogger } from '../../firmware/log';
import { I2cEmulator } from '../../firmware/hal/bus/i2c.emul';
import { FakeClock } from '../../firmware/common/clock';
import { Ssd1306Emulator, readPanelQr, readPanelText } from '../../simulator/emulators/ssd1306-emul';
import { createSsd1306Display, type Ssd1306Config } from '../../firmware/hal/display/ssd1306';
import { commands, initCommands } from '../../firmware/hal/display/ssd1306-commands';

function rig(height: 64 | 32 = 64) {
  const clock = new FakeClock();
  const bus = new I2cEmulator({ clock, busHz: 400_000 });
  const panel = new Ssd1306Emulator({ height });
  bus.attach(0x3c, panel);
  const config = displaySchema.parse({ driver: 'ssd1306', bus: 'emulated', height }) as Ssd1306Config;
  const ctx = { log: silentLogger, dataDir: tmpdir(), peers: new Map<string, unknown>([['i2c:emulated', bus]]) };
  return { bus, panel, display: createSsd1306Display(config, ctx, { delayUs: clock.delayUs }) };
}

const IDLE = ['POSFW DEMO STORE', 'TID SIM00001', '2024-05-01 09:30', 'SWIPE CARD OR MENU'];
/** GNU Unifont U+6D88 消, copied from unifont.hex (the source font), row by row. */
const XIAO_HEX = '0040224811481150804043F84A080A0813F81208E20823F82208220822280210';

describe('SSD1306 128x64 on I2C (emulated bus)', () => {
  it('sends the init commands, a full first frame, then display on', async () => {
    const { bus, panel, display } = rig();
    expect(display.caps).toEqual({ kind: 'graphic', cols: 21, rows: 8, width: 128, height: 64 });
    await display.open();
    expect(bus.transactions().map((t) => [...t.data])).toEqual([commands(initCommands(64))]);
    expect(panel.lit).toBe(false);
    await display.render({ lines: [] });
    const writes = bus.transactions().slice(1).map((t) => [...t.data]);
    expect(writes).toHaveLength(8 * 2 + 1);
    expect(writes[0]).toEqual([0x00, 0xb0, 0x00, 0x10]);
    expect(writes[1]).toEqual([0x40, ...Array(128).fill(0)]);
    expect(writes[14]).toEqual([0x00, 0xb7, 0x00, 0x10]);
    expect(writes[16]).toEqual([0x00, 0xaf]);
    expect(panel.lit).toBe(true);
    expect(panel.violations).toEqual([]);
  });

  it('shows the idle screen as 6x8 text, readable back from the glass', async () => {
    const { panel, display } = rig();
    await display.open();
    await display.render({ lines: IDLE });
    expect(readPanelText(panel).lines).toEqual([...IDLE, '', '', '', '']);
    // 'P' of POSFW at the top-left cell, exactly the Schumacher 6x8 bitmap
    expect(panel.art({ x: 0, y: 0, w: 6, h: 8 })).toEqual(['.####.', '.#...#', '.#...#', '.####.', '.#....', '.#....', '.#....', '......']);
    // 'S' of SWIPE at row 3, column 0
    expect(panel.art({ x: 0, y: 24, w: 6, h: 8 })).toEqual(['..###.', '.#...#', '.#....', '..###.', '.....#', '.#...#', '..###.', '......']);
  });

  it('draws Chinese lines 16 px high with the Unifont glyphs, beside 6x8 lines', async () => {
    const { panel, display } = rig();
    await display.open();
    await display.render({ lines: ['演示商店', '消费 SALE', 'AMOUNT ¥12.50', '请刷卡'] });
    // 16 + 16 + 8 + 16 px, and one 8-px row left over
    expect(readPanelText(panel).lines).toEqual(['演示商店', '消费 SALE', 'AMOUNT ¥12.50', '请刷卡', '']);
    const expected = Array.from({ length: 16 }, (_, y) =>
      parseInt(XIAO_HEX.slice(y * 4, y * 4 + 4), 16).toString(2).padStart(16, '0').replace(/1/g, '#').replace(/0/g, '.'),
    );
    // 消 is the first glyph of the second line, which starts at y = 16
    expect(panel.art({ x: 0, y: 16, w: 16, h: 16 })).toEqual(expected);
  });

  it('drops lines that no longer fit once Chinese lines take two rows', async () => {
    const { panel, display } = rig();
    await display.open();
    await display.render({ lines: ['主菜单', '1 SALE', '2 VOID', '3 REFUND', '4 BALANCE', '5 SETTLE', '6 REPRINT', '7 SIGN ON'] });
    expect(readPanelText(panel).lines).toEqual(['主菜单', '1 SALE', '2 VOID', '3 REFUND', '4 BALANCE', '5 SETTLE', '6 REPRINT']);
  });

  it('inverts the highlighted line', async () => {
    const { panel, display } = rig();
    await display.open();
    await display.render({ lines: ['MENU', '1 SALE', '2 VOID'], highlight: 1 });
    const read = readPanelText(panel);
    expect(read.lines.slice(0, 3)).toEqual(['MENU', '1 SALE', '2 VOID']);
    expect(read.inverted).toEqual([1]);
    expect(panel.get(127, 8)).toBe(true);
    expect(panel.get(127, 0)).toBe(false);
  });

  it('draws a QR code, dark modules on a lit quiet zone, module for module', async () => {
    const { panel, display } = rig();
    const payload = '00020101021226300014A000000333010108UPI123455204581253031565406012.505802CN5904DEMO6007BEIJING6304ABCD';
    await display.open();
    await display.render({ lines: ['SCAN TO PAY', 'CNY 12.50'], qr: payload });
    const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'M' });
    const found = readPanelQr(panel, modules.size);
    expect(found).not.toBeNull();
    const expected = Array.from({ length: modules.size }, (_, r) => Array.from({ length: modules.size }, (_, c) => Boolean(modules.get(r, c))));
    expect(found!.dark).toEqual(expected);
    expect(found!.scale).toBe(1);
    // right-aligned, vertically centred, with a 2-module lit quiet zone
    expect(found!.x + modules.size + 2).toBe(128);
    expect(panel.get(found!.x - 1, found!.y - 1)).toBe(true);
    expect(readPanelText(panel).lines.slice(0, 2)).toEqual(['SCAN TO PAY', 'CNY 12.50']);
  });

  it('draws a short QR at 2 px per module', async () => {
    const { panel, display } = rig();
    await display.open();
    await display.render({ lines: ['PAY'], qr: 'HELLO' });
    const { modules } = QRCode.create('HELLO', { errorCorrectionLevel: 'M' });
    expect(readPanelQr(panel, modules.size)).toMatchObject({ scale: 2, x: 128 - (modules.size + 2) * 2 });
  });

  it('throws at once for a QR payload that cannot fit the panel', async () => {
    const { display } = rig();
    await display.open();
    expect(() => display.render({ lines: [], qr: 'X'.repeat(400) })).toThrow(RangeError);
  });

  it('sends only the changed span of the changed page', async () => {
    const { bus, panel, display } = rig();
    await display.open();
    await display.render({ lines: IDLE });
    bus.clearLog();
    await display.render({ lines: [IDLE[0], IDLE[1], '2024-05-01 09:31', IDLE[3]] });
    // row 2 = page 2; the last digit is cell 15 = columns 90..95: one page address, then only the bytes that differ
    const [address, data] = bus.transactions().map((t) => [...t.data]);
    expect(bus.transactions()).toHaveLength(2);
    expect(address.slice(0, 2)).toEqual([0x00, 0xb2]);
    const column = (address[2] & 0x0f) | ((address[3] & 0x0f) << 4);
    expect(data[0]).toBe(0x40);
    expect(column).toBeGreaterThanOrEqual(90);
    expect(column + data.length - 1).toBeLessThanOrEqual(96);
    expect(data.slice(1)).toEqual([...panel.gddram.subarray(2 * 128 + column, 2 * 128 + column + data.length - 1)]);
    expect(readPanelText(panel).lines[2]).toBe('2024-05-01 09:31');
  });

  it('runs a 128x32 module with four text rows', async () => {
    const { panel, display } = rig(32);
    expect(display.caps).toMatchObject({ cols: 21, rows: 4, height: 32 });
    await display.open();
    await display.render({ lines: IDLE.concat(['DROPPED']) });
    expect(readPanelText(panel).lines).toEqual(IDLE);
    expect(panel.violations).toEqual([]);
  });

  it('rejects open with ENODEV when the module is at the other address', async () => {
    const { bus, display } = rig();
    bus.detach(0x3c);
    await expect(display.open()).rejects.toMatchObject({ code: 'ENODEV' });
  });
});
