// TR-31 key block encryption and MAC keys (KBEK, KBMK) from the KBPK: variants (A, C) or CMAC derivation (B, D).
import { xor } from './block-cipher';
import { cmac } from './block-modes';
import { Tr31Error } from './tr31-errors';
import type { Tr31Version } from './tr31-header';

/** KBPK lengths (bytes) each version accepts: single/double/triple TDES, double/triple TDES, AES-128/192/256. */
export const KBPK_LENGTHS: Readonly<Record<Tr31Version, readonly number[]>> = {
  A: [8, 16, 24],
  B: [16, 24],
  C: [8, 16, 24],
  D: [16, 24, 32],
};

/** The two keys a KBPK yields for one key block. Callers wipe them (`fill(0)`) when done. */
export interface BindingKeys {
  /** Key block encryption key. */
  kbek: Buffer;
  /** Key block MAC key. */
  kbmk: Buffer;
}

/** What algorithm the KBPK must be for a version: TDES for A, B and C, AES for D. */
export function kbpkAlgorithm(version: Tr31Version): 'T' | 'A' {
  return version === 'D' ? 'A' : 'T';
}

/**
 * Checks the KBPK fits the version: its length and, when the caller knows it, its algorithm.
 * @throws Tr31Error `kbpk`.
 */
export function checkKbpk(version: Tr31Version, kbpk: Buffer, algorithm?: 'T' | 'A'): void {
  const need = kbpkAlgorithm(version);
  const name = need === 'A' ? 'AES' : 'TDES';
  if (algorithm !== undefined && algorithm !== need) {
    throw new Tr31Error('kbpk', `a version ${version} key block is protected by ${name === 'AES' ? 'an' : 'a'} ${name} KBPK, not ${algorithm === 'A' ? 'AES' : 'TDES'}`);
  }
  if (!Buffer.isBuffer(kbpk) || !KBPK_LENGTHS[version].includes(kbpk.length)) {
    const got = Buffer.isBuffer(kbpk) ? `${kbpk.length} bytes` : typeof kbpk;
    const lengths = KBPK_LENGTHS[version].join(', ').replace(/, (\d+)$/, ' or $1');
    throw new Tr31Error('kbpk', `a version ${version} key block needs ${name === 'AES' ? 'an' : 'a'} ${name} KBPK of ${lengths} bytes, got ${got}`);
  }
}

/** Single-length DES keys run through the TDES primitives as K|K (EDE with K1 = K2 is single DES). */
function asTdesKey(key: Buffer): Buffer {
  return key.length === 8 ? Buffer.concat([key, key]) : key;
}

/** Versions A and C: KBEK = KBPK XOR 45..45, KBMK = KBPK XOR 4D..4D. */
function deriveVariant(kbpk: Buffer): BindingKeys {
  return {
    kbek: asTdesKey(xor(kbpk, Buffer.alloc(kbpk.length, 0x45))),
    kbmk: asTdesKey(xor(kbpk, Buffer.alloc(kbpk.length, 0x4d))),
  };
}

/**
 * Versions B and D: SP 800-108 counter-mode KDF with CMAC. Derivation data (8 bytes):
 * counter | key usage (0000 encryption, 0001 MAC) | 00 | algorithm | length in bits.
 */
function deriveCmac(family: 'tdes' | 'aes', kbpk: Buffer, algorithm: number): BindingKeys {
  const bits = kbpk.length * 8;
  const blockSize = family === 'tdes' ? 8 : 16;
  const blocks = Math.ceil(kbpk.length / blockSize);
  const derive = (usage: number): Buffer => {
    const parts: Buffer[] = [];
    for (let counter = 1; counter <= blocks; counter++) {
      const data = Buffer.from([counter, usage >> 8, usage & 0xff, 0x00, algorithm >> 8, algorithm & 0xff, bits >> 8, bits & 0xff]);
      parts.push(cmac(family, kbpk, data));
    }
    const out = Buffer.concat(parts);
    const key = Buffer.from(out.subarray(0, kbpk.length));
    out.fill(0);
    for (const p of parts) p.fill(0);
    return key;
  };
  return { kbek: derive(0x0000), kbmk: derive(0x0001) };
}

/** TR-31 algorithm indicators of the derivation data. */
const TDES_ALGORITHM: Record<number, number> = { 16: 0x0000, 24: 0x0001 };
const AES_ALGORITHM: Record<number, number> = { 16: 0x0002, 24: 0x0003, 32: 0x0004 };

/**
 * The KBEK and KBMK of a key block version from its KBPK.
 * @throws Tr31Error `kbpk` for a KBPK of a length the version cannot use.
 */
export function deriveBindingKeys(version: Tr31Version, kbpk: Buffer): BindingKeys {
  checkKbpk(version, kbpk);
  if (version === 'A' || version === 'C') return deriveVariant(kbpk);
  if (version === 'B') return deriveCmac('tdes', kbpk, TDES_ALGORITHM[kbpk.length]);
  return deriveCmac('aes', kbpk, AES_ALGORITHM[kbpk.length]);
}
