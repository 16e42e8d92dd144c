// What a PIN pad may be loaded with from a TR-31 key block: a B1 initial DUKPT key or a B0 BDK, usable for derivation.
import type { DukptScheme } from './dukpt';
import { displayCheckValue } from './key-check-value';
import { decodeKeyBlock, Tr31Error, type DecodedKeyBlock, type KeyBlockHeader, type Tr31ErrorCode } from './tr31';
import { ALGORITHMS, KEY_USAGES, MODES_OF_USE } from './tr31-fields';

/** Key usages a PIN pad takes: B1 (initial DUKPT key, IK/IPEK) and B0 (base derivation key). */
export const PIN_PAD_KEY_USAGES: readonly string[] = ['B1', 'B0'];
/**
 * Modes of use that allow DUKPT derivation: X (key used to derive other keys) and N (no special restrictions
 * beyond the key usage), the combinations X9.143 allows for B0/B1 (AWS Payment Cryptography lists the same
 * pair, DeriveKey or NoRestrictions, for TR31_B0_BASE_DERIVATION_KEY).
 */
export const PIN_PAD_MODES_OF_USE: readonly string[] = ['X', 'N'];

/** Board/loader choices for `checkPinPadKeyBlock`. */
export interface PinPadKeyPolicy {
  /** Accept versions A and C (TDES variant binding). Off unless the board config allows old blocks. */
  allowLegacy?: boolean;
}

/** Why a block was refused: the codec's codes plus the policy's own. */
export type PinPadRefusalCode = Tr31ErrorCode | 'legacy-version' | 'kbpk-strength';

/** A refused block; `reason` is a sentence for the operator, free of key material. */
export interface PinPadKeyRefusal {
  accepted: false;
  code: PinPadRefusalCode;
  reason: string;
}

/** An accepted block: the key to load and what the loader needs to know about it. */
export interface PinPadKeyAcceptance {
  accepted: true;
  /** B1: `key` is the initial key (IK/IPEK); B0: `key` is a BDK the loader derives the initial key from. */
  keyUsage: 'B0' | 'B1';
  scheme: DukptScheme;
  /** The clear key. Key material: never log it; wipe it (`key.fill(0)`) once the PIN pad holds it. */
  key: Buffer;
  /** Key check value (3 bytes legacy for TDES, 5 bytes CMAC for AES), hex; safe to show and log. */
  checkValue: string;
  /** TDES: the 10-byte initial KSN from a KS block; AES: the 8-byte initial key ID from an IK block. */
  initialKeyId?: Buffer;
  /** The verified header (safe to log). */
  header: KeyBlockHeader;
}

export type PinPadKeyDecision = PinPadKeyAcceptance | PinPadKeyRefusal;

const refuse = (code: PinPadRefusalCode, reason: string): PinPadKeyRefusal => ({ accepted: false, code, reason });
const named = (value: string, names: Readonly<Record<string, string>>) => (names[value] ? `${value} (${names[value]})` : value);

/** Security strength in bits (NIST SP 800-57) of a KBPK for a version, and of a DUKPT key. */
function kbpkStrength(version: string, length: number): number {
  if (version === 'D') return length * 8;
  return length === 24 ? 112 : length === 16 ? 80 : 56;
}
const SCHEME_STRENGTH: Record<DukptScheme, number> = { tdes: 80, aes128: 128, aes256: 256 };
const SCHEME_NAME: Record<DukptScheme, string> = { tdes: 'double-length TDES', aes128: 'AES-128', aes256: 'AES-256' };

/** Header rules: version, key usage, mode of use, algorithm. */
function headerRefusal(h: KeyBlockHeader, policy: PinPadKeyPolicy): PinPadKeyRefusal | undefined {
  if ((h.version === 'A' || h.version === 'C') && !policy.allowLegacy) {
    return refuse('legacy-version', `version ${h.version} key blocks use the deprecated TDES key variant binding; a PIN pad is loaded from version B or D blocks (the board config must allow legacy blocks to accept A or C)`);
  }
  if (!PIN_PAD_KEY_USAGES.includes(h.keyUsage)) {
    return refuse('key-usage', `key usage ${named(h.keyUsage, KEY_USAGES)} cannot be loaded into a PIN pad: it takes B1 (initial DUKPT key) or B0 (BDK)`);
  }
  if (!PIN_PAD_MODES_OF_USE.includes(h.modeOfUse)) {
    return refuse('mode-of-use', `mode of use ${named(h.modeOfUse, MODES_OF_USE)} does not allow key derivation; a ${h.keyUsage} key for DUKPT must have mode X (derive keys) or N (no special restrictions)`);
  }
  if (h.algorithm !== 'T' && h.algorithm !== 'A') {
    return refuse('algorithm', `algorithm ${named(h.algorithm, ALGORITHMS)} has no DUKPT; a PIN pad key is TDES (T) or AES (A)`);
  }
  return undefined;
}

