// TR-31 / ANSI X9.143 key blocks: read versions A, B, C and D under a KBPK; write B and D (A and C for tests).
import { randomBytes } from 'node:crypto';
import { keyCheckValue } from './key-check-value';
import { openPayload, sealPayload } from './tr31-binding';
import { checkKbpk, deriveBindingKeys, kbpkAlgorithm, type BindingKeys } from './tr31-derive';
import { Tr31Error } from './tr31-errors';
import { buildHeader, parseHeader, VERSION_INFO, type HeaderFields, type KeyBlockHeader, type Tr31Version } from './tr31-header';

export { Tr31Error, type Tr31ErrorCode } from './tr31-errors';
export type { HeaderFields, KeyBlockHeader, OptionalBlock, Tr31Version } from './tr31-header';

/** A verified, decrypted key block. */
export interface DecodedKeyBlock {
  header: KeyBlockHeader;
  /** The clear key. Key material: never log it; wipe it (`key.fill(0)`) once loaded. */
  key: Buffer;
}

/** What the caller insists on; a block that differs is refused with a Tr31Error after its MAC verified. */
export interface DecodeExpectations {
  /** Algorithm of the KBPK when known ("T" TDES, "A" AES): D needs AES, A/B/C need TDES (`kbpk` error). */
  kbpkAlgorithm?: 'T' | 'A';
  /** Accepted key usages, e.g. ["B0", "B1"] (`key-usage` error otherwise). */
  keyUsages?: readonly string[];
  /** Accepted modes of use, e.g. ["X", "N"] (`mode-of-use` error otherwise). */
  modesOfUse?: readonly string[];
  /** Accepted algorithms of the wrapped key, e.g. ["T", "A"] (`algorithm` error otherwise). */
  algorithms?: readonly string[];
}

/** Key lengths (bytes) the header's algorithm allows; other algorithms (RSA, EC, HMAC...) are not checked. */
const KEY_LENGTHS: Readonly<Record<string, readonly number[]>> = { T: [16, 24], A: [16, 24, 32], D: [8] };

/** "a, b or c". */
const orList = (values: readonly (string | number)[]) => values.join(', ').replace(/, ([^,]+)$/, ' or $1');

/**
 * Reads and checks the header of a key block without any key: the fields, the optional blocks and the
 * length field against the block's length. Nothing in it is authenticated until `decodeKeyBlock` checks the MAC.
 * @throws Tr31Error `characters`, `truncated`, `version`, `length-field`, `header`, `optional-block`.
 */
export function readKeyBlockHeader(block: string): KeyBlockHeader {
  const header = parseHeader(block);
  if (header.length > block.length) {
    throw new Tr31Error('truncated', `key block length field says ${header.length} characters but the block has ${block.length}`);
  }
  if (header.length < block.length) {
    throw new Tr31Error('length-field', `key block length field says ${header.length} characters but the block has ${block.length}`);
  }
  return header;
}

/** Splits the characters after the header into encrypted payload and MAC, checking sizes and hex digits. */
function splitBody(block: string, header: KeyBlockHeader): { encrypted: Buffer; mac: Buffer } {
  const { blockSize, macLength, family } = VERSION_INFO[header.version];
  const body = block.slice(header.text.length);
  const minimum = 2 * blockSize + 2 * macLength;
  if (body.length < minimum) {
    throw new Tr31Error('truncated', `key block has ${body.length} characters after its header; version ${header.version} needs at least ${minimum} (one encrypted block and a ${macLength}-byte MAC)`);
  }
  const bad = body.search(/[^0-9A-Fa-f]/);
  if (bad >= 0) throw new Tr31Error('characters', `key block character ${header.text.length + bad + 1} ("${body[bad]}") is not a hex digit; the encrypted key and MAC are hex`);
  const encryptedHex = body.slice(0, body.length - 2 * macLength);
  if ((encryptedHex.length / 2) % blockSize !== 0) {
    throw new Tr31Error('length-field', `encrypted key is ${encryptedHex.length / 2} bytes, not a multiple of the ${blockSize}-byte ${family.toUpperCase()} block`);
  }
  return { encrypted: Buffer.from(encryptedHex, 'hex'), mac: Buffer.from(body.slice(encryptedHex.length), 'hex') };
}

