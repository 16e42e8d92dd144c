// TR-31 / ANSI X9.143 key block header: the 16-character fixed part and the optional blocks, parsed and built.
import { Tr31Error } from './tr31-errors';

/** Key block versions this codec reads: A and C (TDES variant binding), B (TDES derivation), D (AES derivation). */
export type Tr31Version = 'A' | 'B' | 'C' | 'D';

/** Per version: the cipher protecting the block, its block size and the MAC length (bytes). */
export const VERSION_INFO: Readonly<Record<Tr31Version, { family: 'tdes' | 'aes'; blockSize: number; macLength: number; binding: string }>> = {
  A: { family: 'tdes', blockSize: 8, macLength: 4, binding: 'TDES key variant binding (TR-31:2005, deprecated)' },
  B: { family: 'tdes', blockSize: 8, macLength: 8, binding: 'TDES key derivation binding, CMAC' },
  C: { family: 'tdes', blockSize: 8, macLength: 4, binding: 'TDES key variant binding (TR-31:2010)' },
  D: { family: 'aes', blockSize: 16, macLength: 16, binding: 'AES key derivation binding, CMAC' },
};

/** Length of the fixed header part. */
export const FIXED_HEADER_LENGTH = 16;
/** Largest key block the 4-digit length field can describe. */
export const MAX_KEY_BLOCK_LENGTH = 9999;

/** One optional block as it appears in the header. */
export interface OptionalBlock {
  /** Two-character ID, e.g. "KS", "IK", "KC", "PB". */
  id: string;
  /** The block's data characters (after the ID and length fields). */
  data: string;
  /** Total characters of the block, ID and length fields included (its length field). */
  length: number;
}

/** The header fields a caller chooses when building a key block. */
export interface HeaderFields {
  version: Tr31Version;
  /** Two characters, e.g. "B1" (initial DUKPT key), "P0" (PIN encryption). */
  keyUsage: string;
  /** Algorithm of the wrapped key: "T" TDES, "A" AES, ... */
  algorithm: string;
  /** Mode of use: "X" derive keys, "N" no special restrictions, "E" encrypt only, ... */
  modeOfUse: string;
  /** Key version number, two characters; "00" when unused. */
  keyVersion: string;
  /** "E" exportable, "N" non-exportable, "S" sensitive. */
  exportability: string;
  /** X9.143 key context (byte 14): "0" any, "1" storage, "2" exchange. */
  keyContext: string;
  /** Optional blocks other than the PB padding block, in order. */
  optionalBlocks: ReadonlyArray<{ id: string; data: string }>;
}

/** A parsed header. */
export interface KeyBlockHeader extends HeaderFields {
  /** The 4-digit length field: characters in the whole key block. */
  length: number;
  /** Every optional block as found, PB included. */
  optionalBlocks: OptionalBlock[];
  /** The header characters exactly as in the block (what the MAC covers). */
  text: string;
}

const FIELD_RULES: Array<{ key: keyof HeaderFields; name: string; at: number; len: number; re: RegExp; want: string }> = [
  { key: 'keyUsage', name: 'key usage', at: 5, len: 2, re: /^[0-9A-Z]{2}$/, want: '2 upper-case letters or digits' },
  { key: 'algorithm', name: 'algorithm', at: 7, len: 1, re: /^[0-9A-Z]$/, want: 'an upper-case letter or digit' },
  { key: 'modeOfUse', name: 'mode of use', at: 8, len: 1, re: /^[0-9A-Z]$/, want: 'an upper-case letter or digit' },
  { key: 'keyVersion', name: 'key version number', at: 9, len: 2, re: /^[0-9A-Za-z]{2}$/, want: '2 letters or digits' },
  { key: 'exportability', name: 'exportability', at: 11, len: 1, re: /^[0-9A-Z]$/, want: 'an upper-case letter or digit' },
  { key: 'keyContext', name: 'key context', at: 14, len: 1, re: /^[0-9A-Z]$/, want: 'a digit or upper-case letter' },
];

