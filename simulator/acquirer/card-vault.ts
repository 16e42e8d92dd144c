// The host's card vault: PANs encrypted under the acquirer simulator's own key, and an in-memory index of who is whose card.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The vault's key file, in the ledger's folder (LevelDB ignores files it did not name). Mode 0600. */
export const VAULT_KEY_FILE = 'card-vault.key';
const PREFIX = 'hv1:';
const AAD = Buffer.from('posfw acquirer card vault v1');

/**
 * The acquirer simulator plays the host, which may keep PANs (to tie a void, refund or completion to the original's
 * card, and balances to a card). It keeps them encrypted (AES-256-GCM) under its own random key, never as a hash: a
 * keyed hash beside the masked PAN gives the PAN back to anyone holding the key, by trying the few missing digits.
 * Entries are tied to cards by an index built in memory when the ledger opens: an HMAC under a key that exists
 * only in this process, written nowhere.
 */
export class CardVault {
  private readonly indexKey = randomBytes(32);

  private constructor(private readonly key: Buffer) {}

  /** Opens the vault of the ledger in `dir`, creating its key (mode 0600) on first use. */
  static async open(dir: string): Promise<CardVault> {
    await mkdir(dir, { recursive: true });
    const file = join(dir, VAULT_KEY_FILE);
    let text: string | undefined;
    try {
      text = (await readFile(file, 'utf8')).trim();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text === undefined) {
      text = randomBytes(32).toString('hex');
      await writeFile(file, text + '\n', { mode: 0o600, flag: 'wx' });
    }
    if (!/^[0-9a-f]{64}$/i.test(text)) throw new Error(`${file}: expected 64 hex digits (the acquirer simulator's card vault key)`);
    await chmod(file, 0o600);
    return new CardVault(Buffer.from(text, 'hex'));
  }

  /** The PAN encrypted: `hv1:` + base64(iv | tag | ciphertext). Each call differs (random IV): no two seals compare. */
  seal(pan: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(AAD);
    const ct = Buffer.concat([c.update(pan, 'utf8'), c.final()]);
    return PREFIX + Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64');
  }

  /** The PAN of a sealed value; undefined for anything that is not one of this vault's (another key, other format). */
  open(sealed: string): string | undefined {
    if (!sealed.startsWith(PREFIX)) return undefined;
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      d.setAAD(AAD);
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }

  /** The in-memory index value of a card: equal for equal PANs within this process, meaningless outside it. */
  indexOf(pan: string): string {
    return createHmac('sha256', this.indexKey).update(pan).digest('base64');
  }
}
