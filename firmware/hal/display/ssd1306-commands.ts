// SSD1306 over I2C, as pure bytes: control bytes, the init sequence (Solomon datasheet, app. note) and page addressing.

/** I2C control byte (datasheet 8.1.5.2): Co=0 then a stream of commands (D/C#=0) or of display data (D/C#=1). */
export const CONTROL = { COMMANDS: 0x00, DATA: 0x40 } as const;

/** Commands used here (datasheet section 9, table 9-1). */
export const OP = {
  DISPLAY_OFF: 0xae,
  DISPLAY_ON: 0xaf,
  SET_CLOCK_DIV: 0xd5,
  SET_MULTIPLEX: 0xa8,
  SET_DISPLAY_OFFSET: 0xd3,
  SET_START_LINE: 0x40,
  CHARGE_PUMP: 0x8d,
  MEMORY_MODE: 0x20,
  SEGMENT_REMAP: 0xa1,
  COM_SCAN_DEC: 0xc8,
  SET_COM_PINS: 0xda,
  SET_CONTRAST: 0x81,
  SET_PRECHARGE: 0xd9,
  SET_VCOMH: 0xdb,
  RESUME_RAM: 0xa4,
  NORMAL: 0xa6,
  DEACTIVATE_SCROLL: 0x2e,
  PAGE_START: 0xb0,
  LOW_COLUMN: 0x00,
  HIGH_COLUMN: 0x10,
} as const;

/** Frame for a command stream. */
export function commands(cmds: readonly number[]): number[] {
  return [CONTROL.COMMANDS, ...cmds];
}

/** Frame for display data (GDDRAM bytes). */
export function displayData(bytes: ArrayLike<number>): number[] {
  return [CONTROL.DATA, ...Array.from(bytes)];
}

/**
 * Init for a 128x64 or 128x32 module with the internal charge pump (datasheet "software initialization" flow and
 * the charge pump app note): display off; clock 0x80; multiplex height-1; offset 0; start line 0; charge pump on
 * (0x14); page addressing (0x02); segment remap and COM scan descending (column 0 at the left, page 0 on top on the
 * usual modules); COM pins alternative (64) or sequential (32); contrast; precharge 0xF1; VCOMH 0.77 Vcc (0x20);
 * RAM content; normal (not inverted); scrolling off. The display is switched on after the first frame is written.
 */
export function initCommands(height: 64 | 32): number[] {
  return [
    OP.DISPLAY_OFF,
    OP.SET_CLOCK_DIV, 0x80,
    OP.SET_MULTIPLEX, height - 1,
    OP.SET_DISPLAY_OFFSET, 0x00,
    OP.SET_START_LINE | 0,
    OP.CHARGE_PUMP, 0x14,
    OP.MEMORY_MODE, 0x02,
    OP.SEGMENT_REMAP,
    OP.COM_SCAN_DEC,
    OP.SET_COM_PINS, height === 64 ? 0x12 : 0x02,
    OP.SET_CONTRAST, height === 64 ? 0xcf : 0x8f,
    OP.SET_PRECHARGE, 0xf1,
    OP.SET_VCOMH, 0x20,
    OP.RESUME_RAM,
    OP.NORMAL,
    OP.DEACTIVATE_SCROLL,
  ];
}

/** Page addressing mode: page start (B0-B7), then lower and higher column start nibbles. */
export function pageAddress(page: number, column: number): number[] {
  if (!Number.isInteger(page) || page < 0 || page > 7) throw new RangeError(`pageAddress: expected page 0-7, got ${page}`);
  if (!Number.isInteger(column) || column < 0 || column > 127) throw new RangeError(`pageAddress: expected column 0-127, got ${column}`);
  return [OP.PAGE_START | page, OP.LOW_COLUMN | (column & 0x0f), OP.HIGH_COLUMN | (column >> 4)];
}
