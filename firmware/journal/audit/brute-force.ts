// What an attacker with the device's keys does with a masked PAN: tries every missing digit against each hash on disk.
import * as crypto from 'node:crypto';
import { luhnValid } from './card-patterns';

/** A key found on the device (its name says where). */
export interface FoundKey {
  name: string;
  key: Buffer;
}

/** Lower-case hex of the first 16 bytes of a digest of a PAN: what a tag on disk is compared with. */
type Digest = (pan: string) => string;

/** One-shot SHA-256 of a string (`crypto.hash`, Node 20.12+, no Hash object per call); `createHash` where it is missing. */
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function' ? (t) => crypto.hash('sha256', t, 'hex') : (t) => crypto.createHash('sha256').update(t).digest('hex');

/** How a tag may have been made from a PAN: the ways seen in payment software, and the ones this project used. */
function constructions(keys: readonly FoundKey[]): Array<{ how: string; digest: Digest }> {
  const out = [
    { how: 'SHA-256(PAN)', digest: (pan: string) => sha256Hex(pan).slice(0, 32) },
    { how: 'SHA-256("card:"+PAN)', digest: (pan: string) => sha256Hex(`card:${pan}`).slice(0, 32) },
  ];
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k.key.toString('hex'))) continue; // the same key found twice (the device key and its file)
    seen.add(k.key.toString('hex'));
    out.push({ how: `HMAC-SHA256(key, PAN) under ${k.name}`, digest: (pan: string) => crypto.createHmac('sha256', k.key).update(pan).digest('hex').slice(0, 32) });
    out.push({ how: `HMAC-SHA256(key, "card:"+PAN) under ${k.name}`, digest: (pan: string) => crypto.createHmac('sha256', k.key).update(`card:${pan}`).digest('hex').slice(0, 32) });
  }
  return out;
}

/** Hidden digits above this are not tried (10^8 candidates); reported as such. */
export const MAX_HIDDEN_DIGITS = 7;

export interface BruteForceResult {
  /** The PAN whose tag was found on disk, if any (callers report it masked). */
  pan?: string;
  /** Which construction and key made the tag. */
  how?: string;
  /** The value on disk it matched (lower-case hex of its first 16 bytes). */
  token?: string;
  /** Luhn-valid candidates tried. */
  candidates: number;
  skipped?: string;
}

/**
 * Tries every Luhn-valid completion of `maskedPan` (6 + stars + 4) under every construction and key, looking for
 * the first 16 bytes of the result among `hashLike` (lower-case hex, as card-patterns.ts collects them).
 */
export function bruteForceMaskedPan(maskedPan: string, hashLike: ReadonlySet<string>, keys: readonly FoundKey[]): BruteForceResult {
  const m = /^(\d{6})(\*+)(\d{4})$/.exec(maskedPan);
  if (!m) return { candidates: 0, skipped: 'not first 6 / last 4' };
  const hidden = m[2].length;
  if (hidden > MAX_HIDDEN_DIGITS) return { candidates: 0, skipped: `${hidden} hidden digits` };
  if (hashLike.size === 0) return { candidates: 0, skipped: 'no hash-like value on disk' };
  const tries = constructions(keys);
  let candidates = 0;
  for (let n = 0; n < 10 ** hidden; n++) {
    const pan = m[1] + String(n).padStart(hidden, '0') + m[3];
    if (!luhnValid(pan)) continue;
    candidates++;
    for (const t of tries) {
      const token = t.digest(pan);
      if (hashLike.has(token)) return { pan, how: t.how, token, candidates };
    }
  }
  return { candidates };
}
