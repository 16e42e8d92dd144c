// Prints a transaction's slips and tracks them in the journal: paper out pauses, the cut-off slip is reprinted as a copy.
import type { ReceiptPrinter, PrinterStatus } from '../hal/printer/printer';
import { DeviceError } from '../hal/device';
import { renderText, type ReceiptDoc } from '../hal/printer/receipt-doc';
import type { TerminalConfig, PolicyConfig } from '../board/schema';
import type { Journal } from '../journal/journal';
import type { SlipState, TxnRecord } from '../journal/types';
import type { Logger } from '../log';
import { buildReceipt, hasReceipt, type Copy } from './receipt';
import { sleep, systemClock, type Clock } from '../common/clock';

export interface ReceiptTexts {
  merchant: string;
  customer?: string;
}

export interface ReceiptServiceDeps {
  printer?: ReceiptPrinter;
  journal: Journal;
  terminal: TerminalConfig;
  policy: PolicyConfig;
  log: Logger;
  /** Told when printing waits for the operator (paper out, cover open) and when it resumes. */
  onPaused?(status: PrinterStatus | { state: 'error'; message: string }): void;
  onResumed?(): void;
  /** How often a paused job re-checks the printer. */
  pollMs?: number;
  /** The language chosen in the settings menu (the board's `terminal.language` when absent). */
  language?: () => 'en' | 'zh';
  clock?: Clock;
}

function mark(rec: TxnRecord, copy: Copy, state: SlipState): TxnRecord {
  return { ...rec, receipt: { ...rec.receipt, [copy]: state } };
}

export class ReceiptService {
  private readonly log: Logger;

  constructor(private readonly deps: ReceiptServiceDeps) {
    this.log = deps.log.child({ ns: 'receipts' });
  }

  get language(): 'en' | 'zh' {
    const wanted = this.deps.language?.() ?? this.deps.terminal.language;
    return wanted === 'zh' && this.deps.printer?.supportsChinese ? 'zh' : 'en';
  }

  private copies(): Copy[] {
    return this.deps.policy.receiptCopies === 'both' ? ['merchant', 'customer'] : ['merchant'];
  }

  doc(rec: TxnRecord, copy: Copy, duplicate: boolean): ReceiptDoc {
    return buildReceipt(rec, copy, { terminal: this.deps.terminal, language: this.language, duplicate });
  }

  /** The slips as text (for the ECR answer), as the first copies read. */
  texts(rec: TxnRecord): ReceiptTexts | undefined {
    if (!hasReceipt(rec)) return undefined;
    const cols = this.deps.printer?.columns ?? 32;
    const [merchant, customer] = this.copies().map((c) => renderText(this.doc(rec, c, false), cols));
    return { merchant, customer };
  }

  /**
   * Prints every first copy not yet printed. A slip cut off by paper out is printed again, marked as
   * a copy, once the operator fixed the printer. Resolves with the record and its slip marks when all
   * slips are out, or when `signal` aborts the wait (the slips stay pending and can be reprinted).
   * The marks are the caller's to journal with the record's next state; they are written here only
   * before waiting for the operator (paper out, cover open).
   */
  async printSlips(rec: TxnRecord, signal?: AbortSignal): Promise<TxnRecord> {
    if (!hasReceipt(rec)) return rec;
    let current = rec;
    for (const copy of this.copies()) {
      while (current.receipt[copy] === 'pending' || current.receipt[copy] === 'cut-off') {
        if (signal?.aborted) return current;
        const duplicate = current.receipt[copy] === 'cut-off';
        const outcome = await this.tryPrint(this.doc(current, copy, duplicate));
        if (outcome === 'printed') {
          current = mark(current, copy, 'printed');
        } else if (outcome === 'no-printer') {
          return mark(current, copy, 'skipped');
        } else {
          if (outcome === 'cut-off' && current.receipt[copy] !== 'cut-off') current = mark(current, copy, 'cut-off');
          current = await this.saveMarks(current);
          if (!(await this.waitForPrinter(signal))) return current;
        }
      }
    }
    return current;
  }

  /** Prints a report (or any document) once; resolves with its text and whether the printer took it. Never the host. */
  async printDoc(doc: ReceiptDoc): Promise<{ printed: boolean; text: string }> {
    const outcome = await this.tryPrint(doc);
    return { printed: outcome === 'printed', text: renderText(doc, this.deps.printer?.columns ?? 32) };
  }

  /** Reprint (last or by trace): printing only, never the host; always marked DUPLICATE / 重打印. */
  async reprint(rec: TxnRecord): Promise<{ record: TxnRecord; text: string }> {
    if (!hasReceipt(rec)) throw new Error(`transaction ${rec.stan} has no receipt to reprint (${rec.type}, ${rec.state})`);
    const doc = this.doc(rec, 'merchant', true);
    const outcome = await this.tryPrint(doc);
    if (outcome !== 'printed') throw new DeviceError(outcome === 'no-printer' ? 'ENODEV' : 'EPAPER', `reprint failed: printer ${outcome === 'no-printer' ? 'missing' : 'not ready'}`);
    // Not synced: a lost count only changes a number; every reprint is marked DUPLICATE whatever it says.
    const record = await this.deps.journal.update(rec.id, { receipt: { ...rec.receipt, reprints: rec.receipt.reprints + 1 } }, {}, { sync: false });
    return { record, text: renderText(doc, this.deps.printer?.columns ?? 32) };
  }

  /** Not synced: a lost print mark leaves the slip `pending`, and recovery prints it again marked RECOVERED (a reprint, never money). */
  private async saveMarks(rec: TxnRecord): Promise<TxnRecord> {
    return this.deps.journal.update(rec.id, { receipt: rec.receipt }, {}, { sync: false });
  }

  private async tryPrint(doc: ReceiptDoc): Promise<'printed' | 'cut-off' | 'not-ready' | 'no-printer'> {
    const printer = this.deps.printer;
    if (!printer) return 'no-printer';
    try {
      await printer.print(doc);
      return 'printed';
    } catch (err) {
      const e = err instanceof DeviceError ? err : new DeviceError('EIO', (err as Error).message);
      this.log.warn({ code: e.code, err: e.message }, 'printing stopped');
      this.deps.onPaused?.(e.code === 'EPAPER' ? { state: 'paper-out', paperNearEnd: false } : e.code === 'ECOVER' ? { state: 'cover-open', paperNearEnd: false } : { state: 'error', message: e.message });
      // Paper running out part-way leaves a cut-off slip; a refusal before printing leaves nothing.
      return /after \d+ lines|part-way|cut/.test(e.message) ? 'cut-off' : 'not-ready';
    }
  }

  /** Waits until the printer reports online (or unknown, for one-way transports). */
  private async waitForPrinter(signal?: AbortSignal): Promise<boolean> {
    const printer = this.deps.printer!;
    const poll = this.deps.pollMs ?? 500;
    for (;;) {
      if (signal?.aborted) return false;
      if (!(await sleep(this.deps.clock ?? systemClock, poll, signal))) return false;
      const s = await printer.status().catch(() => undefined);
      if (s && (s.state === 'online' || s.state === 'unknown')) {
        this.deps.onResumed?.();
        return true;
      }
    }
  }
}
