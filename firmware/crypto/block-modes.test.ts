// CBC, CBC-MAC and CMAC against NIST / RFC published examples.
import { cbcDecrypt, cbcEncrypt, cbcMac, cmac, cmacSubkeys } from './block-modes';

const hex = (s: string) => Buffer.from(s, 'hex');
const up = (b: Buffer) => b.toString('hex').toUpperCase();

// NIST SP 800-38A / SP 800-38B / RFC 4493 example plaintext (four AES blocks).
const M = hex('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710');

describe('CMAC (NIST SP 800-38B)', () => {
  // RFC 4493 section 4 (= SP 800-38B CMAC-AES128 examples).
  const K128 = hex('2b7e151628aed2a6abf7158809cf4f3c');

  it('derives the RFC 4493 AES-128 subkeys', () => {
    const { k1, k2 } = cmacSubkeys('aes', K128);
    expect([up(k1), up(k2)]).toEqual(['FBEED618357133667C85E08F7236A8DE', 'F7DDAC306AE266CCF90BC11EE46D513B']);
  });

  it.each([
    [0, 'BB1D6929E95937287FA37D129B756746'],
    [16, '070A16B46B4D4144F79BDD9DD04A287C'],
    [40, 'DFA66747DE9AE63030CA32611497C827'],
    [64, '51F0BEBF7E3B9D92FC49741779363CFE'],
  ])('AES-128 over %i bytes (RFC 4493)', (len, tag) => {
    expect(up(cmac('aes', K128, M.subarray(0, len)))).toBe(tag);
  });

  it('AES-256 over 64 bytes (SP 800-38B CMAC-AES256 example 4)', () => {
    const k = hex('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4');
    expect(up(cmac('aes', k, M))).toBe('E1992190549F6ED5696A2C056C315410');
  });

  // NIST CSRC "TDES CMAC" examples (three-key TDEA), as also used by nettle's cmac test.
  const K3 = hex('0123456789abcdef23456789abcdef01456789abcdef0123');
  it.each([
    [0, '7DB0D37DF936C550'],
    [16, '30239CF1F52E6609'],
    [20, '6C9F3EE4923F6BE2'],
    [32, '99429BD0BF7904E5'],
  ])('three-key TDES over %i bytes (NIST example)', (len, tag) => {
    expect(up(cmac('tdes', K3, M.subarray(0, len)))).toBe(tag);
  });
});

describe('CBC', () => {
  // NIST SP 800-38A F.2.1 CBC-AES128.Encrypt.
  const key = hex('2b7e151628aed2a6abf7158809cf4f3c');
  const iv = hex('000102030405060708090a0b0c0d0e0f');
  const ct = '7649ABAC8119B246CEE98E9B12E9197D5086CB9B507219EE95DB113A917678B273BED6B8E3C1743B7116E69E222295163FF1CAA1681FAC09120ECA307586E1A7';

  it('AES-128 encrypts and decrypts the SP 800-38A F.2.1 example', () => {
    expect(up(cbcEncrypt('aes', key, iv, M))).toBe(ct);
    expect(cbcDecrypt('aes', key, iv, hex(ct))).toEqual(M);
  });

  it('TDES round-trips and chains blocks (equal plaintext blocks give different ciphertext)', () => {
    const k = hex('0123456789abcdef23456789abcdef01');
    const data = Buffer.alloc(24, 0x11);
    const enc = cbcEncrypt('tdes', k, Buffer.alloc(8), data);
    expect(enc.subarray(0, 8).equals(enc.subarray(8, 16))).toBe(false);
    expect(cbcDecrypt('tdes', k, Buffer.alloc(8), enc)).toEqual(data);
  });

  it('refuses partial blocks and wrong IV sizes', () => {
    expect(() => cbcEncrypt('aes', key, iv, Buffer.alloc(15))).toThrow('non-empty multiple of 16 bytes, got 15');
    expect(() => cbcDecrypt('tdes', key, iv, Buffer.alloc(16))).toThrow('CBC IV must be 8 bytes, got 16');
  });
});

describe('CBC-MAC (ISO 9797-1 algorithm 1)', () => {
  it('is the last CBC block with zero IV, zero-padding a partial block', () => {
    const k = hex('0123456789abcdef23456789abcdef01');
    const full = cbcEncrypt('tdes', k, Buffer.alloc(8), Buffer.concat([M.subarray(0, 20), Buffer.alloc(4)]));
    expect(cbcMac('tdes', k, M.subarray(0, 20))).toEqual(full.subarray(16, 24));
  });
});
