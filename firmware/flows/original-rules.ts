// Rules a void, refund or completion must meet against its original in the journal (checked before anything is sent).
import type { TxnRecord, TxnType } from '../journal/types';

export type OriginalCheck = { ok: true } | { ok: false; code: 'original-not-allowed' | 'amount-exceeds' | 'original-wrong-type'; message: string };

const settledOk = (o: TxnRecord) => o.state === 'approved' || o.state === 'completed';

/** What is left to refund of `o`, or to complete of a pre-auth hold. */
export function remaining(o: TxnRecord, type: TxnType): number {
  if (type === 'refund') return o.amount - (o.refunded ?? 0);
  if (type === 'completion') return o.amount - (o.completed ?? 0);
  return o.amount;
}

export function checkOriginal(type: TxnType, o: TxnRecord, amount: number, currentBatch: string): OriginalCheck {
  const no = (code: Exclude<OriginalCheck, { ok: true }>['code'], message: string): OriginalCheck => ({ ok: false, code, message });
  if (o.state === 'reversed' || o.state === 'reversal-pending') return no('original-not-allowed', `original ${o.reference} was reversed`);
  if (!settledOk(o) || !o.wasApproved) return no('original-not-allowed', `original ${o.reference} is not an approved transaction (${o.state})`);
  if (o.voidedBy) return no('original-not-allowed', `original ${o.reference} is already voided`);
  switch (type) {
    case 'void':
      if (o.type !== 'sale') return no('original-wrong-type', `only a sale can be voided; ${o.reference} is a ${o.type}`);
      if (o.batch !== currentBatch) return no('original-not-allowed', `original ${o.reference} is in batch ${o.batch}, already settled: refund it instead`);
      if ((o.refunded ?? 0) > 0) return no('original-not-allowed', `original ${o.reference} was partly refunded: refund the rest instead`);
      if (amount !== o.amount) return no('amount-exceeds', `a void is for the whole amount ${o.amount}, not ${amount}`);
      return { ok: true };
    case 'refund':
      if (o.type !== 'sale' && o.type !== 'completion') return no('original-wrong-type', `only a sale or completion can be refunded; ${o.reference} is a ${o.type}`);
      if (amount > remaining(o, 'refund')) return no('amount-exceeds', `refund of ${amount} exceeds what is left to refund (${remaining(o, 'refund')} of ${o.amount})`);
      return { ok: true };
    case 'completion':
      if (o.type !== 'preauth') return no('original-wrong-type', `only a pre-authorisation can be completed; ${o.reference} is a ${o.type}`);
      if (amount > remaining(o, 'completion')) return no('amount-exceeds', `completion of ${amount} exceeds the hold left (${remaining(o, 'completion')} of ${o.amount})`);
      return { ok: true };
    default:
      return no('original-wrong-type', `a ${type} does not refer to an original`);
  }
}
