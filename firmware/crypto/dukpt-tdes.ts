// ANSI X9.24-1:2009 TDES DUKPT: IPEK from BDK+KSN, per-KSN transaction keys, PIN variant, 21-bit counter rules.
import { desEncrypt, tdesDecrypt, tdesEncrypt, xor } from './block-cipher';
import { DukptError } from './errors';
import { TDES_COUNTER, isValidCounter, nextCounter, popcount } from './ksn-counter';

/** KSN length (bytes): 59-bit initial KSN + 21-bit counter. */
export const TDES_KSN_LENGTH = 10;
/** Double-length TDES key (bytes): BDK, IPEK and transaction keys. */
export const TDES_KEY_LENGTH = 16;

const KEY_MASK = Buffer.from('C0C0C0C000000000C0C0C0C000000000', 'hex');
/** PIN encryption variant (X9.24-1:2009 A.2 / A.6). */
const PIN_VARIANT = Buffer.from('00000000000000FF00000000000000FF', 'hex');

function checkKey(key: Buffer, what: string): void {
  if (!Buffer.isBuffer(key) || key.length !== TDES_KEY_LENGTH) {
    throw new DukptError('key-length', `TDES DUKPT ${what} must be ${TDES_KEY_LENGTH} bytes, got ${Buffer.isBuffer(key) ? key.length : typeof key}`);
  }
}

function checkKsn(ksn: Buffer): void {
  if (!Buffer.isBuffer(ksn) || ksn.length !== TDES_KSN_LENGTH) {
    throw new DukptError('ksn-length', `TDES DUKPT KSN must be ${TDES_KSN_LENGTH} bytes, got ${Buffer.isBuffer(ksn) ? ksn.length : typeof ksn}`);
  }
}

/** The 21-bit transaction counter (right-most 21 bits of the KSN). */
export function tdesKsnCounter(ksn: Buffer): number {
  checkKsn(ksn);
  return ((ksn[7] & 0x1f) << 16) | (ksn[8] << 8) | ksn[9];
}

/** Copy of `ksn` with its 21-bit counter replaced by `counter`. */
export function tdesKsnWithCounter(ksn: Buffer, counter: number): Buffer {
  checkKsn(ksn);
  if (!Number.isInteger(counter) || counter < 0 || counter >= 2 ** TDES_COUNTER.bits) {
    throw new RangeError(`TDES DUKPT counter must be 0..${2 ** TDES_COUNTER.bits - 1}, got ${counter}`);
  }
  const out = Buffer.from(ksn);
  out[7] = (out[7] & 0xe0) | (counter >> 16);
  out[8] = (counter >> 8) & 0xff;
  out[9] = counter & 0xff;
  return out;
}

/**
 * Initial PIN encryption key: TDES(BDK, KSN') | TDES(BDK ^ C0C0C0C000000000C0C0C0C000000000, KSN'),
 * where KSN' is the left 8 bytes of the KSN with the counter cleared.
 * @throws DukptError (`key-length`, `ksn-length`).
 */
export function deriveIpek(bdk: Buffer, ksn: Buffer): Buffer {
  checkKey(bdk, 'BDK');
  const base = tdesKsnWithCounter(ksn, 0).subarray(0, 8);
  return Buffer.concat([tdesEncrypt(bdk, base), tdesEncrypt(xor(bdk, KEY_MASK), base)]);
}

/** X9.24-1 non-reversible key generation process: new key from the current key and the KSN register. */
function nonReversibleKeyGen(key: Buffer, data: Buffer): Buffer {
  const right = (k: Buffer) => k.subarray(8, 16);
  const left = (k: Buffer) => k.subarray(0, 8);
  const half = (k: Buffer) => xor(desEncrypt(left(k), xor(data, right(k))), right(k));
  const masked = xor(key, KEY_MASK);
  return Buffer.concat([half(masked), half(key)]);
}

/** Throws unless the KSN's counter may be used for a transaction (1.., at most 10 one-bits). */
function checkTransactionCounter(counter: number): void {
  if (counter === 0) {
    throw new DukptError('counter-zero', 'TDES DUKPT KSN counter is 0 (the initial KSN); a transaction KSN has counter 1 or more');
  }
  if (!isValidCounter(counter, TDES_COUNTER)) {
    throw new DukptError('counter-bits', `TDES DUKPT KSN counter has ${popcount(counter)} one-bits; at most ${TDES_COUNTER.maxOnes} are allowed`);
  }
}

/**
 * Current transaction key for `ksn` (before any variant), derived from the IPEK the way the host does:
 * walk the counter's one-bits from the most significant down, running the non-reversible key generation
 * with the KSN register accumulating those bits.
 * @throws DukptError (`key-length`, `ksn-length`, `counter-zero`, `counter-bits`).
 */
export function deriveTdesTransactionKey(ipek: Buffer, ksn: Buffer): Buffer {
  checkKey(ipek, 'initial key (IPEK)');
  const counter = tdesKsnCounter(ksn);
  checkTransactionCounter(counter);
  let key: Buffer = Buffer.from(ipek);
  let reg = 0;
  const register = tdesKsnWithCounter(ksn, 0).subarray(2, 10);
  for (let bit = 2 ** (TDES_COUNTER.bits - 1); bit >= 1; bit /= 2) {
    if ((counter & bit) === 0) continue;
    reg |= bit;
    register[5] = (register[5] & 0xe0) | (reg >> 16);
    register[6] = (reg >> 8) & 0xff;
    register[7] = reg & 0xff;
    key = nonReversibleKeyGen(key, register);
  }
  return key;
}

/** PIN encryption key: transaction key XOR 00000000000000FF00000000000000FF. */
export function tdesPinKey(transactionKey: Buffer): Buffer {
  checkKey(transactionKey, 'transaction key');
  return xor(transactionKey, PIN_VARIANT);
}

/** Encrypts a clear 8-byte (format 0) PIN block under the PIN variant of the transaction key. */
export function encryptTdesPinBlock(transactionKey: Buffer, clearBlock: Buffer): Buffer {
  if (clearBlock.length !== 8) throw new RangeError(`TDES PIN block must be 8 bytes, got ${clearBlock.length}`);
  return tdesEncrypt(tdesPinKey(transactionKey), clearBlock);
}

/** Decrypts an 8-byte PIN block enciphered under the PIN variant of the transaction key. */
export function decryptTdesPinBlock(transactionKey: Buffer, encryptedBlock: Buffer): Buffer {
  if (encryptedBlock.length !== 8) throw new RangeError(`TDES PIN block must be 8 bytes, got ${encryptedBlock.length}`);
  return tdesDecrypt(tdesPinKey(transactionKey), encryptedBlock);
}

/**
 * The KSN of the next transaction: counter + 1, or counter + lowest set bit when the counter already has
 * 10 one-bits (values with 11+ ones are skipped).
 * @throws DukptError (`ksn-length`, `exhausted` once the 21-bit counter would overflow).
 */
export function nextTdesKsn(ksn: Buffer): Buffer {
  const next = nextCounter(tdesKsnCounter(ksn), TDES_COUNTER);
  if (next === undefined) {
    throw new DukptError('exhausted', 'TDES DUKPT counter exhausted: no valid 21-bit counter value is left; load a new initial key');
  }
  return tdesKsnWithCounter(ksn, next);
}
