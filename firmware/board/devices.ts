// Board-config schemas for each device class: one discriminated union on `driver` per class, defaults cite datasheets.
import { KEYS } from '../common/keys';
import { z } from 'zod';

const hex = (bytes: number[]) =>
  z
    .string()
    .regex(/^[0-9a-fA-F]+$/, 'expected a hex string')
    .refine((s) => bytes.includes(s.length / 2), { message: `expected ${bytes.map((b) => b * 2).join(' or ')} hex digits` });

/** Serial line settings shared by every serial device. */
const serialLine = {
  path: z.string().min(1).describe('Device path, e.g. /dev/ttyUSB0 or a pty link'),
  baudRate: z.number().int().positive().default(9600),
  reconnectMs: z.number().int().positive().default(1000).describe('Wait before reopening an unplugged port'),
};

const i2cDevice = {
  bus: z
    .union([z.number().int().min(0), z.literal('emulated')])
    .default(1)
    .describe('I2C bus number (/dev/i2c-N); "emulated" uses the user-space bus emulator'),
};

const keyboardLayout = z.enum(['us', 'de', 'fr']).default('us');

export const scannerSchema = z.discriminatedUnion('driver', [
  z.strictObject({ driver: z.literal('sim') }),
  z.strictObject({
    driver: z.literal('serial'),
    ...serialLine,
    prefix: z.string().default(''),
    suffix: z.string().default('\r').describe('Terminator the scan head appends; CR is the factory default of most serial scan heads'),
    symbologyIds: z.enum(['none', 'aim']).default('none').describe('Strip AIM symbology identifiers (]Q1, ]E0 ...) when the scan head sends them'),
    maxLength: z.number().int().positive().max(8192).default(2048),
  }),
  z.strictObject({
    driver: z.literal('hid'),
    vendorId: z.number().int().min(0).max(0xffff),
    productId: z.number().int().min(0).max(0xffff),
    mode: z.enum(['pos', 'keyboard']).default('pos').describe('pos: HID POS barcode scanner usage page 0x8C; keyboard: keyboard wedge'),
    layout: keyboardLayout,
    maxLength: z.number().int().positive().max(8192).default(2048),
  }),
]);

export const magstripeSchema = z.discriminatedUnion('driver', [
  z.strictObject({ driver: z.literal('sim') }),
  z.strictObject({ driver: z.literal('serial'), ...serialLine }),
  z.strictObject({
    driver: z.literal('hid'),
    vendorId: z.number().int().min(0).max(0xffff),
    productId: z.number().int().min(0).max(0xffff),
    mode: z.enum(['raw', 'keyboard']).default('keyboard'),
    layout: keyboardLayout,
  }),
]);

const pinpadKey = {
  scheme: z.enum(['tdes', 'aes128', 'aes256']).default('tdes'),
  initialKey: hex([16, 32]).describe(
    'DUKPT initial key (IPEK/IK) the simulated PIN pad starts with: a development convenience in the clear, allowed on simulator boards only (a loaded key replaces it: posfw keys load-pinpad)',
  ),
  ksn: hex([10, 12]).describe('Initial key serial number: 10 bytes TDES, 12 bytes AES'),
};

export const pinpadSchema = z.discriminatedUnion('driver', [
  z.strictObject({ driver: z.literal('sim'), ...pinpadKey }),
  z.strictObject({
    driver: z.literal('serial'),
    ...serialLine,
    ackTimeoutMs: z.number().int().positive().default(500),
    retries: z.number().int().min(0).max(10).default(3),
    emulate: z
      .strictObject(pinpadKey)
      .optional()
      .describe('Run the PIN pad emulator on the other end of a pty pair (simulator boards only)'),
  }),
]);

const printerCommon = {
  columns: z.number().int().min(16).max(64).default(32).describe('Characters per line, font A: 32 on 58 mm paper, 48 on 80 mm (Epson TM-T20 spec)'),
  chinese: z.boolean().default(false).describe('Printer has the GB18030 Chinese font (FS & Kanji mode)'),
  codepage: z.enum(['cp437', 'cp858']).default('cp437'),
};

