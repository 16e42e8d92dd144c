// Card data at rest: AES-256-GCM sealing of the minimum a reversal, void, refund or completion needs, under the batch's data key.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface CardRef {
  pan: string;
  expiry: string;
}

/** The keys sealing uses: the open batch's data key, and any key by id (undefined once destroyed). */
export interface SealKeys {
  current(): { id: string; key: Buffer };
  get(id: string): Buffer | undefined;
}

/** Sealed data that was tampered with, or claims another record. */
export class SealError extends Error {
  override readonly name = 'SealError';
}

/**
 * Format of a sealed value: `dk1:<data key id>:<record id>:<base64(iv[12] | tag[16] | ciphertext)>`, the key id
 * and record id bound as associated data. The ids are not secret; they say which key opens it (the audit uses
 * them) and stop a sealed value from being moved to another record.
 */
export const SEALED = /^dk1:(\d{6}-[0-9a-f]{8}):(\d{10}):([A-Za-z0-9+/]+={0,2})$/;

export class Sealer {
  constructor(private readonly keys: SealKeys) {}

  /** Seals `data` for record `recordId` under the open batch's data key. */
  seal(data: CardRef, recordId: string): string {
    const { id, key } = this.keys.current();
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    c.setAAD(Buffer.from(`${id}|${recordId}`));
    const ct = Buffer.concat([c.update(JSON.stringify(data), 'utf8'), c.final()]);
    return `dk1:${id}:${recordId}:${Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64')}`;
  }

  /**
   * The card data sealed for `recordId`, or undefined when its data key was destroyed (the batch closed) or the
   * value predates per-batch keys (sealed under the removed journal key: unreadable by design).
   * @throws SealError when the value belongs to another record or does not authenticate under its key.
   */
  unseal(sealed: string, recordId: string): CardRef | undefined {
    const m = SEALED.exec(sealed);
    if (!m) return undefined;
    const [, keyId, owner, body] = m;
    if (owner !== recordId) throw new SealError(`sealed card data of record ${owner} found on record ${recordId}`);
    const key = this.keys.get(keyId);
    if (!key) return undefined;
    return openSealed(key, keyId, owner, body);
  }
}

/** Opens a sealed body with its key; shared with the audit, which tries every key left on disk. */
export function openSealed(key: Buffer, keyId: string, recordId: string, body: string): CardRef {
  const raw = Buffer.from(body, 'base64');
  try {
    const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    d.setAAD(Buffer.from(`${keyId}|${recordId}`));
    d.setAuthTag(raw.subarray(12, 28));
    const pt = Buffer.concat([d.update(raw.subarray(28)), d.final()]);
    return JSON.parse(pt.toString('utf8')) as CardRef;
  } catch {
    throw new SealError(`sealed card data of record ${recordId} does not authenticate under data key ${keyId}`);
  }
}
