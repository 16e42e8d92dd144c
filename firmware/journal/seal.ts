// Card data at rest: AES-256-GCM sealing of the minimum a reversal needs (PAN, expiry), and a keyed card tag.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

export interface CardRef {
  pan: string;
  expiry: string;
}

export class Sealer {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error(`journal key must be 32 bytes (AES-256), got ${key.length}`);
  }

  /** base64(iv[12] | tag[16] | ciphertext); the record id is bound as associated data. */
  seal(data: CardRef, recordId: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(Buffer.from(recordId));
    const ct = Buffer.concat([c.update(JSON.stringify(data), 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64');
  }

  unseal(sealed: string, recordId: string): CardRef {
    const raw = Buffer.from(sealed, 'base64');
    const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    d.setAAD(Buffer.from(recordId));
    d.setAuthTag(raw.subarray(12, 28));
    const pt = Buffer.concat([d.update(raw.subarray(28)), d.final()]);
    return JSON.parse(pt.toString('utf8')) as CardRef;
  }

  /** HMAC of the PAN: the same card gives the same tag (duplicate guard) without storing the PAN. */
  cardTag(pan: string): string {
    return createHmac('sha256', this.key).update(`card:${pan}`).digest('hex').slice(0, 32);
  }
}
