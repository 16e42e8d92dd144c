// Settlement (0500, 70 = 201 / 202) against the host's own batch totals, and batch upload (0320) items.
import type { IsoMessage } from '../../firmware/host/iso8583';
import { parseOriginalData, parseTotals, sameTotals, text } from './iso-fields';
import type { LedgerChanges, Ledger } from './ledger';
import { ZERO_TOTALS, type BatchTotals, type SettlementRecord, type UploadRecord } from './types';

export interface HostResult {
  rc: string;
  changes: LedgerChanges;
  /** What happened, for the log. */
  note: string;
}

/** Totals of uploaded items: processing code 20xxxx (refund) is a credit, anything else a debit. */
export function uploadedTotals(items: UploadRecord[]): BatchTotals {
  const t = { ...ZERO_TOTALS };
  for (const u of items) {
    if (u.processingCode.startsWith('20')) {
      t.creditCount += 1;
      t.creditAmount += u.amount;
    } else {
      t.debitCount += 1;
      t.debitAmount += u.amount;
    }
  }
  return t;
}

/**
 * 0500. 201: 00 when field 63 equals the host's totals of the terminal's batch (the batch closes), 95 otherwise
 * (and the uploads of an earlier round are forgotten). 202 (after upload): 00 when field 63 equals the totals of
 * the items uploaded in this round (the batch closes; `adjusted` when they differ from the host's own totals),
 * 95 otherwise; with no upload it compares with the host's totals like 201. A batch already closed answers 00
 * again to the same totals (a repeated settlement), 95 to others.
 */
export function settle(ledger: Ledger, msg: IsoMessage, now: Date): HostResult {
  const terminalId = text(msg, 41).trimEnd();
  const batch = text(msg, 60);
  const code = text(msg, 70) as '201' | '202';
  const terminalTotals = parseTotals(text(msg, 63)) as BatchTotals;
  const prior = ledger.settlement(terminalId, batch);
  if (prior?.closed) {
    const rc = sameTotals(prior.terminalTotals, terminalTotals) ? '00' : '95';
    return { rc, changes: {}, note: `batch already closed; repeat ${rc === '00' ? 'matches' : 'differs'}` };
  }
  const hostTotals = ledger.totals(terminalId, batch);
  const uploads = code === '202' ? ledger.uploads(terminalId, batch) : [];
  const uploaded = uploads.length > 0 ? uploadedTotals(uploads) : null;
  const rc = sameTotals(terminalTotals, uploaded ?? hostTotals) ? '00' : '95';
  const record: SettlementRecord = {
    terminalId,
    batch,
    code,
    responseCode: rc,
    terminalTotals,
    hostTotals,
    uploadedTotals: uploaded,
    closed: rc === '00',
    adjusted: rc === '00' && !sameTotals(terminalTotals, hostTotals),
    at: now.toISOString(),
  };
  const changes: LedgerChanges = { settlements: [record] };
  if (code === '201') changes.clearUploadsOf = { terminalId, batch };
  const note = rc === '00' ? (record.adjusted ? 'closed after upload with totals that differ from the host ledger' : 'balanced, batch closed') : 'out of balance';
  return { rc, changes, note };
}

/**
 * 0320: records the item (keyed by the original STAN of field 61) against the host entry with its RRN; acknowledged 00
 * (discrepancies are kept, not refused).
 */
export function upload(ledger: Ledger, msg: IsoMessage, now: Date): HostResult {
  const terminalId = text(msg, 41).trimEnd();
  const rrn = text(msg, 37).trim();
  const amount = Number(text(msg, 4));
  const entry = ledger.byRrn(terminalId, rrn);
  let discrepancy: string | null = null;
  if (!entry) discrepancy = 'no host entry with this RRN';
  else if (entry.status !== 'approved') discrepancy = `host entry is ${entry.status}`;
  else if (entry.amount !== amount) discrepancy = `host amount is ${entry.amount}`;
  const item: UploadRecord = {
    terminalId,
    batch: text(msg, 60),
    // The original's STAN (field 61) keys the item, so an item uploaded again replaces itself.
    stan: parseOriginalData(text(msg, 61))?.stan ?? text(msg, 11),
    processingCode: text(msg, 3),
    amount,
    rrn,
    authCode: text(msg, 38).trim(),
    matchedEntryId: entry?.id ?? null,
    discrepancy,
    at: now.toISOString(),
  };
  return { rc: '00', changes: { uploads: [item] }, note: discrepancy ?? 'matches the host entry' };
}
