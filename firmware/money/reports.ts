// The day's reports as data, from the journal: settlement (per type, scheme, operator), batch detail, open pre-auth holds.
import type { Journal } from '../journal/journal';
import type { SettlementRecord, TxnRecord } from '../journal/types';
import type { DetailLine, DetailReport, HoldLine, HoldsReport, SettlementReport } from '../journal/report-types';

export type { DetailLine, DetailReport, HoldLine, HoldsReport, SettlementReport };
import { holdExpiresAt, isStanding, remaining } from './admission';
import { schemeOfRecord } from './card-scheme';
import { counted, totalsOf } from './settlement';

const signed = (r: TxnRecord) => (r.type === 'refund' ? -r.amount : r.amount);

function byOperator(records: TxnRecord[]): SettlementReport['byOperator'] {
  const out: SettlementReport['byOperator'] = {};
  for (const r of counted(records)) {
    const row = (out[r.operator] ??= { count: 0, amount: 0 });
    row.count++;
    row.amount += signed(r);
  }
  return out;
}

/** The settlement report of a closed batch (its record), or a preview of the current one. */
export async function settlementReport(journal: Journal, batch?: string): Promise<SettlementReport | undefined> {
  const current = await journal.batchNumber();
  const which = batch ?? journal.lastSettlement()?.batch ?? current;
  const closed: SettlementRecord | undefined = journal.settlementOf(which);
  if (!closed && which !== current) return undefined;
  const records = await journal.list({ batch: which });
  if (closed) {
    const { totals, byType, byScheme, responseCode, uploaded, settledAt, nextBatch } = closed;
    return { kind: 'settlement', batch: which, status: 'settled', totals, byType, byScheme, byOperator: byOperator(records), host: { responseCode, uploaded, settledAt, nextBatch } };
  }
  const byType: SettlementReport['byType'] = {};
  const byScheme: SettlementReport['byScheme'] = {};
  for (const r of counted(records)) {
    const t = (byType[r.type] ??= { count: 0, amount: 0 });
    (t.count++, (t.amount += r.amount));
    const s = (byScheme[schemeOfRecord(r)] ??= { count: 0, amount: 0 });
    (s.count++, (s.amount += signed(r)));
  }
  const status = journal.settling()?.batch === which ? 'in-progress' : 'open';
  return { kind: 'settlement', batch: which, status, totals: totalsOf(records), byType, byScheme, byOperator: byOperator(records), host: null };
}

/** Every transaction of a batch (the current one by default), oldest first; card numbers masked. */
export async function detailReport(journal: Journal, batch?: string): Promise<DetailReport> {
  const which = batch ?? (await journal.batchNumber());
  const records = (await journal.list({ batch: which })).reverse();
  const countedIds = new Set(counted(records).map((r) => r.id));
  const lines = records.map(
    (r): DetailLine => ({
      stan: r.stan,
      reference: r.reference,
      type: r.type,
      state: r.state,
      amount: r.amount,
      currency: r.currency,
      maskedPan: r.maskedPan ?? null,
      scheme: schemeOfRecord(r),
      operator: r.operator,
      responseCode: r.responseCode ?? null,
      rrn: r.rrn ?? null,
      authCode: r.authCode ?? null,
      at: r.createdAt,
      counted: countedIds.has(r.id),
    }),
  );
  return { kind: 'detail', batch: which, lines, totals: totalsOf(records) };
}

/** Pre-authorisations still holding funds: approved, not cancelled, not fully completed, not expired. */
export async function holdsReport(journal: Journal, now: number, holdDays: number): Promise<HoldsReport> {
  const holds: HoldLine[] = [];
  for (const r of await journal.list()) {
    if (r.type !== 'preauth' || !isStanding(r)) continue;
    const left = remaining(r, 'completion');
    const expires = holdExpiresAt(r, holdDays);
    if (left <= 0 || expires < now) continue;
    holds.push({ reference: r.reference, stan: r.stan, batch: r.batch, maskedPan: r.maskedPan ?? null, amount: r.amount, completed: r.completed ?? 0, remaining: left, currency: r.currency, expiresAt: new Date(expires).toISOString() });
  }
  return { kind: 'holds', holds, total: holds.reduce((a, h) => a + h.remaining, 0) };
}
