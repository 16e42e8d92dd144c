// Reversal (0400/0401): finds the original from field 90 and undoes it; idempotent, unknown originals acknowledged.
import type { IsoMessage } from '../../firmware/host/iso8583';
import { parseOriginalElements, text } from './iso-fields';
import type { Ledger } from './ledger';
import type { LedgerEntry } from './types';

export interface ReversalResult {
  /** The entry reversed now; undefined when unknown or already reversed. */
  target: LedgerEntry | undefined;
  /** Why nothing changed, for the log. */
  note: 'reversed' | 'unknown original' | 'already reversed';
  /** Updated copies to write (the original and whatever it had changed). */
  updates: LedgerEntry[];
}

/**
 * The original of a reversal: same terminal, the STAN and MTI of field 90, and its transmission date-time
 * unless field 90 carries zeros there. The latest such entry wins (STANs wrap).
 */
export function findOriginal(ledger: Ledger, msg: IsoMessage): LedgerEntry | undefined {
  const o = parseOriginalElements(text(msg, 90));
  if (!o) return undefined;
  const tid = text(msg, 41).trimEnd();
  const dateTime = /^0+$/.test(o.transmissionDateTime) ? undefined : o.transmissionDateTime;
  return ledger.find(
    (e) => e.terminalId === tid && e.stan === o.stan && e.mti.slice(0, 3) === o.mti.slice(0, 3) && (dateTime === undefined || e.transmissionDateTime === dateTime),
  );
}

/**
 * Undoes the original: it becomes `reversed`; a reversed void puts its sale back to approved, a reversed refund
 * gives the refunded amount back to its sale, a reversed completion gives its amount back to the hold.
 */
export function reverse(ledger: Ledger, msg: IsoMessage, at: Date): ReversalResult {
  const target = findOriginal(ledger, msg);
  if (!target) return { target: undefined, note: 'unknown original', updates: [] };
  if (target.status === 'reversed') return { target: undefined, note: 'already reversed', updates: [] };
  const updates: LedgerEntry[] = [{ ...target, status: 'reversed', reversedAt: at.toISOString() }];
  const original = target.status === 'approved' && target.originalId ? ledger.get(target.originalId) : undefined;
  if (original) {
    if (target.kind === 'void' && original.voidedBy === target.id) {
      updates.push({ ...original, status: original.status === 'voided' ? 'approved' : original.status, voidedBy: null });
      const hold = original.kind === 'completion' && original.originalId ? ledger.get(original.originalId) : undefined;
      if (hold) updates.push({ ...hold, completedAmount: hold.completedAmount + original.amount });
    }
    if (target.kind === 'refund') updates.push({ ...original, refundedAmount: Math.max(0, original.refundedAmount - target.amount) });
    if (target.kind === 'completion') updates.push({ ...original, completedAmount: Math.max(0, original.completedAmount - target.amount) });
  }
  return { target, note: 'reversed', updates };
}
