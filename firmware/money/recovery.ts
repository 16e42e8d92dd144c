// Boot recovery: settles every unfinished journal record before any flow or API starts (policy in docs/money-safety.md).
import type { Journal } from '../journal/journal';
import type { TxnRecord } from '../journal/types';
import type { Logger } from '../log';
import { isQrPayment, type Authoriser } from './authoriser';
import { systemClock, type Clock } from '../common/clock';

export interface RecoveryReport {
  cancelled: string[];
  reversalsQueued: string[];
  completed: string[];
}

export interface RecoveryDeps {
  journal: Journal;
  authoriser: Authoriser;
  /** Prints the receipts of a record approved before the crash; resolves with its slip marks once done or given up. */
  printRecovered(rec: TxnRecord): Promise<TxnRecord>;
  log: Logger;
  clock?: Clock;
}

/**
 * - created (nothing sent): cancelled.
 * - sending (may have reached the host): outcome unknown, so a reversal is queued (a balance inquiry just fails).
 * - approved, not completed (the crash came before the receipt or the ECR answer): receipts printed
 *   marked RECOVERED, record completed. The ECR gets "approved" when it asks.
 * - declined, not completed: completed (nothing to print).
 * - reversal-pending: its SAF entry is made sure of; the worker sends it.
 */
export async function recover(deps: RecoveryDeps): Promise<RecoveryReport> {
  const { journal, log } = deps;
  const report: RecoveryReport = { cancelled: [], reversalsQueued: [], completed: [] };
  const saf = new Set((await journal.safEntries()).map((e) => e.txnId));
  for (const rec of await journal.unfinished()) {
    switch (rec.state) {
      case 'created':
        await journal.update(rec.id, { state: 'cancelled', reason: 'interrupted before sending' });
        report.cancelled.push(rec.reference);
        break;
      case 'sending':
        // A QR payment is asked about first (the wallet's rule); anything else is reversed.
        if (isQrPayment(rec)) await deps.authoriser.awaitCustomer(rec, 'interrupted after sending (power cut or crash)');
        else await deps.authoriser.queueReversal(rec, 'interrupted after sending (power cut or crash)');
        report.reversalsQueued.push(rec.reference);
        break;
      case 'awaiting-customer':
        if (!saf.has(rec.id)) {
          await journal.update(rec.id, {}, { safAdd: { txnId: rec.id, kind: 'qr-watch', attempts: 0, nextAttemptAt: (deps.clock ?? systemClock).now(), deadline: Date.parse(rec.qr?.deadline ?? '') || 0 } });
          report.reversalsQueued.push(rec.reference);
        }
        break;
      case 'approved':
        const printed = await deps.printRecovered(rec);
        await journal.update(rec.id, { state: 'completed', recovered: true, receipt: printed.receipt }, {}, { sync: false });
        report.completed.push(rec.reference);
        break;
      case 'declined':
        await journal.update(rec.id, { state: 'completed', recovered: true });
        report.completed.push(rec.reference);
        break;
      case 'reversal-pending':
        if (!saf.has(rec.id)) {
          await journal.update(rec.id, {}, { safAdd: { txnId: rec.id, kind: 'reversal', attempts: 0, nextAttemptAt: (deps.clock ?? systemClock).now() } });
          report.reversalsQueued.push(rec.reference);
        }
        break;
    }
  }
  if (report.cancelled.length + report.reversalsQueued.length + report.completed.length) log.child({ ns: 'money.recovery' }).warn(report, 'recovered unfinished transactions');
  return report;
}
