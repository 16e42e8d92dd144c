// LevelDB's files read without LevelDB: log records reassembled, write batches and table blocks (Snappy) decoded.
import { snappyUncompress } from './snappy';

/** One key/value as a file holds it; `seq` orders versions of a key (newest wins), `deleted` marks a tombstone. */
export interface RawEntry {
  key: Buffer;
  value: Buffer;
  seq: number;
  deleted: boolean;
}

const BLOCK = 32768;
const HEADER = 7;
const FULL = 1;
const FIRST = 2;
const MIDDLE = 3;
const LAST = 4;

/**
 * The records of a log-format file (the write-ahead `*.log` and `MANIFEST-*`; leveldb doc/log_format.md): 32 KiB
 * blocks of fragments (checksum, length, type) put back together. A fragment running past the end stops the read
 * (a power cut mid-write); checksums are not verified: the audit wants every byte, intact or not.
 */
export function logRecords(file: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let parts: Buffer[] = [];
  for (let block = 0; block < file.length; block += BLOCK) {
    let pos = block;
    const end = Math.min(block + BLOCK, file.length);
    while (pos + HEADER <= end) {
      const len = file.readUInt16LE(pos + 4);
      const type = file[pos + 6];
      if (type === 0 && len === 0) break; // zero fill to the end of the block
      const start = pos + HEADER;
      if (start + len > end) return out;
      const data = file.subarray(start, start + len);
      pos = start + len;
      if (type === FULL) out.push(Buffer.from(data));
      else if (type === FIRST) parts = [data];
      else if (type === MIDDLE) parts.push(data);
      else if (type === LAST) {
        parts.push(data);
        out.push(Buffer.concat(parts));
        parts = [];
      }
    }
  }
  return out;
}

function varint(buf: Buffer, at: number): [number, number] {
  let v = 0;
  for (let shift = 0, pos = at; pos < buf.length && shift <= 63; shift += 7) {
    const b = buf[pos++];
    v += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [v, pos];
  }
  throw new RangeError('bad varint');
}

/** The entries of one write batch (a `*.log` record): sequence number, count, then puts and deletes. */
export function writeBatchEntries(record: Buffer): RawEntry[] {
  if (record.length < 12) return [];
  const base = Number(record.readBigUInt64LE(0));
  const count = record.readUInt32LE(8);
  const out: RawEntry[] = [];
  let pos = 12;
  for (let i = 0; i < count && pos < record.length; i++) {
    const tag = record[pos++];
    let len: number;
    [len, pos] = varint(record, pos);
    const key = record.subarray(pos, (pos += len));
    if (tag === 1) {
      [len, pos] = varint(record, pos);
      out.push({ key, value: record.subarray(pos, (pos += len)), seq: base + i, deleted: false });
    } else out.push({ key, value: Buffer.alloc(0), seq: base + i, deleted: true });
  }
  return out;
}

/** A block of a table file, decompressed when its trailer says Snappy (type 1). */
function tableBlock(file: Buffer, offset: number, size: number): Buffer {
  const contents = file.subarray(offset, offset + size);
  return file[offset + size] === 1 ? snappyUncompress(contents) : contents;
}

/** The key/value entries of a block: prefix-compressed keys rebuilt whole (leveldb doc/table_format.md). */
function blockEntries(block: Buffer): Array<{ key: Buffer; value: Buffer }> {
  const restarts = block.readUInt32LE(block.length - 4);
  const limit = block.length - 4 - 4 * restarts;
  const out: Array<{ key: Buffer; value: Buffer }> = [];
  let prev = Buffer.alloc(0);
  for (let pos = 0; pos < limit; ) {
    let shared: number;
    let unshared: number;
    let valueLen: number;
    [shared, pos] = varint(block, pos);
    [unshared, pos] = varint(block, pos);
    [valueLen, pos] = varint(block, pos);
    const key = Buffer.concat([prev.subarray(0, shared), block.subarray(pos, pos + unshared)]);
    pos += unshared;
    out.push({ key, value: block.subarray(pos, pos + valueLen) });
    pos += valueLen;
    prev = key;
  }
  return out;
}

const TABLE_MAGIC = 0xdb4775248b80fb57n;

/**
 * Every entry of a table file (`*.ldb`, `*.sst`): the footer's index block, then each data block it points to.
 * Internal keys end in 8 bytes of sequence number and type, split off here.
 * @throws RangeError / SnappyError for a file that is not a whole table.
 */
export function tableEntries(file: Buffer): RawEntry[] {
  if (file.length < 48 || file.readBigUInt64LE(file.length - 8) !== TABLE_MAGIC) throw new RangeError('not a LevelDB table (no footer magic)');
  let pos = file.length - 48;
  [, pos] = varint(file, pos); // metaindex offset
  [, pos] = varint(file, pos); // metaindex size
  const [indexOffset, p2] = varint(file, pos);
  const [indexSize] = varint(file, p2);
  const out: RawEntry[] = [];
  for (const { value: handle } of blockEntries(tableBlock(file, indexOffset, indexSize))) {
    const [offset, p] = varint(handle, 0);
    const [size] = varint(handle, p);
    for (const { key, value } of blockEntries(tableBlock(file, offset, size))) {
      const trailer = key.length >= 8 ? key.readBigUInt64LE(key.length - 8) : 0n;
      out.push({ key: key.subarray(0, key.length - 8), value, seq: Number(trailer >> 8n), deleted: (trailer & 0xffn) === 0n });
    }
  }
  return out;
}
