// Exact-byte tests for the SSD1306 command encoder (Solomon SSD1306 datasheet rev 1.1, table 9-1 and 8.1.5.2).
import { commands, displayData, initCommands, pageAddress } from './ssd1306-commands';

describe('ssd1306 commands', () => {
  it('initialises a 128x64 module: multiplex 63, charge pump, page mode, remaps, alternative COM pins', () => {
    expect(commands(initCommands(64))).toEqual([
      0x00, // control byte: command stream
      0xae,
      0xd5, 0x80,
      0xa8, 0x3f,
      0xd3, 0x00,
      0x40,
      0x8d, 0x14,
      0x20, 0x02,
      0xa1,
      0xc8,
      0xda, 0x12,
      0x81, 0xcf,
      0xd9, 0xf1,
      0xdb, 0x20,
      0xa4,
      0xa6,
      0x2e,
    ]);
  });

  it('initialises a 128x32 module with multiplex 31 and sequential COM pins', () => {
    const init = initCommands(32);
    expect(init.slice(3, 5)).toEqual([0xa8, 0x1f]);
    expect(init.slice(init.indexOf(0xda), init.indexOf(0xda) + 2)).toEqual([0xda, 0x02]);
  });

  it('addresses a page and column in page addressing mode', () => {
    expect(pageAddress(0, 0)).toEqual([0xb0, 0x00, 0x10]);
    expect(pageAddress(7, 0x5a)).toEqual([0xb7, 0x0a, 0x15]);
    expect(() => pageAddress(8, 0)).toThrow('expected page 0-7');
    expect(() => pageAddress(0, 128)).toThrow('expected column 0-127');
  });

  it('frames display data with the 0x40 control byte', () => {
    expect(displayData(Uint8Array.from([1, 2, 255]))).toEqual([0x40, 1, 2, 255]);
  });
});
