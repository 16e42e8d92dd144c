// Loyalty points (积分) of the acquirer simulator: 1 point per whole yuan of approved sales and completions, double on
// the birthday test card; refunds take points back. Balances are counted from the ledger, so reversals and voids agree.
import type { LedgerEntry } from './types';

/** The "birthday" test card: every point it earns (and gives back) counts twice. Luhn-valid, PIN 1234. */
export const BIRTHDAY_PAN = '4000000000000069';

/** Minor units per whole yuan (CNY has two decimals). */
const PER_POINT = 100;

/** The points one ledger entry stands for while it is approved: + for sales and completions, - for refunds. */
export function entryPoints(e: Pick<LedgerEntry, 'kind' | 'amount' | 'status'>, birthday: boolean): number {
  if (e.status !== 'approved') return 0;
  const pts = Math.floor(e.amount / PER_POINT) * (birthday ? 2 : 1);
  if (e.kind === 'sale' || e.kind === 'completion') return pts;
  if (e.kind === 'refund') return -pts;
  return 0;
}

/** A card's points balance over its ledger entries. */
export function pointsBalance(entries: readonly LedgerEntry[], birthday: boolean): number {
  return entries.reduce((sum, e) => sum + entryPoints(e, birthday), 0);
}

/**
 * Field 48 of an approved sale, completion, refund or void answer: `points=<earned>;points-balance=<balance>`, where
 * earned is the change this answer makes (negative for refunds and voids). `cardEntries` are the card's entries before
 * this one; `changed` are the entries this answer updates (a void marks its original voided).
 */
export function pointsField(cardEntries: readonly LedgerEntry[], entry: LedgerEntry, changed: readonly LedgerEntry[], birthday: boolean): string | undefined {
  if (!['sale', 'completion', 'refund', 'void'].includes(entry.kind) || entry.status !== 'approved') return undefined;
  const before = pointsBalance(cardEntries, birthday);
  const updated = new Map(changed.map((e) => [e.id, e]));
  const after = pointsBalance([...cardEntries.map((e) => updated.get(e.id) ?? e), entry], birthday);
  const earned = after - before;
  return `points=${earned >= 0 ? '+' : ''}${earned};points-balance=${after}`;
}
