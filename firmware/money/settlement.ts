// End-of-day settlement: waits for the SAF queue, sends journal totals (0500), uploads the batch (0320) on a mismatch,
// and advances the batch number only once the host confirmed. Sealed card data of the settled batch is purged.
import type { IsoMessage } from '../host/iso8583';
import { buildBatchUpload, buildSettlement, type SettlementTotals } from '../host/messages';
import { dateOf, systemClock, type Clock } from '../common/clock';
import { isStanding } from './admission';
import type { TerminalConfig } from '../board/schema';
import type { Journal } from '../journal/journal';
import type { TxnRecord } from '../journal/types';
import type { StanCounter } from '../host/stan';
import type { Logger } from '../log';
import type { HostRequester } from './authoriser';
import type { SafWorker } from './saf';

export type Totals = SettlementTotals;

export interface SettlementResult {
  batch: string;
  nextBatch: string;
  totals: Totals;
  /** True when the host disagreed at first and the batch was uploaded. */
  uploaded: boolean;
}

export class SettlementError extends Error {
  constructor(
    readonly code: 'saf-pending' | 'host' | 'out-of-balance' | 'busy',
    message: string,
  ) {
    super(message);
  }
}

/** Counted records: approved money movements still standing (not voided, not reversed). */
export function counted(records: TxnRecord[]): TxnRecord[] {
  return records.filter((r) => isStanding(r) && ['sale', 'completion', 'refund'].includes(r.type));
}

export function totalsOf(records: TxnRecord[]): Totals {
  const t: Totals = { debitCount: 0, debitAmount: 0, creditCount: 0, creditAmount: 0 };
  for (const r of counted(records)) {
    if (r.type === 'refund') (t.creditCount++, (t.creditAmount += r.amount));
    else (t.debitCount++, (t.debitAmount += r.amount));
  }
  return t;
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

export async function settle(d: SettlementDeps): Promise<SettlementResult> {
  const log = d.log.child({ ns: 'money.settlement' });
  if (!(await d.saf.drained(d.safWaitMs ?? 30000))) {
    throw new SettlementError('saf-pending', `${await d.saf.pending()} reversal(s) still waiting for the host: settlement waits until the store-and-forward queue is empty`);
  }
  const batch = await d.journal.batchNumber();
  const records = await d.journal.list({ batch });
  const totals = totalsOf(records);
  const clock = d.clock ?? systemClock;
  const base = (code: '201' | '202', stan: string): IsoMessage => buildSettlement(batch, totals, code, stan, d.terminal, dateOf(clock));
  const ask = async (msg: IsoMessage) => {
    try {
      return String((await d.host.request(msg)).fields[39] ?? '');
    } catch (err) {
      throw new SettlementError('host', `settlement not confirmed: ${(err as Error).message}; the batch stays open`);
    }
  };
  let rc = await ask(base('201', await d.stan.next()));
  let uploaded = false;
  if (rc === '95') {
    log.warn({ batch, totals }, 'host totals differ: uploading the batch');
    for (const r of counted(records)) {
      const up = buildBatchUpload(r, batch, d.terminal, d.journal.cardOf(r));
      const upRc = await ask(up);
      if (upRc !== '00') throw new SettlementError('host', `batch upload of ${r.reference} refused (${upRc}); the batch stays open`);
    }
    uploaded = true;
    rc = await ask(base('202', await d.stan.next()));
  }
  if (rc !== '00') throw new SettlementError('out-of-balance', `host answered ${rc} to settlement of batch ${batch}; the batch stays open`);
  // Card data kept for reversals, voids and refunds is no longer needed once the batch is settled.
  for (const r of records) if (r.sealed) await d.journal.update(r.id, { sealed: undefined });
  const nextBatch = await d.journal.advanceBatch();
  log.info({ batch, nextBatch, totals, uploaded }, 'batch settled');
  return { batch, nextBatch, totals, uploaded };
}
