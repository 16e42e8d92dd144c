// End-of-day settlement as a journaled, resumable procedure: totals journaled before the 0500 leaves, resent (0501)
// until the host answers, batch upload (0320) on a mismatch, and the batch closed exactly once, on the host's 00.
import type { IsoMessage } from '../host/iso8583';
import { buildBatchUpload, buildSettlement } from '../host/messages';
import { dateOf, systemClock, type Clock } from '../common/clock';
import type { TerminalConfig } from '../board/schema';
import type { Journal } from '../journal/journal';
import type { BatchTotals, SettlementRecord, SettlingState, TxnRecord } from '../journal/types';
import type { StanCounter } from '../host/stan';
import type { Logger } from '../log';
import type { HostRequester } from './authoriser';
import type { SafWorker } from './saf';
import { isStanding, PAYMENTS } from './admission';
import { crashPoint } from './crash-points';
import { schemeOfRecord } from './card-scheme';

export type Totals = BatchTotals;

export type SettlementResult =
  | { status: 'settled'; batch: string; nextBatch: string; totals: Totals; uploaded: boolean; settledAt: string }
  | { status: 'nothing-to-settle'; batch: string };

export type SettlementErrorCode = 'saf-pending' | 'host' | 'out-of-balance' | 'busy';

export class SettlementError extends Error {
  constructor(
    readonly code: SettlementErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SettlementError';
  }
}

/** Counted records: approved money movements still standing (not voided, not reversed). */
export function counted(records: TxnRecord[]): TxnRecord[] {
  return records.filter((r) => isStanding(r) && (PAYMENTS.has(r.type) || r.type === 'refund'));
}

export function totalsOf(records: TxnRecord[]): Totals {
  const t: Totals = { debitCount: 0, debitAmount: 0, creditCount: 0, creditAmount: 0 };
  for (const r of counted(records)) {
    if (r.type === 'refund') (t.creditCount++, (t.creditAmount += r.amount));
    else (t.debitCount++, (t.debitAmount += r.amount));
  }
  return t;
}

/** Totals per transaction type and per card scheme, for the settlement report. */
export function breakdown(records: TxnRecord[]): Pick<SettlementRecord, 'byType' | 'byScheme'> {
  const byType: SettlementRecord['byType'] = {};
  const byScheme: SettlementRecord['byScheme'] = {};
  const add = (m: Record<string, { count: number; amount: number }>, k: string, amount: number) => {
    const row = (m[k] ??= { count: 0, amount: 0 });
    row.count++;
    row.amount += amount;
  };
  for (const r of counted(records)) {
    add(byType, r.type, r.amount);
    add(byScheme, schemeOfRecord(r), r.type === 'refund' ? -r.amount : r.amount);
  }
  return { byType, byScheme };
}

export interface SettlementDeps {
  journal: Journal;
  host: HostRequester;
  saf: SafWorker;
  stan: StanCounter;
  terminal: TerminalConfig;
  log: Logger;
  clock?: Clock;
  safWaitMs?: number;
}

/**
 * Settles the current batch, or resumes the settlement in progress with the totals it journaled. Resolves
 * `nothing-to-settle` (the batch stays) when nothing was approved; rejects with SettlementError when the host did
 * not confirm: with `host` the settlement stays in progress and the next call (or the resumer) sends it again.
 */
export async function settle(d: SettlementDeps): Promise<SettlementResult> {
  const clock = d.clock ?? systemClock;
  let state = d.journal.settling();
  if (!state) {
    if (!(await d.saf.drained(d.safWaitMs ?? 30000))) {
      throw new SettlementError('saf-pending', `${await d.saf.pending()} reversal(s) still waiting for the host: settlement waits until the store-and-forward queue is empty`);
    }
    const batch = await d.journal.batchNumber();
    const totals = totalsOf(await d.journal.list({ batch }));
    if (totals.debitCount + totals.creditCount === 0) return { status: 'nothing-to-settle', batch };
    state = { batch, totals, sent: false, attempts: 0, startedAt: dateOf(clock).toISOString() };
    // Journaled before the 0500 leaves: from here nothing new enters the batch, and a restart resumes it.
    await d.journal.putSettling(state);
  }
  return exchange(d, state, clock);
}

async function exchange(d: SettlementDeps, start: SettlingState, clock: Clock): Promise<SettlementResult> {
  const log = d.log.child({ ns: 'money.settlement' });
  const { batch, totals } = start;
  const repeat = start.sent;
  let state: SettlingState = { ...start, sent: true, attempts: start.attempts + 1 };
  await d.journal.putSettling(state); // "may have been sent" is durable before the 0500 leaves: later sends are 0501
  crashPoint('settlement-before-send');
  const ask = async (msg: IsoMessage) => {
    try {
      return String((await d.host.request(msg)).fields[39] ?? '');
    } catch (err) {
      state = { ...state, lastError: (err as Error).message };
      await d.journal.putSettling(state);
      throw new SettlementError('host', `settlement of batch ${batch} not confirmed: ${(err as Error).message}; it stays in progress and is sent again with the same totals`);
    }
  };
  let rc = await ask(buildSettlement(batch, totals, '201', await d.stan.next(), d.terminal, dateOf(clock), repeat));
  let uploaded = false;
  const records = await d.journal.list({ batch });
  if (rc === '95') {
    log.warn({ batch, totals }, 'host totals differ: uploading the batch');
    for (const [i, r] of counted(records).entries()) {
      const upRc = await ask(buildBatchUpload(r, batch, d.terminal, d.journal.cardOf(r)));
      if (i === 0) crashPoint('settlement-during-upload');
      if (upRc !== '00') throw new SettlementError('host', `batch upload of ${r.reference} refused (${upRc}); the settlement stays in progress`);
    }
    uploaded = true;
    rc = await ask(buildSettlement(batch, totals, '202', await d.stan.next(), d.terminal, dateOf(clock), false));
  }
  if (rc !== '00') {
    await d.journal.putSettling({ ...state, lastError: `host answered ${rc}` });
    throw new SettlementError('out-of-balance', `host answered ${rc} to settlement of batch ${batch}; the settlement stays in progress`);
  }
  const settledAt = dateOf(clock).toISOString();
  // Card data kept for reversals, voids and refunds is no longer needed once the batch is closed.
  const nextBatch = await d.journal.closeBatch({ batch, totals, uploaded, responseCode: rc, settledAt, ...breakdown(records) }, records.filter((r) => r.sealed));
  log.info({ batch, nextBatch, totals, uploaded, repeat }, 'batch settled');
  return { status: 'settled', batch, nextBatch, totals, uploaded, settledAt };
}
