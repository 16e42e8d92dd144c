// Keypad look-ups and batch actions: originals for void/refund/completion, query, totals, settlement with its report.
import { join } from 'node:path';
import type { Journal } from '../journal/journal';
import type { TxnRecord, TxnType } from '../journal/types';
import type { TerminalConfig } from '../board/schema';
import type { Clock } from '../common/clock';
import type { Logger } from '../log';
import { checkOriginal, remaining } from '../money/admission';
import type { SettlementResult } from '../money/settlement';
import { buildBatchReport, type BatchReport } from '../receipts/batch-report';
import type { ReceiptService } from '../receipts/receipt-service';
import { ecrStatus } from '../ecr/view';
import { readJsonFile, writeJsonFile } from '../operators/json-file';
import type { Found, KeypadType, UiOutcome } from '../ui-lcd/ports';
import { batchTotals } from './batch-totals';

export interface JournalActionDeps {
  journal: Journal;
  terminal: TerminalConfig;
  receipts: ReceiptService;
  clock: Clock;
  log: Logger;
  dataDir: string;
  /** Settlement as the ECR runs it (exclusive: no transaction meanwhile). */
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
  const check = checkOriginal(type, o, probe, await d.journal.batchNumber());
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

const LAST_SETTLEMENT = 'last-settlement.json';

function reportOf(kind: BatchReport['kind'], t: Awaited<ReturnType<typeof currentTotals>>, at: number, host?: BatchReport['host']): BatchReport {
  const { batch: b, currency, operators, ...totals } = t;
  return { kind, batch: b, currency, at: new Date(at).toISOString(), totals, operators, ...(host ? { host } : {}) };
}

/** Settles, then prints the settlement report (per-operator totals from the settled batch's journal records) and keeps it. */
export async function settleAndReport(d: JournalActionDeps): Promise<UiOutcome> {
  let result: SettlementResult;
  try {
    result = await d.settle();
  } catch (err) {
    return { ok: false, notice: { kind: 'settle-failed', reason: (err as { code?: string }).code ?? (err as Error).message } };
  }
  const totals = await currentTotals(d, result.batch);
  const report = reportOf('settlement', totals, d.clock.now(), result.uploaded ? 'uploaded' : 'balanced');
  writeJsonFile(join(d.dataDir, LAST_SETTLEMENT), report);
  const printed = await d.receipts.printReport(buildBatchReport(report, { terminal: d.terminal, language: d.receipts.language }));
  if (!printed.ok) d.log.warn({ batch: result.batch, error: printed.error }, 'settlement report not printed: reprint it from the menu');
  return { ok: true, notice: { kind: 'settled', totals } };
}

/** The current batch's totals per operator, printed (nothing is settled). */
export async function report(d: JournalActionDeps): Promise<UiOutcome> {
  const totals = await currentTotals(d);
  const printed = await d.receipts.printReport(buildBatchReport(reportOf('totals', totals, d.clock.now()), { terminal: d.terminal, language: d.receipts.language }));
  if (!printed.ok) return { ok: false, notice: { kind: 'reprint-failed', reason: printed.error } };
  return { ok: true, notice: { kind: 'report', totals } };
}

export async function reprintSettlement(d: JournalActionDeps): Promise<UiOutcome> {
  const last = readJsonFile<BatchReport>(join(d.dataDir, LAST_SETTLEMENT));
  if (!last) return { ok: false, notice: { kind: 'reprint-failed', reason: 'no settlement yet' } };
  const printed = await d.receipts.printReport(buildBatchReport(last, { terminal: d.terminal, language: d.receipts.language, duplicate: true }));
  return printed.ok ? { ok: true } : { ok: false, notice: { kind: 'reprint-failed', reason: printed.error } };
}
