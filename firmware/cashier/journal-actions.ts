// Keypad look-ups and batch actions: originals for void/refund/completion, query, totals, settlement with its report.
import type { Journal } from '../journal/journal';
import type { TxnRecord, TxnType } from '../journal/types';
import type { TerminalConfig } from '../board/schema';
import type { Clock } from '../common/clock';
import type { Logger } from '../log';
import { checkOriginal, remaining } from '../money/admission';
import type { SettlementResult } from '../money/settlement';
import { settlementReport } from '../money/reports';
import { settlementReportDoc } from '../receipts/report-doc';
import type { ReceiptService } from '../receipts/receipt-service';
import { ecrStatus } from '../ecr/view';
import type { Found, KeypadType, UiOutcome } from '../ui-lcd/ports';
import { batchTotals } from './batch-totals';

export interface JournalActionDeps {
  journal: Journal;
  terminal: TerminalConfig;
  receipts: ReceiptService;
  clock: Clock;
  log: Logger;
  /** Days a pre-authorisation holds (board policy.preauthHoldDays): an expired hold cannot be completed. */
  holdDays: number;
  /** Settlement as the ECR runs it (exclusive: no transaction meanwhile; prints the report when the batch closes). */
  settle: () => Promise<SettlementResult>;
}

async function lookup(j: Journal, sel: { stan?: string; rrn?: string }): Promise<TxnRecord | undefined> {
  if (sel.rrn) return j.byRrn(sel.rrn);
  if (sel.stan) return j.byStan(await j.batchNumber(), sel.stan.padStart(6, '0'));
  return undefined;
}

export function foundOf(r: TxnRecord): Found {
  const left = r.type === 'preauth' ? remaining(r, 'completion') : remaining(r, 'refund');
  return { type: r.type, amount: r.amount, currency: r.currency, stan: r.stan, batch: r.batch, maskedPan: r.maskedPan, rrn: r.rrn, remaining: left, status: ecrStatus(r), operator: r.operator };
}

/** The original a void, refund or completion names, checked as admission will check it (so nothing is confirmed in vain). */
export async function findOriginal(d: JournalActionDeps, sel: { stan?: string; rrn?: string }, purpose: KeypadType): Promise<UiOutcome> {
  const o = await lookup(d.journal, sel);
  if (!o) return { ok: false, notice: { kind: 'not-found' } };
  const type = purpose as TxnType;
  const probe = type === 'void' ? o.amount : 1;
  const check = checkOriginal(type, o, probe, { currentBatch: await d.journal.batchNumber(), now: d.clock.now(), holdDays: d.holdDays });
  if (!check.ok) return { ok: false, notice: { kind: 'refused', code: check.code, message: check.message } };
  return { ok: true, found: foundOf(o) };
}

export async function query(d: JournalActionDeps, sel: { stan?: string; rrn?: string }): Promise<UiOutcome> {
  const r = await lookup(d.journal, sel);
  return r ? { ok: true, notice: { kind: 'query', found: foundOf(r) } } : { ok: false, notice: { kind: 'not-found' } };
}

async function currentTotals(d: JournalActionDeps, batch?: string) {
  const b = batch ?? (await d.journal.batchNumber());
  return batchTotals(await d.journal.list({ batch: b }), b, d.terminal.currency);
}

export async function batch(d: JournalActionDeps): Promise<UiOutcome> {
  return { ok: true, batch: await currentTotals(d) };
}

/** Settles (printing the settlement report, per operator included, once the batch closes) and shows the totals. */
export async function settleAndReport(d: JournalActionDeps): Promise<UiOutcome> {
  const batchBefore = await d.journal.batchNumber();
  let result: SettlementResult;
  try {
    result = await d.settle();
  } catch (err) {
    return { ok: false, notice: { kind: 'settle-failed', reason: (err as { code?: string }).code ?? (err as Error).message } };
  }
  if (result.status !== 'settled') return { ok: false, notice: { kind: 'nothing-to-settle', batch: result.batch ?? batchBefore } };
  return { ok: true, notice: { kind: 'settled', totals: await currentTotals(d, result.batch) } };
}

/** Prints a settlement report: the current batch's (not settled: a preview), or the last settled one again (a copy). */
async function printSettlement(d: JournalActionDeps, which: 'current' | 'last'): Promise<{ ok: true } | { ok: false; reason: string }> {
  const r = await settlementReport(d.journal, which === 'current' ? await d.journal.batchNumber() : undefined);
  if (!r || (which === 'last' && r.status !== 'settled')) return { ok: false, reason: 'no settlement yet' };
  const doc = settlementReportDoc(r, { terminal: d.terminal, printedAt: new Date(d.clock.now()), duplicate: r.status === 'settled' });
  const out = await d.receipts.printDoc(doc);
  return out.printed ? { ok: true } : { ok: false, reason: 'printer not ready' };
}

/** The current batch's totals per operator, shown, and its settlement report printed as a preview (nothing is settled). */
export async function report(d: JournalActionDeps): Promise<UiOutcome> {
  const printed = await printSettlement(d, 'current');
  if (!printed.ok) return { ok: false, notice: { kind: 'reprint-failed', reason: printed.reason } };
  return { ok: true, notice: { kind: 'report', totals: await currentTotals(d) } };
}

export async function reprintSettlement(d: JournalActionDeps): Promise<UiOutcome> {
  const printed = await printSettlement(d, 'last');
  return printed.ok ? { ok: true } : { ok: false, notice: { kind: 'reprint-failed', reason: printed.reason } };
}
