// ISO 9564-1 PIN blocks: format 0 (clear 8-byte block, TDES-era) and format 4 (AES, enciphered 16-byte block).
import { randomBytes } from 'node:crypto';
import { aesDecrypt, aesEncrypt, xor } from './block-cipher';
import { PinBlockError } from './errors';

export { PinBlockError } from './errors';
export type { PinBlockReason } from './errors';

const MIN_PIN = 4;
const MAX_PIN = 12;
const FILL_0 = 0xf;
const FILL_4 = 0xa;

function nibbles(buf: Buffer): number[] {
  const out: number[] = [];
  for (const byte of buf) out.push(byte >> 4, byte & 0x0f);
  return out;
}

function fromNibbles(n: number[]): Buffer {
  const out = Buffer.alloc(n.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (n[2 * i] << 4) | n[2 * i + 1];
  return out;
}

function digitsOf(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0) - 48);
}

/** Checks a PIN string going into a block (4..12 decimal digits). */
function checkPin(pin: string): void {
  if (typeof pin !== 'string' || pin.length < MIN_PIN || pin.length > MAX_PIN) {
    throw new PinBlockError('pin-length', `PIN must be ${MIN_PIN} to ${MAX_PIN} digits, got ${typeof pin === 'string' ? pin.length : typeof pin}`);
  }
  if (!/^[0-9]+$/.test(pin)) throw new PinBlockError('pin-digits', 'PIN must contain decimal digits only');
}

function checkPan(pan: string, min: number, max: number, format: 0 | 4): void {
  if (typeof pan !== 'string' || !/^[0-9]+$/.test(pan)) {
    throw new PinBlockError('pan', `format ${format} PAN must be ${min} to ${max} decimal digits (got non-digit characters or nothing)`);
  }
  if (pan.length < min || pan.length > max) {
    throw new PinBlockError('pan', `format ${format} PAN must be ${min} to ${max} decimal digits, got ${pan.length}`);
  }
}

/** Checks a decoded plaintext PIN field: control nibble, length nibble, digits, fill up to nibble 15. */
function readPinField(n: number[], format: 0 | 4, fill: number): string {
  if (n[0] !== format) {
    throw new PinBlockError('control-field', `not an ISO format ${format} PIN block: control field is ${n[0].toString(16).toUpperCase()}, expected ${format}`);
  }
  const len = n[1];
  if (len < MIN_PIN || len > MAX_PIN) {
    throw new PinBlockError('pin-length', `PIN length field is ${len}, expected ${MIN_PIN} to ${MAX_PIN}`);
  }
  for (let i = 2; i < 2 + len; i++) {
    if (n[i] > 9) throw new PinBlockError('pin-digits', `PIN digit ${i - 1} of ${len} is not a decimal digit`);
  }
  for (let i = 2 + len; i < 16; i++) {
    if (n[i] !== fill) {
      throw new PinBlockError('fill', `fill nibble at position ${i} is not ${fill.toString(16).toUpperCase()} (format ${format} fills with ${fill.toString(16).toUpperCase()})`);
    }
  }
  return n
    .slice(2, 2 + len)
    .map((d) => String(d))
    .join('');
}

/** First 16 nibbles of a plaintext PIN field: control, length, digits, fill. */
function pinFieldNibbles(pin: string, format: 0 | 4, fill: number): number[] {
  const n = [format, pin.length, ...digitsOf(pin)];
  while (n.length < 16) n.push(fill);
  return n;
}

/** Format 0 PAN field: 0000 + the 12 right-most PAN digits excluding the check digit. */
function panField0(pan: string): Buffer {
  const digits = pan.slice(0, -1).slice(-12);
  return fromNibbles([0, 0, 0, 0, ...digitsOf(digits)]);
}

/** Format 4 PAN field: M (PAN length - 12, 0 below 12), PAN (left-padded to 12 digits), zero-filled to 16 bytes. */
function panField4(pan: string): Buffer {
  const m = Math.max(0, pan.length - 12);
  const n = [m, ...digitsOf(pan.padStart(12, '0'))];
  while (n.length < 32) n.push(0);
  return fromNibbles(n);
}

/**
 * Builds the clear ISO 9564-1 format 0 PIN block (8 bytes): PIN field XOR PAN field.
 * @param pin 4..12 decimal digits.
 * @param pan 13..19 decimal digits (check digit included; the 12 digits before it are bound).
 * @throws PinBlockError (`pin-length`, `pin-digits`, `pan`).
 */
export function encodePinBlockFormat0(pin: string, pan: string): Buffer {
  checkPin(pin);
  checkPan(pan, 13, 19, 0);
  return xor(fromNibbles(pinFieldNibbles(pin, 0, FILL_0)), panField0(pan));
}

/**
 * Reads the PIN out of a clear format 0 block.
 * @throws PinBlockError (`block-length`, `pan`, `control-field`, `pin-length`, `pin-digits`, `fill`).
 */
export function decodePinBlockFormat0(block: Buffer, pan: string): string {
  if (!Buffer.isBuffer(block) || block.length !== 8) {
    throw new PinBlockError('block-length', `format 0 PIN block must be 8 bytes, got ${Buffer.isBuffer(block) ? block.length : typeof block}`);
  }
  checkPan(pan, 13, 19, 0);
  return readPinField(nibbles(xor(block, panField0(pan))), 0, FILL_0);
}

function checkAesKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || ![16, 24, 32].includes(key.length)) {
    throw new PinBlockError('key', `format 4 PIN key must be an AES key of 16, 24 or 32 bytes, got ${Buffer.isBuffer(key) ? key.length : typeof key}`);
  }
}

/**
 * Builds an enciphered ISO 9564-1 format 4 PIN block (16 bytes):
 * `E(key, E(key, pinField) XOR panField)`, where the plaintext PIN field is
 * 4 | L | PIN | A-fill (8 bytes) followed by 8 random bytes.
 * @param pan 1..19 decimal digits (all of them are bound, check digit included).
 * @param random source of the 8 random fill bytes (default crypto.randomBytes); inject only for tests.
 * @throws PinBlockError (`pin-length`, `pin-digits`, `pan`, `key`).
 */
export function encodePinBlockFormat4(pin: string, pan: string, key: Buffer, random: (n: number) => Buffer = randomBytes): Buffer {
  checkPin(pin);
  checkPan(pan, 1, 19, 4);
  checkAesKey(key);
  const rnd = random(8);
  if (!Buffer.isBuffer(rnd) || rnd.length !== 8) throw new RangeError('format 4 random source must return 8 bytes');
  const pinField = Buffer.concat([fromNibbles(pinFieldNibbles(pin, 4, FILL_4)), rnd]);
  return aesEncrypt(key, xor(aesEncrypt(key, pinField), panField4(pan)));
}

/**
 * Deciphers a format 4 PIN block and reads the PIN out of it.
 * @throws PinBlockError (`block-length`, `pan`, `key`, `control-field`, `pin-length`, `pin-digits`, `fill`).
 */
export function decodePinBlockFormat4(block: Buffer, pan: string, key: Buffer): string {
  if (!Buffer.isBuffer(block) || block.length !== 16) {
    throw new PinBlockError('block-length', `format 4 PIN block must be 16 bytes, got ${Buffer.isBuffer(block) ? block.length : typeof block}`);
  }
  checkPan(pan, 1, 19, 4);
  checkAesKey(key);
  const pinField = aesDecrypt(key, xor(aesDecrypt(key, block), panField4(pan)));
  return readPinField(nibbles(pinField), 4, FILL_4);
}
