// Reads what it can of a message that does not decode: the MTI and the fields before the broken one (to answer 30).
import type { Iso8583Codec, IsoMessage } from '../../firmware/host/iso8583';
import type { Cursor } from '../../firmware/host/iso8583/field-codec';
import { readBitmap, readMti } from '../../firmware/host/iso8583/mti-bitmap';

/**
 * The MTI and every field read, in order, up to the first element that fails. Never throws.
 * `mti` is undefined when even the MTI cannot be read.
 */
export function salvage(codec: Iso8583Codec, bytes: Buffer): { mti: string | undefined; fields: IsoMessage['fields'] } {
  const fields: IsoMessage['fields'] = {};
  const cur: Cursor = { pos: 0 };
  const end = bytes.length;
  let mti: string | undefined;
  try {
    mti = readMti(bytes, cur, end, codec.spec.mtiEncoding);
    const words = new Uint32Array(4);
    readBitmap(bytes, cur, end, codec.spec.bitmapEncoding === 'hex', words);
    // Fixed 128-step walk over the bitmap bits: bounded.
    for (let f = 2; f <= 128; f++) {
      if ((words[(f - 1) >> 5] & (1 << (31 - ((f - 1) & 31)))) === 0) continue;
      const fc = codec.field(f);
      if (!fc) break;
      fields[f] = fc.read(bytes, cur, end);
    }
  } catch {
    // stop at the first element that does not decode
  }
  return { mti, fields };
}
