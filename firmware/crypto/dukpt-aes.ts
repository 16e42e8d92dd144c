// ANSI X9.24-3-2017 AES DUKPT (AES-128 / AES-256 BDKs): initial key, intermediate derivation keys, PIN working key.
import { aesEncrypt } from './block-cipher';
import { DukptError } from './errors';
import { AES_COUNTER, isValidCounter, nextCounter, popcount } from './ksn-counter';

/** KSN length (bytes): 8-byte initial key ID (BDK ID + derivation ID) + 32-bit counter. */
export const AES_KSN_LENGTH = 12;
/** Initial key ID length (bytes). */
export const AES_IKID_LENGTH = 8;

/** AES key types DUKPT derives here, with their X9.24-3 algorithm indicator and length in bits. */
export type AesKeyType = 'aes128' | 'aes256';
const KEY_TYPES: Record<AesKeyType, { algorithm: number; bits: number }> = {
  aes128: { algorithm: 0x0002, bits: 128 },
  aes256: { algorithm: 0x0004, bits: 256 },
};

/** X9.24-3-2017 key usage indicators used here. */
export const KeyUsage = {
  keyDerivation: 0x8000,
  keyDerivationInitialKey: 0x8001,
  pinEncryption: 0x1000,
} as const;

function checkKey(key: Buffer, what: string): AesKeyType {
  if (Buffer.isBuffer(key) && key.length === 16) return 'aes128';
  if (Buffer.isBuffer(key) && key.length === 32) return 'aes256';
  throw new DukptError('key-length', `AES DUKPT ${what} must be 16 (AES-128) or 32 (AES-256) bytes, got ${Buffer.isBuffer(key) ? key.length : typeof key}`);
}

function checkKsn(ksn: Buffer): void {
  if (!Buffer.isBuffer(ksn) || ksn.length !== AES_KSN_LENGTH) {
    throw new DukptError('ksn-length', `AES DUKPT KSN must be ${AES_KSN_LENGTH} bytes, got ${Buffer.isBuffer(ksn) ? ksn.length : typeof ksn}`);
  }
}

/** The 32-bit transaction counter (last 4 bytes of the KSN). */
export function aesKsnCounter(ksn: Buffer): number {
  checkKsn(ksn);
  return ksn.readUInt32BE(AES_IKID_LENGTH);
}

/** Copy of `ksn` with its counter replaced by `counter`. */
export function aesKsnWithCounter(ksn: Buffer, counter: number): Buffer {
  checkKsn(ksn);
  const out = Buffer.from(ksn);
  out.writeUInt32BE(counter, AES_IKID_LENGTH);
  return out;
}

/**
 * 16-byte derivation data (X9.24-3-2017 6.3.2): version 01, key block counter, key usage, algorithm,
 * length in bits, then the initial key ID (initial key) or derivation ID + counter (all other keys).
 */
export function derivationData(usage: number, keyType: AesKeyType, ksn: Buffer, counter: number): Buffer {
  checkKsn(ksn);
  const { algorithm, bits } = KEY_TYPES[keyType];
  const dd = Buffer.alloc(16);
  dd[0] = 0x01;
  dd[1] = 0x01;
  dd.writeUInt16BE(usage, 2);
  dd.writeUInt16BE(algorithm, 4);
  dd.writeUInt16BE(bits, 6);
  if (usage === KeyUsage.keyDerivationInitialKey) {
    ksn.copy(dd, 8, 0, AES_IKID_LENGTH);
  } else {
    ksn.copy(dd, 8, 4, AES_IKID_LENGTH);
    dd.writeUInt32BE(counter, 12);
  }
  return dd;
}

/** Key derivation function: AES-ECB of the derivation data once per 128 output bits, block counter 1, 2, ... */
function deriveKey(derivationKey: Buffer, keyType: AesKeyType, data: Buffer): Buffer {
  const blocks = KEY_TYPES[keyType].bits / 128;
  const out: Buffer[] = [];
  for (let i = 1; i <= blocks; i++) {
    const dd = Buffer.from(data);
    dd[1] = i;
    out.push(aesEncrypt(derivationKey, dd));
  }
  return Buffer.concat(out);
}

/**
 * Initial key from the BDK and the initial key ID (first 8 bytes of the KSN); same type as the BDK.
 * @throws DukptError (`key-length`, `ksn-length`).
 */
export function deriveAesInitialKey(bdk: Buffer, ksn: Buffer): Buffer {
  const type = checkKey(bdk, 'BDK');
  return deriveKey(bdk, type, derivationData(KeyUsage.keyDerivationInitialKey, type, ksn, 0));
}

function checkTransactionCounter(counter: number): void {
  if (counter === 0) {
    throw new DukptError('counter-zero', 'AES DUKPT KSN counter is 0 (the initial KSN); a transaction KSN has counter 1 or more');
  }
  if (!isValidCounter(counter, AES_COUNTER)) {
    throw new DukptError('counter-bits', `AES DUKPT KSN counter has ${popcount(counter)} one-bits; at most ${AES_COUNTER.maxOnes} are allowed`);
  }
}

/**
 * Intermediate derivation key for the KSN's counter (the "transaction key" before working-key derivation):
 * from the initial key, one derivation (usage 8000) per one-bit of the counter, most significant first,
 * each with the counter bits accumulated so far.
 * @throws DukptError (`key-length`, `ksn-length`, `counter-zero`, `counter-bits`).
 */
export function deriveAesTransactionKey(initialKey: Buffer, ksn: Buffer): Buffer {
  const type = checkKey(initialKey, 'initial key');
  const counter = aesKsnCounter(ksn);
  checkTransactionCounter(counter);
  let key: Buffer = Buffer.from(initialKey);
  let working = 0;
  for (let bit = 2 ** (AES_COUNTER.bits - 1); bit >= 1; bit /= 2) {
    if (Math.floor(counter / bit) % 2 === 0) continue;
    working += bit;
    key = deriveKey(key, type, derivationData(KeyUsage.keyDerivation, type, ksn, working));
  }
  return key;
}

/**
 * PIN encryption working key (usage 1000) from a transaction (intermediate derivation) key.
 * The working key has the type of `keyType` (AES-128 under AES-128 BDKs, AES-256 under AES-256 BDKs here).
 */
export function deriveAesPinKey(transactionKey: Buffer, ksn: Buffer, keyType: AesKeyType): Buffer {
  checkKey(transactionKey, 'transaction key');
  const counter = aesKsnCounter(ksn);
  checkTransactionCounter(counter);
  return deriveKey(transactionKey, keyType, derivationData(KeyUsage.pinEncryption, keyType, ksn, counter));
}

/**
 * The KSN of the next transaction: the smallest counter above the current one with at most 16 one-bits.
 * @throws DukptError (`ksn-length`, `exhausted` once the 32-bit counter would overflow).
 */
export function nextAesKsn(ksn: Buffer): Buffer {
  const next = nextCounter(aesKsnCounter(ksn), AES_COUNTER);
  if (next === undefined) {
    throw new DukptError('exhausted', 'AES DUKPT counter exhausted: no valid 32-bit counter value is left; load a new initial key');
  }
  return aesKsnWithCounter(ksn, next);
}