/** Takes the key out of a clear payload (2-byte length in bits, key, padding) and checks its length. */
function extractKey(clear: Buffer, header: KeyBlockHeader): Buffer {
  const bits = clear.readUInt16BE(0);
  if (bits === 0) throw new Tr31Error('key-length', 'key length field is 0: the block holds no key');
  if (bits % 8 !== 0) throw new Tr31Error('key-length', `key length field is ${bits} bits, not a whole number of bytes`);
  const bytes = bits / 8;
  if (2 + bytes > clear.length) {
    throw new Tr31Error('key-length', `key length field says ${bytes} bytes but the payload holds at most ${clear.length - 2}`);
  }
  const allowed = KEY_LENGTHS[header.algorithm];
  if (allowed && !allowed.includes(bytes)) {
    throw new Tr31Error('key-length', `a ${bytes}-byte key does not fit algorithm ${header.algorithm} (${orList(allowed)} bytes)`);
  }
  return Buffer.from(clear.subarray(2, 2 + bytes));
}

/** Checks the KC (wrapped key) and KP (KBPK) check values when the header carries them. */
function checkCheckValues(header: KeyBlockHeader, key: Buffer, kbpk: Buffer): void {
  for (const block of header.optionalBlocks) {
    if (block.id !== 'KC' && block.id !== 'KP') continue;
    const m = /^(0[01])((?:[0-9A-Fa-f]{2}){2,16})$/.exec(block.data);
    if (!m) throw new Tr31Error('optional-block', `${block.id} optional block "${block.data}" is not 00 (legacy) or 01 (CMAC) followed by a hex check value`);
    const kbpkAlg = kbpk.length === 8 ? 'D' : kbpkAlgorithm(header.version);
    const [algorithm, subject] = block.id === 'KC' ? [header.algorithm, key] : [kbpkAlg, kbpk];
    const full = keyCheckValue(algorithm, subject, m[1] === '00' ? 'legacy' : 'cmac');
    if (!full) continue;
    const given = Buffer.from(m[2], 'hex');
    if (given.length > full.length || !full.subarray(0, given.length).equals(given)) {
      const what = block.id === 'KC' ? 'wrapped key' : 'KBPK';
      throw new Tr31Error('kcv', `${block.id} check value of the ${what} does not match: the block names a different key`);
    }
  }
}

function checkExpectations(header: KeyBlockHeader, e: DecodeExpectations): void {
  if (e.keyUsages && !e.keyUsages.includes(header.keyUsage)) {
    throw new Tr31Error('key-usage', `key usage ${header.keyUsage} is not accepted here (expected ${orList(e.keyUsages)})`);
  }
  if (e.modesOfUse && !e.modesOfUse.includes(header.modeOfUse)) {
    throw new Tr31Error('mode-of-use', `mode of use ${header.modeOfUse} is not accepted for key usage ${header.keyUsage} (expected ${orList(e.modesOfUse)})`);
  }
  if (e.algorithms && !e.algorithms.includes(header.algorithm)) {
    throw new Tr31Error('algorithm', `key algorithm ${header.algorithm} is not accepted here (expected ${orList(e.algorithms)})`);
  }
}

const wipe = (keys: BindingKeys) => {
  keys.kbek.fill(0);
  keys.kbmk.fill(0);
};

/**
 * Verifies and decrypts a key block: header, length field, hex body, MAC (constant time), key length field,
 * KC/KP check values, then the caller's expectations.
 * @throws Tr31Error naming what failed (see Tr31ErrorCode); never with key material in the message.
 */
export function decodeKeyBlock(block: string, kbpk: Buffer, expectations: DecodeExpectations = {}): DecodedKeyBlock {
  const header = readKeyBlockHeader(block);
  const sealed = splitBody(block, header);
  checkKbpk(header.version, kbpk, expectations.kbpkAlgorithm);
  const keys = deriveBindingKeys(header.version, kbpk);
  let clear: Buffer | undefined;
  let key: Buffer | undefined;
  try {
    clear = openPayload(header.version, keys, header.text, sealed);
    key = extractKey(clear, header);
    checkCheckValues(header, key, kbpk);
    checkExpectations(header, expectations);
    return { header, key };
  } catch (err) {
    key?.fill(0);
    throw err;
  } finally {
    clear?.fill(0);
    wipe(keys);
  }
}

