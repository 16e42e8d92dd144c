// DUKPT facade: picks TDES (X9.24-1) or AES (X9.24-3) DUKPT from key/KSN lengths; PIN-pad and host PIN paths.
import { deriveAesInitialKey, deriveAesPinKey, deriveAesTransactionKey, nextAesKsn } from './dukpt-aes';
import { decryptTdesPinBlock, deriveIpek, deriveTdesTransactionKey, encryptTdesPinBlock, nextTdesKsn } from './dukpt-tdes';
import { DukptError, PinBlockError } from './errors';
import { decodePinBlockFormat0, decodePinBlockFormat4, encodePinBlockFormat0, encodePinBlockFormat4 } from './pinblock';

export type DukptScheme = 'tdes' | 'aes128' | 'aes256';

/**
 * Scheme from key and KSN lengths (bytes): 16+10 -> tdes, 16+12 -> aes128, 32+12 -> aes256.
 * @throws DukptError (`scheme`) for any other combination.
 */
export function schemeFor(keyLength: number, ksnLength: number): DukptScheme {
  if (keyLength === 16 && ksnLength === 10) return 'tdes';
  if (keyLength === 16 && ksnLength === 12) return 'aes128';
  if (keyLength === 32 && ksnLength === 12) return 'aes256';
  throw new DukptError(
    'scheme',
    `no DUKPT scheme for a ${keyLength}-byte key with a ${ksnLength}-byte KSN; expected 16+10 (TDES), 16+12 (AES-128) or 32+12 (AES-256)`,
  );
}

function checkScheme(key: Buffer, ksn: Buffer, scheme: DukptScheme): void {
  const actual = schemeFor(key.length, ksn.length);
  if (actual !== scheme) throw new DukptError('scheme', `key and KSN lengths are ${actual}, not ${scheme}`);
}

/**
 * Initial key the PIN pad is loaded with (TDES: IPEK; AES: initial key), derived from the BDK and the KSN.
 * @throws DukptError (`scheme`).
 */
export function deriveInitialKey(bdk: Buffer, ksn: Buffer): { scheme: DukptScheme; initialKey: Buffer } {
  const scheme = schemeFor(bdk.length, ksn.length);
  const initialKey = scheme === 'tdes' ? deriveIpek(bdk, ksn) : deriveAesInitialKey(bdk, ksn);
  return { scheme, initialKey };
}

/**
 * Current transaction key for the KSN, before any variant (TDES) or working-key (AES) derivation.
 * @throws DukptError (`scheme`, `counter-zero`, `counter-bits`).
 */
export function deriveTransactionKey(initialKey: Buffer, ksn: Buffer, scheme: DukptScheme): Buffer {
  checkScheme(initialKey, ksn, scheme);
  return scheme === 'tdes' ? deriveTdesTransactionKey(initialKey, ksn) : deriveAesTransactionKey(initialKey, ksn);
}

/**
 * KSN of the next transaction (skips counters with too many one-bits).
 * @throws DukptError (`ksn-length`, `exhausted`).
 */
export function nextKsn(ksn: Buffer, scheme: DukptScheme): Buffer {
  return scheme === 'tdes' ? nextTdesKsn(ksn) : nextAesKsn(ksn);
}

/**
 * PIN-pad side: the encrypted PIN block for one transaction.
 * tdes: ISO format 0 under the PIN variant of the transaction key (8 bytes);
 * aes128/aes256: ISO format 4 under the AES PIN-encryption working key of the same size (16 bytes).
 * @throws PinBlockError for a bad PIN or PAN; DukptError for bad keys, KSNs or counters.
 */
export function encryptPin(a: {
  scheme: DukptScheme;
  initialKey: Buffer;
  ksn: Buffer;
  pin: string;
  pan: string;
  random?: (n: number) => Buffer;
}): { format: 0 | 4; pinBlock: Buffer } {
  const txnKey = deriveTransactionKey(a.initialKey, a.ksn, a.scheme);
  if (a.scheme === 'tdes') {
    return { format: 0, pinBlock: encryptTdesPinBlock(txnKey, encodePinBlockFormat0(a.pin, a.pan)) };
  }
  const pinKey = deriveAesPinKey(txnKey, a.ksn, a.scheme);
  return { format: 4, pinBlock: encodePinBlockFormat4(a.pin, a.pan, pinKey, a.random) };
}

/**
 * Host side: derives the PIN key from the BDK and KSN and reads the PIN out of the block.
 * @throws PinBlockError (`format` when the format does not fit the scheme, `block-length`, and the
 * decode reasons); DukptError for bad keys, KSNs or counters.
 */
export function decryptPin(a: { bdk: Buffer; ksn: Buffer; pinBlock: Buffer; pan: string; format: 0 | 4 }): string {
  const { scheme, initialKey } = deriveInitialKey(a.bdk, a.ksn);
  const expected = scheme === 'tdes' ? 0 : 4;
  if (a.format !== expected) {
    throw new PinBlockError('format', `a ${scheme} DUKPT PIN block is ISO format ${expected}, not format ${String(a.format)}`);
  }
  const size = scheme === 'tdes' ? 8 : 16;
  if (!Buffer.isBuffer(a.pinBlock) || a.pinBlock.length !== size) {
    throw new PinBlockError('block-length', `a ${scheme} DUKPT PIN block must be ${size} bytes, got ${Buffer.isBuffer(a.pinBlock) ? a.pinBlock.length : typeof a.pinBlock}`);
  }
  const txnKey = deriveTransactionKey(initialKey, a.ksn, scheme);
  if (scheme === 'tdes') return decodePinBlockFormat0(decryptTdesPinBlock(txnKey, a.pinBlock), a.pan);
  return decodePinBlockFormat4(a.pinBlock, a.pan, deriveAesPinKey(txnKey, a.ksn, scheme));
}
