// Key check values (KCV): legacy (encrypt a zero block) and CMAC (X9.24-1:2017), for DES, TDES and AES keys.
import { aesEncrypt, desEncrypt, tdesEncrypt } from './block-cipher';
import { cmac } from './block-modes';

/** How the check value is computed: "legacy" encrypts a zero block; "cmac" is the CMAC of a zero block. */
export type KcvMethod = 'legacy' | 'cmac';

/**
 * The full check-value block of `key` for a TR-31 algorithm ("T" TDES, "A" AES, "D" single DES), or undefined
 * for algorithms without one here (RSA, EC, HMAC...). Callers keep the leftmost bytes they need: 3 for a legacy
 * KCV, 5 for a CMAC KCV. A check value is not secret, but it is computed from the key: pass only keys of valid
 * lengths for the algorithm.
 */
export function keyCheckValue(algorithm: string, key: Buffer, method: KcvMethod): Buffer | undefined {
  if (algorithm === 'T') return method === 'legacy' ? tdesEncrypt(key, Buffer.alloc(8)) : cmac('tdes', key, Buffer.alloc(8));
  if (algorithm === 'A') return method === 'legacy' ? aesEncrypt(key, Buffer.alloc(16)) : cmac('aes', key, Buffer.alloc(16));
  if (algorithm === 'D' && method === 'legacy') return desEncrypt(key, Buffer.alloc(8));
  return undefined;
}

/** The usual short form: 3 bytes of the legacy KCV for DES/TDES, 5 bytes of the CMAC KCV for AES (hex, upper case). */
export function displayCheckValue(algorithm: string, key: Buffer): string | undefined {
  const full = keyCheckValue(algorithm, key, algorithm === 'A' ? 'cmac' : 'legacy');
  return full?.subarray(0, algorithm === 'A' ? 5 : 3).toString('hex').toUpperCase();
}
