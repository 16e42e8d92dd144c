// Exact-byte tests for the HD44780/PCF8574 command encoder (Hitachi HD44780U datasheet, figure 24 and table 6).
import { CMD, byte4, cgramLoad, encodeRow, initSteps, nibble, rowAddress } from './hd44780-commands';
import { SYMBOLS } from './symbols';

describe('hd44780 commands', () => {
  it('strobes a nibble on D4-D7 with E high then low, keeping RS and the backlight', () => {
    expect(nibble(0x3, false, true)).toEqual([0x3c, 0x38]);
    expect(nibble(0x3, false, false)).toEqual([0x34, 0x30]);
    expect(nibble(0xa, true, true)).toEqual([0xad, 0xa9]);
  });

  it('sends a byte high nibble first', () => {
    expect(byte4(0x28, false, true)).toEqual([0x2c, 0x28, 0x8c, 0x88]);
    expect(byte4(0x41, true, true)).toEqual([0x4d, 0x49, 0x1d, 0x19]);
  });

  it('initialises by instruction for a 4-bit interface, with the datasheet waits', () => {
    const steps = initSteps({ clearDelayUs: 2000, backlight: true });
    expect(steps.slice(0, 6)).toEqual([
      { bytes: [0x08], delayUs: 50_000 },
      { bytes: [0x3c, 0x38], delayUs: 4_500 },
      { bytes: [0x3c, 0x38], delayUs: 150 },
      { bytes: [0x3c, 0x38], delayUs: 150 },
      { bytes: [0x2c, 0x28], delayUs: 150 },
      // function set 0x28, display off 0x08, clear 0x01 (then the clear delay)
      { bytes: [0x2c, 0x28, 0x8c, 0x88, 0x0c, 0x08, 0x8c, 0x88, 0x0c, 0x08, 0x1c, 0x18], delayUs: 2000 },
    ]);
    const last = steps[6];
    // entry mode 0x06, CGRAM address 0, 64 glyph bytes, DDRAM address 0, display on 0x0C
    expect(last.bytes.slice(0, 8)).toEqual([0x0c, 0x08, 0x6c, 0x68, 0x4c, 0x48, 0x0c, 0x08]);
    expect(last.bytes.length).toBe(8 + 64 * 4 + 8);
    expect(last.bytes.slice(-8)).toEqual([0x8c, 0x88, 0x0c, 0x08, 0x0c, 0x08, 0xcc, 0xc8]);
  });

  it('loads the eight symbols into CGRAM in slot order', () => {
    const bytes = cgramLoad(true);
    expect(bytes.slice(0, 4)).toEqual([0x4c, 0x48, 0x0c, 0x08]);
    // first row of the yen sign, #...# = 0x11, sent as data (RS=1)
    expect(bytes.slice(4, 8)).toEqual([0x1d, 0x19, 0x1d, 0x19]);
    expect(SYMBOLS).toHaveLength(8);
  });

  it('maps rows to DDRAM addresses for 20- and 16-column panels', () => {
    expect([0, 1, 2, 3].map((r) => rowAddress(r, 20))).toEqual([0x00, 0x40, 0x14, 0x54]);
    expect([0, 1, 2, 3].map((r) => rowAddress(r, 16))).toEqual([0x00, 0x40, 0x10, 0x50]);
    expect(() => rowAddress(4, 20)).toThrow('expected row 0-3');
    expect(CMD.SET_DDRAM | rowAddress(3, 20)).toBe(0xd4);
  });

  it('encodes text to ROM codes and CGRAM slots, padded and clipped to the panel width', () => {
    expect(encodeRow('AB', 4)).toEqual([0x41, 0x42, 0x20, 0x20]);
    expect(encodeRow('¥5→✓', 6)).toEqual([0, 0x35, 4, 5, 0x20, 0x20]);
    expect(encodeRow('ABCDEFG', 4)).toEqual([0x41, 0x42, 0x43, 0x44]);
    // no glyph: backslash/tilde (ROM A00 has a yen and an arrow there), accents, and wide CJK as two cells
    expect(encodeRow('\\~é消费', 7)).toEqual([0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f]);
    expect(encodeRow('￥1', 3)).toEqual([0, 0x20, 0x31]);
  });
});