function schemeOf(algorithm: string, length: number): DukptScheme | undefined {
  if (algorithm === 'T') return length === 16 ? 'tdes' : undefined;
  return length === 16 ? 'aes128' : length === 32 ? 'aes256' : undefined;
}

/** The KS (TDES initial KSN) or IK (AES initial key ID) block, checked for form when present. */
function initialKeyId(h: KeyBlockHeader, scheme: DukptScheme): Buffer | PinPadKeyRefusal | undefined {
  const [id, digits, what] = scheme === 'tdes' ? ['KS', 20, 'a 10-byte initial KSN'] : ['IK', 16, 'an 8-byte initial key ID'];
  const block = h.optionalBlocks.find((b) => b.id === id);
  if (!block) return undefined;
  if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(block.data)) {
    return refuse('optional-block', `${id} optional block must be ${digits} hex digits (${what}) for a ${SCHEME_NAME[scheme]} key, got ${block.data.length} characters`);
  }
  return Buffer.from(block.data, 'hex');
}

/**
 * Applies the PIN-pad loading policy to a verified, decrypted key block. Accepts only B1/B0 keys with mode
 * X or N, TDES (16 bytes) or AES (16/32 bytes) as DUKPT can use them, from version B or D (A/C only with
 * `allowLegacy`), wrapped by a KBPK at least as strong as the key. On refusal the caller still owns
 * `decoded.key` and must wipe it.
 */
export function checkPinPadKeyBlock(decoded: DecodedKeyBlock, kbpkLength: number, policy: PinPadKeyPolicy = {}): PinPadKeyDecision {
  const h = decoded.header;
  const refusal = headerRefusal(h, policy);
  if (refusal) return refusal;
  const scheme = schemeOf(h.algorithm, decoded.key.length);
  if (!scheme) {
    const supported = h.algorithm === 'T' ? '16-byte (double-length) TDES keys' : '16- or 32-byte AES keys (AES-128, AES-256)';
    return refuse('key-length', `a ${decoded.key.length}-byte ${ALGORITHMS[h.algorithm]} key cannot be used for DUKPT here: the PIN pad takes ${supported}`);
  }
  const kbpkBits = kbpkStrength(h.version, kbpkLength);
  if (SCHEME_STRENGTH[scheme] > kbpkBits) {
    const article = scheme === 'tdes' ? 'a' : 'an';
    return refuse('kbpk-strength', `${article} ${SCHEME_NAME[scheme]} key must not be wrapped by a weaker KBPK (${kbpkLength}-byte ${h.version === 'D' ? 'AES' : 'TDES'}, ${kbpkBits}-bit strength)`);
  }
  const id = initialKeyId(h, scheme);
  if (id && !Buffer.isBuffer(id)) return id;
  const checkValue = displayCheckValue(h.algorithm, decoded.key) as string;
  return { accepted: true, keyUsage: h.keyUsage as 'B0' | 'B1', scheme, key: decoded.key, checkValue, initialKeyId: id, header: h };
}

/**
 * Reads a key block for a PIN pad: verifies it under `kbpk` and applies the policy. Never throws for a bad
 * block: every problem (MAC, length, header, usage, mode, version, strength) comes back as a refusal with a
 * reason. On acceptance the caller owns `key` and wipes it after loading.
 */
export function unwrapPinPadKey(block: string, kbpk: Buffer, policy: PinPadKeyPolicy = {}): PinPadKeyDecision {
  let decoded: DecodedKeyBlock;
  try {
    decoded = decodeKeyBlock(block, kbpk);
  } catch (err) {
    if (err instanceof Tr31Error) return refuse(err.code, err.message);
    throw err;
  }
  const decision = checkPinPadKeyBlock(decoded, kbpk.length, policy);
  if (!decision.accepted) decoded.key.fill(0);
  return decision;
}
