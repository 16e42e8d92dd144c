// ISO 8583 message codec: packs and unpacks whole messages with per-field codecs compiled once from an IsoSpec.
import { describeMessage, type DescribedMessage } from './describe';
import { IsoError } from './errors';
import { FieldCodec, kindOf, type Cursor } from './field-codec';
import { bitmapBytes, checkMti, mtiBytes, readBitmap, readMti, setBit, writeBitmap, writeMti } from './mti-bitmap';
import { validateSpec } from './spec-schema';
import type { IsoMessage, IsoSpec } from './spec-types';

/** Highest field number set in the bitmap (bit 1 excluded), or 0. */
function lastField(words: Uint32Array): number {
  for (let w = 3; w >= 0; w--) {
    const bits = w === 0 ? words[0] & 0x7fffffff : words[w];
    if (bits !== 0) return w * 32 + Math.clz32(bits & -bits) + 1;
  }
  return 0;
}

/**
 * Packs and unpacks messages of one spec. Not re-entrant across threads (scratch state is per instance),
 * which is fine on Node's single thread: every method runs to completion synchronously.
 */
export class Iso8583Codec {
  /** The validated spec. */
  readonly spec: IsoSpec;
  private readonly codecs: (FieldCodec | undefined)[] = new Array(129).fill(undefined);
  private readonly words = new Uint32Array(4);
  private readonly cursor: Cursor = { pos: 0 };
  /** Field numbers present in the message being packed, in order. */
  private readonly present = new Uint8Array(128);
  private readonly hexBitmap: boolean;
  private readonly notInSpec: string;

  /** Validates and compiles the spec: build one codec per spec and reuse it. Throws IsoSpecError when it is invalid. */
  constructor(spec: IsoSpec) {
    this.spec = validateSpec(spec, `spec ${JSON.stringify(spec?.name ?? '(unnamed)')}`);
    for (const [key, fs] of Object.entries(this.spec.fields)) this.codecs[Number(key)] = new FieldCodec(Number(key), fs);
    this.hexBitmap = this.spec.bitmapEncoding === 'hex';
    this.notInSpec = `a field defined in spec "${this.spec.name}"`;
  }

  /** The compiled codec of a field, if the spec defines it. */
  field(n: number): FieldCodec | undefined {
    return this.codecs[n];
  }

  /**
   * Encodes a message: MTI, bitmap(s) (secondary only when a field above 64 is present), then fields in order.
   * Keys of `msg.fields` other than 0-128 are not looked at.
   * Throws IsoError naming the field and what was expected: bad MTI, field not in spec, wrong value type,
   * characters not allowed by the type, value too long (or too short for a fixed field without padding).
   */
  pack(msg: IsoMessage): Buffer {
    if (msg === null || typeof msg !== 'object') throw new IsoError('message', undefined, 'an object { mti, fields }', kindOf(msg));
    checkMti(msg.mti);
    const fields = msg.fields as Record<string, string | Buffer | undefined>;
    if (fields === null || typeof fields !== 'object') throw new IsoError('message', undefined, 'fields as an object', kindOf(fields));
    const words = this.words;
    words.fill(0);
    const present = this.present;
    let count = 0;
    let size = 0;
    // Numeric lookups 2..128 give wire order and beat Object.keys/for-in (which build and sort key strings) ~2-3x.
    for (let f = 2; f <= 128; f++) {
      const value = fields[f];
      if (value === undefined) continue;
      const codec = this.codecs[f];
      if (codec === undefined) throw new IsoError(f, undefined, this.notInSpec, 'a value for an undefined field');
      size += codec.size(value);
      setBit(words, f);
      present[count++] = f;
    }
    if (fields[0] !== undefined || fields[1] !== undefined) {
      throw new IsoError(fields[0] !== undefined ? 0 : 1, undefined, 'data fields 2-128 (the MTI and bitmaps are not set as fields)', 'a value');
    }
    if ((words[2] | words[3]) !== 0) words[0] |= 0x80000000;
    const mtiEnc = this.spec.mtiEncoding;
    const buf = Buffer.allocUnsafe(mtiBytes(mtiEnc) + bitmapBytes(words, this.hexBitmap) + size);
    let off = writeMti(msg.mti, mtiEnc, buf, 0);
    off = writeBitmap(words, this.hexBitmap, buf, off);
    for (let i = 0; i < count; i++) {
      const f = present[i];
      off = (this.codecs[f] as FieldCodec).write(fields[f] as string | Buffer, buf, off);
    }
    return buf;
  }

  /**
   * Decodes a whole message (no length header). Throws IsoError, and nothing else, whatever the bytes:
   * truncated element, bad BCD nibble or character, length prefix above the field's maximum, a bitmap bit for a
   * field the spec does not define, or bytes left over after the last field.
   */
  unpack(bytes: Buffer): IsoMessage {
    const input: unknown = bytes;
    if (!(input instanceof Uint8Array)) throw new IsoError('message', undefined, 'a Buffer', kindOf(input));
    const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    const cur = this.cursor;
    cur.pos = 0;
    const end = buf.length;
    const mti = readMti(buf, cur, end, this.spec.mtiEncoding);
    const words = this.words;
    readBitmap(buf, cur, end, this.hexBitmap, words);
    const fields: Record<number, string | Buffer> = {};
    // Inserting the highest key first sizes the object's element store once (measured ~2x faster than ascending).
    const last = lastField(words);
    if (last > 0) fields[last] = '';
    for (let w = 0; w < 4; w++) {
      let bits = w === 0 ? words[0] & 0x7fffffff : words[w] | 0;
      while (bits !== 0) {
        const lead = Math.clz32(bits);
        bits ^= 1 << (31 - lead);
        const f = w * 32 + lead + 1;
        const codec = this.codecs[f];
        if (codec === undefined) throw new IsoError(f, cur.pos, this.notInSpec, `bit ${f} set in the bitmap`);
        fields[f] = codec.read(buf, cur, end);
      }
    }
    if (cur.pos !== end) throw new IsoError('message', cur.pos, 'end of message', `${end - cur.pos} more bytes`);
    return { mti, fields };
  }

  /** {@link unpack} without throwing. */
  tryUnpack(bytes: Buffer): { ok: true; message: IsoMessage } | { ok: false; error: IsoError } {
    try {
      return { ok: true, message: this.unpack(bytes) };
    } catch (err) {
      if (err instanceof IsoError) return { ok: false, error: err };
      throw err;
    }
  }

  /**
   * JSON-friendly view `{ mti, fields: { "2": { name, value } } }`: b values as upper-case hex; unless
   * `reveal`, PANs masked first 6 / last 4 and track data, expiry and PIN blocks shown as `[REDACTED n bytes]`.
   * Never throws.
   */
  describe(msg: IsoMessage, opts: { reveal?: boolean } = {}): DescribedMessage {
    return describeMessage(msg, this.codecs, opts.reveal === true);
  }
}
