// Wrapping secrets under the device key: one HKDF-derived key per purpose, AES-256-GCM with the purpose and context bound.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** What a key derived from the device key is for; each purpose gets its own key, so no two uses share one. */
export type KeyPurpose = 'journal-data-keys' | 'sim-pinpad';

/** Prefix of a wrapped secret: version 1, AES-256-GCM, `w1:` + base64(iv[12] | tag[16] | ciphertext). */
const PREFIX = 'w1:';

/** A wrapped secret that does not open: wrong device key, another purpose or context, or changed bytes. */
export class KeyWrapError extends Error {
  override readonly name = 'KeyWrapError';
  constructor(
    readonly code: 'format' | 'authentication',
    message: string,
  ) {
    super(message);
  }
}

/** The key for `purpose`: HKDF-SHA256 of the device key (RFC 5869), 32 bytes. The device key itself encrypts nothing. */
export function purposeKey(deviceKey: Buffer, purpose: KeyPurpose): Buffer {
  if (!Buffer.isBuffer(deviceKey) || deviceKey.length !== 32) throw new TypeError('deviceKey: expected 32 bytes');
  return Buffer.from(hkdfSync('sha256', deviceKey, 'posfw device key', `posfw ${purpose} v1`, 32));
}

/**
 * Wraps and unwraps small secrets (data keys, a simulated PIN pad's initial key) under one purpose key. The
 * `context` (a key id, a file's role) is authenticated with the purpose, so a wrapped secret moved to another
 * place does not open there.
 */
export class KeyWrap {
  private readonly key: Buffer;

  constructor(
    deviceKey: Buffer,
    private readonly purpose: KeyPurpose,
  ) {
    this.key = purposeKey(deviceKey, purpose);
  }

  /** `w1:` + base64(iv | tag | ciphertext) of `secret`, bound to `context`. */
  wrap(secret: Buffer, context: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(this.aad(context));
    const ct = Buffer.concat([c.update(secret), c.final()]);
    return PREFIX + Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64');
  }

  /** The secret `wrap` was given. Throws KeyWrapError for anything that does not authenticate. */
  unwrap(wrapped: string, context: string): Buffer {
    if (typeof wrapped !== 'string' || !wrapped.startsWith(PREFIX)) throw new KeyWrapError('format', `wrapped ${this.purpose} secret (${context}) is not in the w1: format`);
    const raw = Buffer.from(wrapped.slice(PREFIX.length), 'base64');
    if (raw.length < 29) throw new KeyWrapError('format', `wrapped ${this.purpose} secret (${context}) is too short`);
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      d.setAAD(this.aad(context));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]);
    } catch {
      throw new KeyWrapError('authentication', `wrapped ${this.purpose} secret (${context}) does not open under this device key (another device key, or the bytes changed)`);
    }
  }

  private aad(context: string): Buffer {
    return Buffer.from(`posfw ${this.purpose} v1|${context}`);
  }
}
