// CBC encryption, ISO 9797-1 CBC-MAC and NIST SP 800-38B CMAC over the ECB primitives, for TDES and AES.
import { aesDecrypt, aesEncrypt, tdesDecrypt, tdesEncrypt, xor } from './block-cipher';

/** Block cipher family: TDES (8-byte blocks, 16/24-byte keys) or AES (16-byte blocks, 16/24/32-byte keys). */
export type CipherFamily = 'tdes' | 'aes';

interface Cipher {
  size: number;
  encrypt(key: Buffer, block: Buffer): Buffer;
  decrypt(key: Buffer, block: Buffer): Buffer;
  /** R_b of SP 800-38B: the constant XORed in when doubling a subkey overflows. */
  rb: number;
}

const CIPHERS: Record<CipherFamily, Cipher> = {
  tdes: { size: 8, encrypt: tdesEncrypt, decrypt: tdesDecrypt, rb: 0x1b },
  aes: { size: 16, encrypt: aesEncrypt, decrypt: aesDecrypt, rb: 0x87 },
};

/** Block size in bytes of a cipher family. */
export function blockSize(family: CipherFamily): number {
  return CIPHERS[family].size;
}

function checkCbc(c: Cipher, iv: Buffer, data: Buffer): void {
  if (iv.length !== c.size) throw new RangeError(`CBC IV must be ${c.size} bytes, got ${iv.length}`);
  if (data.length === 0 || data.length % c.size !== 0) {
    throw new RangeError(`CBC data must be a non-empty multiple of ${c.size} bytes, got ${data.length}`);
  }
}

/** CBC encryption without padding; `data` must be a non-empty multiple of the block size. */
export function cbcEncrypt(family: CipherFamily, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const c = CIPHERS[family];
  checkCbc(c, iv, data);
  const out = Buffer.alloc(data.length);
  let chain = iv;
  for (let i = 0; i < data.length; i += c.size) {
    chain = c.encrypt(key, xor(data.subarray(i, i + c.size), chain));
    chain.copy(out, i);
  }
  return out;
}

/** CBC decryption without padding; `data` must be a non-empty multiple of the block size. */
export function cbcDecrypt(family: CipherFamily, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const c = CIPHERS[family];
  checkCbc(c, iv, data);
  const out = Buffer.alloc(data.length);
  let chain = iv;
  for (let i = 0; i < data.length; i += c.size) {
    const block = data.subarray(i, i + c.size);
    xor(c.decrypt(key, block), chain).copy(out, i);
    chain = block;
  }
  return out;
}

/**
 * ISO 9797-1 MAC algorithm 1 (plain CBC-MAC, zero IV) with padding method 1 (zeros): the last cipher block.
 * Used by TR-31 key block versions A and C, which keep its leftmost 4 bytes.
 */
export function cbcMac(family: CipherFamily, key: Buffer, data: Buffer): Buffer {
  const c = CIPHERS[family];
  const padded = Buffer.alloc(Math.max(c.size, Math.ceil(data.length / c.size) * c.size));
  data.copy(padded);
  const last = cbcEncrypt(family, key, Buffer.alloc(c.size), padded);
  return last.subarray(last.length - c.size);
}

/** Doubling in GF(2^n) as SP 800-38B defines it: shift left one bit, XOR R_b into the last byte on carry. */
function double(block: Buffer, rb: number): Buffer {
  const out = Buffer.alloc(block.length);
  for (let i = 0; i < block.length; i++) out[i] = ((block[i] << 1) | (i + 1 < block.length ? block[i + 1] >> 7 : 0)) & 0xff;
  if (block[0] & 0x80) out[block.length - 1] ^= rb;
  return out;
}

/** The CMAC subkeys K1 and K2 of `key` (SP 800-38B 6.1). */
export function cmacSubkeys(family: CipherFamily, key: Buffer): { k1: Buffer; k2: Buffer } {
  const c = CIPHERS[family];
  const k1 = double(c.encrypt(key, Buffer.alloc(c.size)), c.rb);
  return { k1, k2: double(k1, c.rb) };
}

/** CMAC (NIST SP 800-38B) of `data` under `key`: the full block-sized tag. */
export function cmac(family: CipherFamily, key: Buffer, data: Buffer): Buffer {
  const c = CIPHERS[family];
  const { k1, k2 } = cmacSubkeys(family, key);
  const complete = data.length > 0 && data.length % c.size === 0;
  const blocks = complete ? data.length / c.size : Math.floor(data.length / c.size) + 1;
  const m = Buffer.alloc(blocks * c.size);
  data.copy(m);
  if (!complete) m[data.length] = 0x80;
  const lastAt = m.length - c.size;
  xor(m.subarray(lastAt), complete ? k1 : k2).copy(m, lastAt);
  const out = cbcEncrypt(family, key, Buffer.alloc(c.size), m);
  const tag = Buffer.from(out.subarray(lastAt));
  for (const b of [k1, k2, m, out]) b.fill(0);
  return tag;
}
