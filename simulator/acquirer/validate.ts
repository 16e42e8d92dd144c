// Mandatory fields and formats per transaction (docs/host-messages.md): a request that fails them is answered 30.
import type { IsoMessage } from '../../firmware/host/iso8583';
import type { EntryKind } from './types';
import { has, text } from './iso-fields';

/** Fields every financial request carries (4 too, except balance inquiries). */
const FINANCIAL_COMMON = [3, 7, 11, 12, 13, 22, 25, 41, 42, 49, 60, 62];
/** Fields a transaction that refers to an original carries (and card data: stored 2 + 14, or the card again, 35). */
const REFERENCED = [37, 61];

const FORMATS: Record<number, [RegExp, string]> = {
  11: [/^\d{6}$/, '6 digits'],
  13: [/^\d{4}$/, 'MMDD'],
  14: [/^\d{4}$/, 'YYMM'],
  49: [/^\d{3}$/, 'an ISO 4217 numeric code'],
  60: [/^\d{6}$/, 'a 6-digit batch number'],
  61: [/^\d{16}$/, 'original STAN + batch + MMDD (16 digits)'],
  63: [/^\d{30}$/, '30 digits of totals'],
  90: [/^\d{42}$/, '42 digits of original data elements'],
};

/** What a financial request (0100/0200/0220) is, from its MTI, processing code and condition code. */
export function financialKind(msg: IsoMessage): EntryKind | undefined {
  const mtiClass = msg.mti.slice(0, 3);
  const txn = text(msg, 3).slice(0, 2);
  const condition = text(msg, 25);
  if (mtiClass === '010') return txn === '03' ? 'preauth' : txn === '20' && condition === '06' ? 'void' : undefined;
  if (mtiClass === '020') {
    if (txn === '00') return condition === '06' ? 'completion' : 'sale';
    if (txn === '31') return 'balance';
    if (txn === '20') return 'void';
    return undefined;
  }
  if (mtiClass === '022') {
    if (txn === '20') return 'refund';
    if (txn === '00' && condition === '06') return 'completion';
  }
  return undefined;
}

/** Fields a financial request of this kind must carry. */
export function requiredFor(kind: EntryKind): number[] {
  const out = [...FINANCIAL_COMMON];
  if (kind !== 'balance') out.push(4);
  if (kind === 'void' || kind === 'refund' || kind === 'completion') out.push(...REFERENCED);
  if (kind === 'completion') out.push(38);
  return out;
}

/**
 * The first problem with a request: a missing field or one whose content has the wrong format; undefined when fine.
 * `card` also requires card data: field 35, or fields 2 and 14.
 */
export function problemWith(msg: IsoMessage, required: number[], opts: { card?: boolean } = {}): string | undefined {
  for (const f of required) if (!has(msg, f) || text(msg, f).trim() === '') return `field ${f} missing`;
  for (const [f, [re, what]] of Object.entries(FORMATS)) {
    if (has(msg, Number(f)) && !re.test(text(msg, Number(f)))) return `field ${f}: expected ${what}`;
  }
  if (opts.card && !has(msg, 35) && !(has(msg, 2) && has(msg, 14))) return 'card data missing: field 35, or fields 2 and 14';
  if (has(msg, 52) !== has(msg, 53)) return 'fields 52 and 53 (PIN block and KSN) go together';
  const ksn = msg.fields[53];
  if (ksn !== undefined && ksn.length !== 10 && ksn.length !== 12) return 'field 53: expected a 10-byte (TDES) or 12-byte (AES) DUKPT KSN';
  const block = msg.fields[52];
  if (block !== undefined && block.length !== 8 && block.length !== 16) return 'field 52: expected an 8- or 16-byte PIN block';
  return undefined;
}