/** How `encodeKeyBlock` pads and where it gets random bytes. */
export interface EncodeOptions {
  /**
   * Pad the payload as if the key were this many bytes, so blocks do not reveal the key length (X9.143 masking).
   * Default: 24 for TDES, 32 for AES, 8 for DES (never less than the key); other algorithms: the key's length.
   */
  maskedKeyLength?: number;
  /** Source of padding bytes; crypto.randomBytes unless a test injects the published padding. */
  random?: (n: number) => Buffer;
  /** Versions A and C are deprecated: writing them needs this flag (tests and interoperability checks only). */
  allowLegacy?: boolean;
}

/** Header fields for encoding; unset ones default to key version "00", exportability "N", key context "0", no optional blocks. */
export type KeyBlockSpec = Pick<HeaderFields, 'version' | 'keyUsage' | 'algorithm' | 'modeOfUse'> & Partial<HeaderFields>;

const DEFAULT_MASK: Readonly<Record<string, number>> = { T: 24, A: 32, D: 8 };

function clearPayload(version: Tr31Version, key: Buffer, spec: KeyBlockSpec, opts: EncodeOptions): Buffer {
  const masked = opts.maskedKeyLength ?? Math.max(key.length, DEFAULT_MASK[spec.algorithm] ?? 0);
  if (!Number.isInteger(masked) || masked < key.length) throw new Tr31Error('input', `masked key length ${masked} must be a whole number of bytes, at least the key's ${key.length}`);
  const size = VERSION_INFO[version].blockSize;
  const length = Math.ceil((2 + masked) / size) * size;
  const padLength = length - 2 - key.length;
  const pad = (opts.random ?? randomBytes)(padLength);
  if (!Buffer.isBuffer(pad) || pad.length !== padLength) throw new Tr31Error('input', `the random source must return ${padLength} bytes`);
  const out = Buffer.alloc(length);
  out.writeUInt16BE(key.length * 8, 0);
  key.copy(out, 2);
  pad.copy(out, 2 + key.length);
  return out;
}

/**
 * Wraps `key` under `kbpk` into a key block. Versions B (TDES KBPK) and D (AES KBPK); A and C only with `allowLegacy`.
 * @throws Tr31Error `input`/`version` for bad fields or key, `kbpk` for a KBPK the version cannot use.
 */
export function encodeKeyBlock(spec: KeyBlockSpec, key: Buffer, kbpk: Buffer, opts: EncodeOptions = {}): string {
  const fields: HeaderFields = { keyVersion: '00', exportability: 'N', keyContext: '0', optionalBlocks: [], ...spec };
  const version = fields.version;
  if ((version === 'A' || version === 'C') && !opts.allowLegacy) {
    throw new Tr31Error('version', `version ${version} key blocks are deprecated; write B (TDES) or D (AES), or pass allowLegacy for tests`);
  }
  if (!Buffer.isBuffer(key) || key.length === 0) throw new Tr31Error('input', 'the key to wrap must be a non-empty Buffer');
  const allowed = KEY_LENGTHS[fields.algorithm];
  if (allowed && !allowed.includes(key.length)) throw new Tr31Error('input', `a ${key.length}-byte key does not fit algorithm ${fields.algorithm} (${orList(allowed)} bytes)`);
  if (key.length > 0x1fff) throw new Tr31Error('input', `a ${key.length}-byte key does not fit the 16-bit length-in-bits field`);
  checkKbpk(version, kbpk);
  const clear = clearPayload(version, key, spec, opts);
  const header = buildHeader(fields, clear.length * 2 + VERSION_INFO[version].macLength * 2);
  const keys = deriveBindingKeys(version, kbpk);
  try {
    const { encrypted, mac } = sealPayload(version, keys, header, clear);
    return header + encrypted.toString('hex').toUpperCase() + mac.toString('hex').toUpperCase();
  } finally {
    clear.fill(0);
    wipe(keys);
  }
}
