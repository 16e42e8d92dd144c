// Single-block ECB primitives (DES, TDES, AES) on Node's built-in crypto, plus XOR; no padding, no modes.
import { createCipheriv, createDecipheriv } from 'node:crypto';

function ecb(algorithm: string, key: Buffer, block: Buffer, decrypt: boolean): Buffer {
  const c = decrypt ? createDecipheriv(algorithm, key, null) : createCipheriv(algorithm, key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}

/** Expands a 16-byte (K1|K2) or 24-byte (K1|K2|K3) TDES key to the 24 bytes des-ede3-ecb takes. */
function tdesKey(key: Buffer): Buffer {
  if (key.length === 16) return Buffer.concat([key, key.subarray(0, 8)]);
  if (key.length === 24) return key;
  throw new RangeError(`TDES key must be 16 or 24 bytes, got ${key.length}`);
}

function checkBlock(block: Buffer, size: number, what: string): void {
  if (block.length % size !== 0 || block.length === 0) {
    throw new RangeError(`${what} data must be a non-empty multiple of ${size} bytes, got ${block.length}`);
  }
}

/**
 * Single DES, ECB. OpenSSL 3 keeps `des-ecb` in its legacy provider (not loaded by Node 20),
 * so this runs des-ede3-ecb with K|K|K, which is single DES by construction (E_K(D_K(E_K(x))) = E_K(x)).
 */
export function desEncrypt(key: Buffer, data: Buffer): Buffer {
  if (key.length !== 8) throw new RangeError(`DES key must be 8 bytes, got ${key.length}`);
  checkBlock(data, 8, 'DES');
  return ecb('des-ede3-ecb', Buffer.concat([key, key, key]), data, false);
}

/** TDES EDE, ECB, with a double- or triple-length key. */
export function tdesEncrypt(key: Buffer, data: Buffer): Buffer {
  checkBlock(data, 8, 'TDES');
  return ecb('des-ede3-ecb', tdesKey(key), data, false);
}

/** TDES EDE decryption, ECB, with a double- or triple-length key. */
export function tdesDecrypt(key: Buffer, data: Buffer): Buffer {
  checkBlock(data, 8, 'TDES');
  return ecb('des-ede3-ecb', tdesKey(key), data, true);
}

function aesAlgorithm(key: Buffer): string {
  if (key.length === 16 || key.length === 24 || key.length === 32) return `aes-${key.length * 8}-ecb`;
  throw new RangeError(`AES key must be 16, 24 or 32 bytes, got ${key.length}`);
}

/** AES, ECB, key of 16/24/32 bytes. */
export function aesEncrypt(key: Buffer, data: Buffer): Buffer {
  checkBlock(data, 16, 'AES');
  return ecb(aesAlgorithm(key), key, data, false);
}

/** AES decryption, ECB, key of 16/24/32 bytes. */
export function aesDecrypt(key: Buffer, data: Buffer): Buffer {
  checkBlock(data, 16, 'AES');
  return ecb(aesAlgorithm(key), key, data, true);
}

/** Byte-wise XOR of two equal-length buffers into a new buffer. */
export function xor(a: Buffer, b: Buffer): Buffer {
  if (a.length !== b.length) throw new RangeError(`xor operands differ in length: ${a.length} vs ${b.length}`);
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}
