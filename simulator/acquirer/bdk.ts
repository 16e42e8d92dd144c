// Base derivation keys of the acquirer simulator: the X9.24 test BDKs, option checking and the CLI --bdk syntax.
import type { DukptScheme } from '../../firmware/crypto/dukpt';
import type { BdkSet } from './card-checks';

/** The ANSI X9.24 test BDKs: TDES (X9.24-1) and AES-128/256 (X9.24-3 test vectors). */
export const TEST_BDKS: Readonly<Record<DukptScheme, Buffer>> = Object.freeze({
  tdes: Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex'),
  aes128: Buffer.from('FEDCBA9876543210F1F1F1F1F1F1F1F1', 'hex'),
  aes256: Buffer.from('FEDCBA9876543210F1F1F1F1F1F1F1F1FEDCBA9876543210F1F1F1F1F1F1F1F1', 'hex'),
});

const KEY_BYTES: Record<DukptScheme, number> = { tdes: 16, aes128: 16, aes256: 32 };

/**
 * BDKs to use: the test BDKs, with a 16-byte Buffer replacing the TDES one, or a map replacing the schemes it names.
 * @throws TypeError / RangeError naming the bad scheme or size.
 */
export function resolveBdks(bdk: Buffer | BdkSet | undefined): BdkSet {
  if (bdk === undefined) return { ...TEST_BDKS };
  if (Buffer.isBuffer(bdk)) {
    if (bdk.length !== 16) throw new RangeError(`bdk: expected a 16-byte TDES BDK, got ${bdk.length} bytes`);
    return { ...TEST_BDKS, tdes: bdk };
  }
  if (typeof bdk !== 'object' || bdk === null) throw new TypeError('bdk: expected a Buffer or { tdes?, aes128?, aes256? }');
  for (const [scheme, key] of Object.entries(bdk)) {
    if (!(scheme in KEY_BYTES)) throw new RangeError(`bdk.${scheme}: expected one of tdes, aes128, aes256`);
    const size = KEY_BYTES[scheme as DukptScheme];
    if (!Buffer.isBuffer(key) || key.length !== size) throw new RangeError(`bdk.${scheme}: expected a ${size}-byte Buffer`);
  }
  return { ...TEST_BDKS, ...bdk };
}

/**
 * CLI syntax: `HEX` (32 hex digits, the TDES BDK) or `scheme:HEX[,scheme:HEX...]` with schemes tdes, aes128, aes256.
 * @throws RangeError saying what was expected (never echoes the key).
 */
export function parseBdkOption(text: string): BdkSet {
  const parts = text.split(',').map((p) => p.trim());
  const out: BdkSet = {};
  for (const part of parts) {
    const m = /^(?:(tdes|aes128|aes256):)?([0-9a-fA-F]+)$/.exec(part);
    if (!m) throw new RangeError('--bdk: expected HEX or scheme:HEX[,scheme:HEX] with schemes tdes, aes128, aes256');
    const scheme = (m[1] ?? 'tdes') as DukptScheme;
    const size = KEY_BYTES[scheme];
    if (m[2].length !== size * 2) throw new RangeError(`--bdk ${scheme}: expected ${size * 2} hex digits, got ${m[2].length}`);
    out[scheme] = Buffer.from(m[2], 'hex');
  }
  return out;
}
