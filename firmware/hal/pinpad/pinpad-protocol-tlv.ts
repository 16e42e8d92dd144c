// PIN pad payload fields (pure): TAG(1) LEN(1) VALUE TLVs, their tag numbers and a checked reader.

/** Field tags. Values are binary unless noted; see docs/pinpad-protocol.md. */
export const Tag = {
  /** ASCII digits, 12-19. */
  PAN: 0x01,
  /** Unsigned 48-bit big-endian, minor units. */
  AMOUNT: 0x02,
  /** 3 ASCII upper-case letters (ISO 4217 alpha). */
  CURRENCY: 0x03,
  /** UTF-8, 1-64 bytes. */
  LABEL: 0x04,
  MIN_LENGTH: 0x05,
  MAX_LENGTH: 0x06,
  /** 0 or 1. */
  ALLOW_BYPASS: 0x07,
  /** Unsigned 32-bit big-endian, milliseconds. */
  TIMEOUT: 0x08,
  /** 0 pin, 1 bypass, 2 cancelled, 3 timeout. */
  STATUS: 0x10,
  /** ISO 9564 format: 0 or 4. */
  FORMAT: 0x11,
  /** 8 bytes (format 0) or 16 bytes (format 4). */
  PIN_BLOCK: 0x12,
  /** 10 bytes (TDES) or 12 bytes (AES). */
  KSN: 0x13,
  /** 0 tdes, 1 aes128, 2 aes256. */
  SCHEME: 0x20,
  /** 16 bytes (tdes, aes128) or 32 bytes (aes256). */
  INITIAL_KEY: 0x21,
  /** 0 idle, 1 prompting. */
  STATE: 0x30,
  /** ASCII. */
  VERSION: 0x31,
  /** Opaque, 0-255 bytes. */
  ECHO_DATA: 0x32,
  ERROR_CODE: 0x40,
  /** ASCII, 0-255 bytes. */
  ERROR_TEXT: 0x41,
} as const;

/** A payload that decodes as frames but breaks the message rules; `ref` is set when the header was readable. */
export class ProtocolViolation extends Error {
  constructor(
    message: string,
    readonly ref?: number,
    readonly cmd?: number,
  ) {
    super(message);
    this.name = 'ProtocolViolation';
  }
}

export interface Tlv {
  tag: number;
  value: Uint8Array;
}

/** Encodes fields in the order given. Throws RangeError for a value over 255 bytes. */
export function encodeTlvs(fields: readonly Tlv[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of fields) {
    if (f.value.length > 255) throw new RangeError(`field 0x${f.tag.toString(16)} is ${f.value.length} bytes; at most 255`);
    parts.push(Buffer.from([f.tag, f.value.length]), Buffer.from(f.value));
  }
  return Buffer.concat(parts);
}

/** Typed access to decoded fields; every getter throws ProtocolViolation naming the field on a bad value. */
export class FieldReader {
  private readonly map = new Map<number, Buffer>();

  constructor(
    bytes: Buffer,
    private readonly ref: number,
    private readonly cmd: number,
  ) {
    let i = 0;
    while (i < bytes.length) {
      if (i + 2 > bytes.length) this.fail('field header cut short');
      const tag = bytes[i];
      const len = bytes[i + 1];
      if (i + 2 + len > bytes.length) this.fail(`field 0x${hex(tag)} runs past the payload`);
      if (this.map.has(tag)) this.fail(`field 0x${hex(tag)} repeated`);
      this.map.set(tag, bytes.subarray(i + 2, i + 2 + len));
      i += 2 + len;
    }
  }

  has(tag: number): boolean {
    return this.map.has(tag);
  }

  bytes(tag: number, name: string, lengths?: readonly number[]): Buffer {
    const v = this.map.get(tag);
    if (!v) return this.fail(`missing ${name}`);
    if (lengths && !lengths.includes(v.length)) this.fail(`${name} must be ${lengths.join(' or ')} bytes, got ${v.length}`);
    return Buffer.from(v);
  }

  uint(tag: number, name: string, size: 1 | 4 | 6): number {
    const v = this.bytes(tag, name, [size]);
    return v.readUIntBE(0, size);
  }

  ascii(tag: number, name: string, pattern: RegExp): string {
    const s = this.bytes(tag, name).toString('latin1');
    if (!pattern.test(s)) this.fail(`${name} is malformed`);
    return s;
  }

  utf8(tag: number, name: string, maxBytes: number): string {
    const v = this.bytes(tag, name);
    if (v.length < 1 || v.length > maxBytes) this.fail(`${name} must be 1-${maxBytes} bytes`);
    return v.toString('utf8');
  }

  /** Maps a one-byte code to a name from `names` (index = code). */
  code<T extends string>(tag: number, name: string, names: readonly T[]): T {
    const n = this.uint(tag, name, 1);
    const v = names[n];
    if (v === undefined) this.fail(`${name} ${n} is not one of 0-${names.length - 1}`);
    return v as T;
  }

  fail(message: string): never {
    throw new ProtocolViolation(message, this.ref, this.cmd);
  }
}

/** A one-byte field. */
export const u8 = (tag: number, v: number): Tlv => ({ tag, value: Buffer.from([v]) });
/** A big-endian unsigned field of `size` bytes. */
export function uintBE(tag: number, v: number, size: 4 | 6): Tlv {
  const b = Buffer.alloc(size);
  b.writeUIntBE(v, 0, size);
  return { tag, value: b };
}
export const text = (tag: number, v: string, encoding: 'utf8' | 'latin1' = 'latin1'): Tlv => ({ tag, value: Buffer.from(v, encoding) });

const hex = (n: number) => n.toString(16).padStart(2, '0');