export const printerSchema = z.discriminatedUnion('driver', [
  z.strictObject({ driver: z.literal('sim'), ...printerCommon }),
  z.strictObject({ driver: z.literal('serial'), ...serialLine, ...printerCommon }),
  z.strictObject({ driver: z.literal('usb'), path: z.string().default('/dev/usb/lp0'), ...printerCommon }),
  z.strictObject({
    driver: z.literal('tcp'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(9100).describe('Raw printing port (JetDirect/AppSocket)'),
    ...printerCommon,
  }),
]);

export const displaySchema = z.discriminatedUnion('driver', [
  z.strictObject({
    driver: z.literal('sim'),
    cols: z.number().int().min(8).max(64).default(20),
    rows: z.number().int().min(1).max(16).default(4),
    graphic: z.boolean().default(false),
  }),
  z.strictObject({
    driver: z.literal('hd44780-pcf8574'),
    ...i2cDevice,
    address: z.number().int().min(0x20).max(0x3f).default(0x27).describe('PCF8574 0x20-0x27, PCF8574A 0x38-0x3F (NXP PCF8574 datasheet table 4)'),
    cols: z.union([z.literal(16), z.literal(20)]).default(20),
    rows: z.union([z.literal(2), z.literal(4)]).default(4),
    clearDelayUs: z.number().int().positive().default(2000).describe('Clear display executes in 1.52 ms (Hitachi HD44780U datasheet, table 6)'),
  }),
  z.strictObject({
    driver: z.literal('ssd1306'),
    ...i2cDevice,
    address: z.union([z.literal(0x3c), z.literal(0x3d)]).default(0x3c).describe('SA0 low 0x3C, high 0x3D (Solomon SSD1306 datasheet 8.1.5)'),
    width: z.literal(128).default(128),
    height: z.union([z.literal(64), z.literal(32)]).default(64),
  }),
]);

export const keypadSchema = z.discriminatedUnion('driver', [
  z.strictObject({ driver: z.literal('sim') }),
  z.strictObject({
    driver: z.literal('gpio-matrix'),
    gpio: z.union([z.literal('kernel'), z.literal('emulated')]).default('kernel'),
    rows: z.array(z.number().int().min(0)).min(1).max(8).describe('GPIO lines driven as rows'),
    cols: z.array(z.number().int().min(0)).min(1).max(8).describe('GPIO lines read as columns (pull-ups)'),
    keymap: z.array(z.array(z.union([z.enum(KEYS), z.literal('')]))).describe('Logical key per [row][col]; "" where the matrix has no key'),
    debounceMs: z.number().int().min(1).max(200).default(20).describe('Typical membrane keypad bounce is under 10 ms'),
    repeatDelayMs: z.number().int().positive().default(500),
    repeatIntervalMs: z.number().int().positive().default(100),
    repeatKeys: z.array(z.enum(KEYS)).default(['CLEAR']),
  }),
]);

export const devicesSchema = z.strictObject({
  scanner: scannerSchema,
  magstripe: magstripeSchema,
  pinpad: pinpadSchema,
  printer: printerSchema,
  display: displaySchema,
  keypad: keypadSchema,
});

export type DevicesConfig = z.infer<typeof devicesSchema>;
export type ScannerConfig = z.infer<typeof scannerSchema>;
export type MagstripeConfig = z.infer<typeof magstripeSchema>;
export type PinpadConfig = z.infer<typeof pinpadSchema>;
export type PrinterConfig = z.infer<typeof printerSchema>;
export type DisplayConfig = z.infer<typeof displaySchema>;
export type KeypadConfig = z.infer<typeof keypadSchema>;

/**
 * The first device of a board that is real hardware, as a JSON path and what it is: a serial port under /dev, an HID
 * or USB device, a network printer, a kernel I2C bus or GPIO chip. Undefined for simulator boards (every device
 * simulated) and bench boards (a device on an emulated bus or GPIO: the bench runs the real drivers against
 * emulators and moves serial links into its own folder). Secrets that are only a development convenience (a clear
 * initial PIN key, a device key made at boot) are refused on boards with real hardware.
 */
export function realHardware(devices: DevicesConfig): { path: Array<string | number>; what: string } | undefined {
  const all = Object.entries(devices) as Array<[keyof DevicesConfig, Record<string, unknown>]>;
  if (all.some(([, d]) => d.bus === 'emulated' || d.gpio === 'emulated')) return undefined;
  for (const [cls, d] of all) {
    const at = (field: string, what: string) => ({ path: ['devices', cls, field], what: `devices.${cls} ${what}` });
    if (d.driver === 'sim') continue;
    if (typeof d.path === 'string' && d.path.startsWith('/dev/')) return at('path', `on ${d.path}`);
    if (d.driver === 'hid' || d.driver === 'usb' || d.driver === 'tcp') return at('driver', `is a ${d.driver} device`);
    if (typeof d.bus === 'number') return at('bus', `is on I2C bus ${d.bus}`);
    if (d.gpio === 'kernel') return at('gpio', 'is on the kernel GPIO chip');
  }
  return undefined;
}
