// Settlement and batch-totals reports as ReceiptDocs: totals by debit/credit and per operator, in English or Chinese.
import type { ReceiptDoc, ReceiptLine } from '../hal/printer/receipt-doc';
import type { TerminalConfig } from '../board/schema';
import { formatMoney } from '../common/currency';
import type { Language } from './labels';

export interface ReportTotals {
  debitCount: number;
  debitAmount: number;
  creditCount: number;
  creditAmount: number;
}

/** One batch's totals, overall and per operator, as the journal counts them (the host's totals for a settlement). */
export interface BatchReport {
  kind: 'settlement' | 'totals';
  batch: string;
  currency: string;
  /** ISO time the report was made (settlement: when the host confirmed). */
  at: string;
  totals: ReportTotals;
  operators: Array<ReportTotals & { operator: string }>;
  /** Settlement only: the host agreed at once, or after the batch upload. */
  host?: 'balanced' | 'uploaded';
}

const WORDS = {
  settlement: { en: 'SETTLEMENT REPORT', zh: '结算单 SETTLEMENT' },
  totals: { en: 'BATCH TOTALS', zh: '批次汇总 TOTALS' },
  batch: { en: 'BATCH NO.', zh: '批次号' },
  dateTime: { en: 'DATE/TIME', zh: '日期/时间' },
  debits: { en: 'SALES', zh: '借记 SALES' },
  credits: { en: 'REFUNDS', zh: '贷记 REFUNDS' },
  net: { en: 'NET', zh: '净额 NET' },
  operator: { en: 'OPERATOR', zh: '操作员' },
  byOperator: { en: 'BY OPERATOR', zh: '操作员汇总' },
  balanced: { en: 'HOST: BALANCED', zh: '对账平 BALANCED' },
  uploaded: { en: 'HOST: BALANCED AFTER UPLOAD', zh: '上送后对账平 UPLOADED' },
  duplicate: { en: '*** DUPLICATE ***', zh: '*** 重打印 DUPLICATE ***' },
  tid: { en: 'TID', zh: '终端编号' },
  mid: { en: 'MID', zh: '商户编号' },
} as const;

const pad2 = (n: number) => String(n).padStart(2, '0');
function local(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

function totalsLines(t: ReportTotals, currency: string, L: (k: keyof typeof WORDS) => string, prefix = ''): ReceiptLine[] {
  return [
    { type: 'pair', left: `${prefix}${L('debits')} ${t.debitCount}`, right: formatMoney(t.debitAmount, currency) },
    { type: 'pair', left: `${prefix}${L('credits')} ${t.creditCount}`, right: formatMoney(-t.creditAmount, currency) },
  ];
}

/** The report slip: header, batch and time, totals, then one block per operator (their lines add up to the totals). */
export function buildBatchReport(r: BatchReport, opts: { terminal: TerminalConfig; language: Language; duplicate?: boolean }): ReceiptDoc {
  const L = (k: keyof typeof WORDS) => WORDS[k][opts.language];
  const t = opts.terminal;
  const name = opts.language === 'zh' && t.merchantNameZh ? t.merchantNameZh : t.merchantName;
  const lines: ReceiptLine[] = [
    { type: 'text', text: name, align: 'center', bold: true, size: 'double' },
    { type: 'text', text: L(r.kind === 'settlement' ? 'settlement' : 'totals'), align: 'center', bold: true },
  ];
  if (opts.duplicate) lines.push({ type: 'text', text: L('duplicate'), align: 'center', bold: true });
  lines.push(
    { type: 'rule' },
    { type: 'pair', left: L('mid'), right: t.merchantId },
    { type: 'pair', left: L('tid'), right: t.terminalId },
    { type: 'pair', left: L('batch'), right: r.batch },
    { type: 'pair', left: L('dateTime'), right: local(r.at) },
    { type: 'rule' },
    ...totalsLines(r.totals, r.currency, L),
    { type: 'pair', left: L('net'), right: formatMoney(r.totals.debitAmount - r.totals.creditAmount, r.currency), bold: true },
  );
  if (r.host) lines.push({ type: 'text', text: L(r.host), bold: true });
  lines.push({ type: 'rule' }, { type: 'text', text: L('byOperator'), bold: true });
  for (const o of r.operators) {
    lines.push({ type: 'text', text: `${L('operator')} ${o.operator}` }, ...totalsLines(o, r.currency, L, '  '));
  }
  lines.push({ type: 'rule' }, { type: 'feed', lines: 3 }, { type: 'cut' });
  return { lines };
}