const isVersion = (c: string): c is Tr31Version => c === 'A' || c === 'B' || c === 'C' || c === 'D';

/** Checks that every character is printable ASCII (0x20-0x7E). */
export function checkPrintable(text: string, what: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) {
      throw new Tr31Error('characters', `${what} character ${i + 1} is not printable ASCII (code 0x${c.toString(16).toUpperCase().padStart(2, '0')})`);
    }
  }
}

/**
 * Parses the header of a key block: fixed fields and optional blocks, checking each field's form.
 * Does not check the length field against the block (see `decodeKeyBlock`).
 * @throws Tr31Error `characters`, `truncated`, `version`, `length-field`, `header`, `optional-block`.
 */
export function parseHeader(block: string): KeyBlockHeader {
  if (typeof block !== 'string') throw new Tr31Error('characters', `a key block is text, got ${typeof block}`);
  checkPrintable(block, 'key block');
  if (block.length < FIXED_HEADER_LENGTH) {
    throw new Tr31Error('truncated', `key block is ${block.length} characters; its fixed header alone takes ${FIXED_HEADER_LENGTH}`);
  }
  const version = block[0];
  if (!isVersion(version)) {
    throw new Tr31Error('version', `key block version ID "${version}" is not one this codec reads (A, B, C or D)`);
  }
  const lengthText = block.slice(1, 5);
  if (!/^\d{4}$/.test(lengthText)) throw new Tr31Error('length-field', `key block length field "${lengthText}" is not 4 decimal digits`);
  const fields: Record<string, string> = {};
  for (const f of FIELD_RULES) {
    const value = block.slice(f.at, f.at + f.len);
    if (!f.re.test(value)) throw new Tr31Error('header', `header ${f.name} "${value}" is not ${f.want}`);
    fields[f.key] = value;
  }
  if (!/^[0-9A-Z]$/.test(block[15])) throw new Tr31Error('header', `header reserved character 16 "${block[15]}" is not a digit or upper-case letter`);
  const countText = block.slice(12, 14);
  if (!/^\d{2}$/.test(countText)) throw new Tr31Error('header', `header number of optional blocks "${countText}" is not 2 decimal digits`);
  const { blocks, end } = parseOptionalBlocks(block, Number(countText));
  const blockSize = VERSION_INFO[version].blockSize;
  if (end % blockSize !== 0) {
    throw new Tr31Error('optional-block', `header is ${end} characters, not a multiple of ${blockSize} as version ${version} requires (optional blocks are padded with a PB block)`);
  }
  return {
    version,
    length: Number(lengthText),
    keyUsage: fields.keyUsage,
    algorithm: fields.algorithm,
    modeOfUse: fields.modeOfUse,
    keyVersion: fields.keyVersion,
    exportability: fields.exportability,
    keyContext: fields.keyContext,
    optionalBlocks: blocks,
    text: block.slice(0, end),
  };
}

function hexField(block: string, at: number, len: number, what: string): number {
  const text = block.slice(at, at + len);
  if (text.length < len) throw new Tr31Error('truncated', `${what} runs past the end of the key block`);
  if (!/^[0-9A-Fa-f]+$/.test(text)) throw new Tr31Error('optional-block', `${what} "${text}" is not ${len} hex digits`);
  return parseInt(text, 16);
}

