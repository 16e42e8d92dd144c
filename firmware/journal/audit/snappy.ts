// Snappy decompression (the block format LevelDB compresses table blocks with), so the audit reads what the files hold.

/** A Snappy stream that does not decode: the audit reports the block as unreadable rather than guessing. */
export class SnappyError extends Error {
  override readonly name = 'SnappyError';
}

/**
 * Decompresses one Snappy block (github.com/google/snappy, format_description.txt): a varint of the uncompressed
 * length, then literals and back-references with 1-, 2- or 4-byte offsets.
 * @throws SnappyError for a truncated stream, an offset before the start, or a length that does not add up.
 */
export function snappyUncompress(input: Buffer): Buffer {
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= input.length || shift > 28) throw new SnappyError('snappy: bad length varint');
    const b = input[pos++];
    length += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  const out = Buffer.alloc(length);
  let o = 0;
  const need = (n: number) => {
    if (pos + n > input.length) throw new SnappyError('snappy: truncated');
  };
  while (pos < input.length) {
    const tag = input[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >>> 2;
      if (n >= 60) {
        const bytes = n - 59;
        need(bytes);
        n = 0;
        for (let i = 0; i < bytes; i++) n += input[pos + i] * 2 ** (8 * i);
        pos += bytes;
      }
      n += 1;
      need(n);
      if (o + n > length) throw new SnappyError('snappy: literal runs past the stated length');
      input.copy(out, o, pos, pos + n);
      pos += n;
      o += n;
      continue;
    }
    let n: number;
    let offset: number;
    if (kind === 1) {
      need(1);
      n = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[pos++];
    } else if (kind === 2) {
      need(2);
      n = (tag >>> 2) + 1;
      offset = input.readUInt16LE(pos);
      pos += 2;
    } else {
      need(4);
      n = (tag >>> 2) + 1;
      offset = input.readUInt32LE(pos);
      pos += 4;
    }
    if (offset === 0 || offset > o || o + n > length) throw new SnappyError('snappy: copy outside the output');
    for (let i = 0; i < n; i++) out[o + i] = out[o - offset + i];
    o += n;
  }
  if (o !== length) throw new SnappyError(`snappy: ${o} bytes decoded, ${length} stated`);
  return out;
}
