// ISO 8583 message header: MTI (BCD or ASCII) and primary/secondary bitmaps (binary or hex ASCII) as 4 x 32-bit words.
import { byteHex, firstBadDigit, HEX2, HEX_NIBBLES, readBcd, writeBcd } from './bcd';
import { IsoError } from './errors';
import type { Cursor } from './field-codec';

/** Bitmap words: word `(f - 1) >> 5`, bit `31 - ((f - 1) & 31)` is field `f` (bit 1 = secondary bitmap present). */
export type BitmapWords = Uint32Array;

export function setBit(words: BitmapWords, field: number): void {
  words[(field - 1) >> 5] |= 1 << (31 - ((field - 1) & 31));
}

export function hasBit(words: BitmapWords, field: number): boolean {
  return (words[(field - 1) >> 5] & (1 << (31 - ((field - 1) & 31)))) !== 0;
}

/** Bytes the MTI takes. */
export function mtiBytes(encoding: 'bcd' | 'ascii'): number {
  return encoding === 'bcd' ? 2 : 4;
}

/** Checks an MTI value: 4 digits. Throws IsoError. */
export function checkMti(mti: unknown): void {
  if (typeof mti !== 'string' || mti.length !== 4 || firstBadDigit(mti) >= 0) {
    throw new IsoError('MTI', undefined, '4 digits', typeof mti === 'string' ? JSON.stringify(mti) : typeof mti);
  }
}

export function writeMti(mti: string, encoding: 'bcd' | 'ascii', buf: Buffer, off: number): number {
  if (encoding === 'bcd') return writeBcd(buf, off, mti, true, 0);
  return off + buf.write(mti, off, 4, 'latin1');
}

export function readMti(buf: Buffer, cur: Cursor, end: number, encoding: 'bcd' | 'ascii'): string {
  const pos = cur.pos;
  const n = mtiBytes(encoding);
  if (end - pos < n) throw new IsoError('MTI', pos, `${n} ${encoding === 'bcd' ? 'BCD' : 'ASCII'} bytes`, String(end - pos));
  for (let p = pos; p < pos + n; p++) {
    const b = buf[p];
    const ok = encoding === 'bcd' ? b >> 4 <= 9 && (b & 15) <= 9 : b >= 0x30 && b <= 0x39;
    if (!ok) throw new IsoError('MTI', p, encoding === 'bcd' ? 'BCD digits 0-9' : 'ASCII digits', byteHex(b));
  }
  cur.pos = pos + n;
  return encoding === 'bcd' ? (readBcd(buf, pos, 4, true) as string) : buf.toString('latin1', pos, pos + 4);
}

/** Bytes the bitmaps take: 8 or 16 (binary), 16 or 32 (hex). */
export function bitmapBytes(words: BitmapWords, hex: boolean): number {
  return (words[0] & 0x80000000 ? 16 : 8) * (hex ? 2 : 1);
}

export function writeBitmap(words: BitmapWords, hex: boolean, buf: Buffer, off: number): number {
  const count = words[0] & 0x80000000 ? 4 : 2;
  for (let i = 0; i < count; i++) {
    const w = words[i];
    if (!hex) {
      buf.writeUInt32BE(w, off);
      off += 4;
      continue;
    }
    for (let shift = 24; shift >= 0; shift -= 8) {
      const h = HEX2[(w >>> shift) & 255];
      buf[off++] = h.charCodeAt(0);
      buf[off++] = h.charCodeAt(1);
    }
  }
  return off;
}

function readWord(buf: Buffer, pos: number, hex: boolean, label: string): number {
  if (!hex) return buf.readUInt32BE(pos);
  let w = 0;
  for (let i = 0; i < 8; i++) {
    const c = buf[pos + i];
    const v = c < 128 ? HEX_NIBBLES[c] : -1;
    if (v < 0) throw new IsoError(label, pos + i, 'hex digits 0-9 A-F', byteHex(c));
    w = (w << 4) | v;
  }
  return w >>> 0;
}

/** Reads the primary bitmap and, when bit 1 is set, the secondary one into `words`. Throws IsoError. */
export function readBitmap(buf: Buffer, cur: Cursor, end: number, hex: boolean, words: BitmapWords): void {
  const wordBytes = hex ? 8 : 4;
  const mapBytes = 2 * wordBytes;
  words[2] = 0;
  words[3] = 0;
  let label = 'primary bitmap';
  for (let i = 0; i < 4; i++) {
    if (i === 2) {
      if (!(words[0] & 0x80000000)) break;
      label = 'secondary bitmap';
    }
    if (i % 2 === 0 && end - cur.pos < mapBytes) {
      throw new IsoError(label, cur.pos, `${mapBytes} ${hex ? 'hex-ASCII' : 'binary'} bytes`, String(end - cur.pos));
    }
    words[i] = readWord(buf, cur.pos, hex, label);
    cur.pos += wordBytes;
  }
}