/** Parses `count` optional blocks starting after the fixed header; returns them and where the header ends. */
function parseOptionalBlocks(block: string, count: number): { blocks: OptionalBlock[]; end: number } {
  const blocks: OptionalBlock[] = [];
  let at = FIXED_HEADER_LENGTH;
  for (let n = 1; n <= count; n++) {
    const where = `optional block ${n} of ${count}`;
    if (at + 4 > block.length) throw new Tr31Error('truncated', `${where} starts at character ${at + 1}, past the end of the key block`);
    const id = block.slice(at, at + 2);
    if (!/^[0-9A-Z]{2}$/.test(id)) throw new Tr31Error('optional-block', `${where} ID "${id}" is not 2 upper-case letters or digits`);
    let length = hexField(block, at + 2, 2, `${where} (${id}) length`);
    let fieldsLength = 4;
    if (length === 0) {
      const lengthOfLength = hexField(block, at + 4, 2, `${where} (${id}) extended length-of-length`);
      if (lengthOfLength === 0) throw new Tr31Error('optional-block', `${where} (${id}) extended length-of-length is 0`);
      length = hexField(block, at + 6, lengthOfLength, `${where} (${id}) extended length`);
      fieldsLength = 6 + lengthOfLength;
    }
    if (length < fieldsLength) {
      throw new Tr31Error('optional-block', `${where} (${id}) length ${length} is shorter than its own ID and length fields (${fieldsLength})`);
    }
    if (at + length > block.length) throw new Tr31Error('truncated', `${where} (${id}) is ${length} characters but runs past the end of the key block`);
    if (id === 'PB' && n !== count) throw new Tr31Error('optional-block', `${where} is the PB padding block, which must be the last optional block`);
    blocks.push({ id, data: block.slice(at + fieldsLength, at + length), length });
    at += length;
  }
  return { blocks, end: at };
}

function formatOptionalBlock(id: string, data: string): string {
  const short = 4 + data.length;
  if (short <= 0xff) return id + short.toString(16).toUpperCase().padStart(2, '0') + data;
  const total = 10 + data.length; // ID, "00", "04", 4 hex digits of length
  if (total > 0xffff) throw new Tr31Error('input', `optional block ${id} is too long (${data.length} characters)`);
  return id + '0004' + total.toString(16).toUpperCase().padStart(4, '0') + data;
}

function checkFields(f: HeaderFields): void {
  if (!isVersion(f.version)) throw new Tr31Error('version', `key block version ID "${String(f.version)}" is not one this codec writes (A, B, C or D)`);
  for (const rule of FIELD_RULES) {
    const value = f[rule.key];
    if (typeof value !== 'string' || !rule.re.test(value)) throw new Tr31Error('input', `${rule.name} "${String(value)}" is not ${rule.want}`);
  }
  if (f.optionalBlocks.length > 98) throw new Tr31Error('input', `at most 98 optional blocks fit beside a PB block, got ${f.optionalBlocks.length}`);
  for (const b of f.optionalBlocks) {
    if (!/^[0-9A-Z]{2}$/.test(b.id)) throw new Tr31Error('input', `optional block ID "${b.id}" is not 2 upper-case letters or digits`);
    if (b.id === 'PB') throw new Tr31Error('input', 'the PB padding block is added by the encoder; leave it out');
    checkPrintable(b.data, `optional block ${b.id} data`);
  }
}

/**
 * Builds a header for a key block whose encrypted payload and MAC take `bodyLength` characters:
 * optional blocks get a PB block when the header must be padded to the cipher block size.
 * @throws Tr31Error `input`/`version` for a bad field, `input` when the block would exceed 9999 characters.
 */
export function buildHeader(f: HeaderFields, bodyLength: number): string {
  checkFields(f);
  const size = VERSION_INFO[f.version].blockSize;
  let opt = f.optionalBlocks.map((b) => formatOptionalBlock(b.id, b.data)).join('');
  let count = f.optionalBlocks.length;
  const rest = (FIXED_HEADER_LENGTH + opt.length) % size;
  if (rest !== 0) {
    let pad = size - rest;
    if (pad < 4) pad += size;
    opt += 'PB' + pad.toString(16).toUpperCase().padStart(2, '0') + '0'.repeat(pad - 4);
    count++;
  }
  const total = FIXED_HEADER_LENGTH + opt.length + bodyLength;
  if (total > MAX_KEY_BLOCK_LENGTH) throw new Tr31Error('input', `the key block would be ${total} characters; the length field allows ${MAX_KEY_BLOCK_LENGTH}`);
  const fixed =
    f.version + String(total).padStart(4, '0') + f.keyUsage + f.algorithm + f.modeOfUse + f.keyVersion + f.exportability +
    String(count).padStart(2, '0') + f.keyContext + '0';
  return fixed + opt;
}
