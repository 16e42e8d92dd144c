// TR-31 payload protection: CBC encryption and MAC binding of the header to the key, per key block version.
import { timingSafeEqual } from 'node:crypto';
import { cbcDecrypt, cbcEncrypt, cbcMac, cmac } from './block-modes';
import type { BindingKeys } from './tr31-derive';
import { Tr31Error } from './tr31-errors';
import { VERSION_INFO, type Tr31Version } from './tr31-header';

/** An encrypted payload and the MAC that binds it to its header. */
export interface SealedPayload {
  encrypted: Buffer;
  mac: Buffer;
}

const isVariant = (v: Tr31Version) => v === 'A' || v === 'C';

/** Versions A and C: ISO 9797-1 MAC algorithm 1 over header + encrypted payload, leftmost 4 bytes. */
function variantMac(kbmk: Buffer, header: string, encrypted: Buffer): Buffer {
  return cbcMac('tdes', kbmk, Buffer.concat([Buffer.from(header, 'ascii'), encrypted])).subarray(0, 4);
}

/** Versions B and D: CMAC over header + clear payload, full block. */
function derivationMac(version: Tr31Version, kbmk: Buffer, header: string, clear: Buffer): Buffer {
  const data = Buffer.concat([Buffer.from(header, 'ascii'), clear]);
  const mac = cmac(VERSION_INFO[version].family, kbmk, data);
  data.fill(0);
  return mac;
}

/**
 * Encrypts a clear payload (2-byte key length in bits | key | padding, a multiple of the cipher block) and MACs it.
 * A/C: TDES-CBC with the first 8 header characters as IV, MAC over the ciphertext.
 * B/D: MAC (CMAC) over the clear payload first, then CBC with the MAC as IV.
 */
export function sealPayload(version: Tr31Version, keys: BindingKeys, header: string, clear: Buffer): SealedPayload {
  const family = VERSION_INFO[version].family;
  if (isVariant(version)) {
    const encrypted = cbcEncrypt(family, keys.kbek, Buffer.from(header.slice(0, 8), 'ascii'), clear);
    return { encrypted, mac: variantMac(keys.kbmk, header, encrypted) };
  }
  const mac = derivationMac(version, keys.kbmk, header, clear);
  return { encrypted: cbcEncrypt(family, keys.kbek, mac, clear), mac };
}

function checkMac(expected: Buffer, received: Buffer, version: Tr31Version): void {
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    throw new Tr31Error('mac', `key block MAC does not verify (version ${version}): wrong KBPK, or the block was altered`);
  }
}

/**
 * Verifies the MAC (in constant time) and returns the clear payload. For A/C the MAC is checked before
 * decrypting; for B/D the payload must be decrypted first (the MAC is over the clear payload) and is wiped
 * when the MAC fails.
 * @throws Tr31Error `mac`.
 */
export function openPayload(version: Tr31Version, keys: BindingKeys, header: string, sealed: SealedPayload): Buffer {
  const family = VERSION_INFO[version].family;
  if (isVariant(version)) {
    checkMac(variantMac(keys.kbmk, header, sealed.encrypted), sealed.mac, version);
    return cbcDecrypt(family, keys.kbek, Buffer.from(header.slice(0, 8), 'ascii'), sealed.encrypted);
  }
  const clear = cbcDecrypt(family, keys.kbek, sealed.mac, sealed.encrypted);
  try {
    checkMac(derivationMac(version, keys.kbmk, header, clear), sealed.mac, version);
  } catch (err) {
    clear.fill(0);
    throw err;
  }
  return clear;
}
