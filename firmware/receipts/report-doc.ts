// The day's reports as printed slips: settlement (totals per type, scheme and operator, host result), detail, open holds.
import type { ReceiptDoc, ReceiptLine } from '../hal/printer/receipt-doc';
import type { TerminalConfig } from '../board/schema';
import type { DetailReport, HoldsReport, SettlementReport } from '../journal/report-types';
import { formatAmount } from './receipt';
import { TYPE_WORDS } from './labels';

export interface ReportOptions {
  terminal: TerminalConfig;
  /** When the report is printed (local time on the slip). */
  printedAt: Date;
  /** A copy printed again: marked DUPLICATE. */
  duplicate: boolean;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const stamp = (d: Date) => `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;

function head(title: string, o: ReportOptions): ReceiptLine[] {
  const lines: ReceiptLine[] = [
    { type: 'text', text: o.terminal.merchantName, align: 'center', bold: true },
    { type: 'text', text: title, align: 'center', bold: true, size: 'tall' },
  ];
  if (o.duplicate) lines.push({ type: 'text', text: '*** DUPLICATE ***', align: 'center', bold: true });
  lines.push(
    { type: 'rule' },
    { type: 'pair', left: 'MID', right: o.terminal.merchantId },
    { type: 'pair', left: 'TID', right: o.terminal.terminalId },
    { type: 'pair', left: 'PRINTED', right: stamp(o.printedAt) },
  );
  return lines;
}

const tail: ReceiptLine[] = [{ type: 'feed', lines: 3 }, { type: 'cut' }];

export function settlementReportDoc(r: SettlementReport, o: ReportOptions): ReceiptDoc {
  const cur = o.terminal.currency;
  const rows = (m: Record<string, { count: number; amount: number }>, name: (k: string) => string): ReceiptLine[] =>
    Object.entries(m).map(([k, v]) => ({ type: 'pair', left: `${name(k)} x${v.count}`, right: formatAmount(Math.abs(v.amount), cur, v.amount < 0) }));
  const lines: ReceiptLine[] = [
    ...head('SETTLEMENT REPORT', o),
    { type: 'pair', left: 'BATCH NO.', right: r.batch, bold: true },
    { type: 'pair', left: 'STATUS', right: r.status === 'settled' ? (r.host?.uploaded ? 'SETTLED AFTER UPLOAD' : 'SETTLED') : r.status === 'in-progress' ? 'IN PROGRESS' : 'NOT SETTLED' },
  ];
  if (r.host) lines.push({ type: 'pair', left: 'HOST ANSWER', right: r.host.responseCode }, { type: 'pair', left: 'SETTLED', right: stamp(new Date(r.host.settledAt)) });
  lines.push(
    { type: 'rule' },
    { type: 'pair', left: `DEBITS x${r.totals.debitCount}`, right: formatAmount(r.totals.debitAmount, cur), bold: true },
    { type: 'pair', left: `CREDITS x${r.totals.creditCount}`, right: formatAmount(r.totals.creditAmount, cur, true), bold: true },
    { type: 'pair', left: 'NET', right: formatAmount(Math.abs(r.totals.debitAmount - r.totals.creditAmount), cur, r.totals.creditAmount > r.totals.debitAmount), bold: true },
    { type: 'rule' },
    { type: 'text', text: 'BY TYPE' },
    ...rows(r.byType, (k) => TYPE_WORDS[k as keyof typeof TYPE_WORDS]?.en ?? k.toUpperCase()),
    { type: 'text', text: 'BY CARD SCHEME' },
    ...rows(r.byScheme, (k) => k),
    { type: 'text', text: 'BY OPERATOR' },
    ...rows(r.byOperator, (k) => `OPERATOR ${k}`),
    ...tail,
  );
  return { lines };
}

export function detailReportDoc(r: DetailReport, o: ReportOptions): ReceiptDoc {
  const lines: ReceiptLine[] = [...head('DETAIL REPORT', o), { type: 'pair', left: 'BATCH NO.', right: r.batch, bold: true }, { type: 'rule' }];
  for (const l of r.lines) {
    lines.push(
      { type: 'pair', left: `${l.stan} ${TYPE_WORDS[l.type].en}`, right: formatAmount(l.amount, l.currency, l.type === 'refund' || l.type === 'void') },
      { type: 'pair', left: l.maskedPan ?? '-', right: l.counted ? (l.authCode ?? '') : l.state.toUpperCase() },
    );
  }
  lines.push({ type: 'rule' }, { type: 'pair', left: `COUNT ${r.lines.length}`, right: '' }, ...tail);
  return { lines };
}

export function holdsReportDoc(r: HoldsReport, o: ReportOptions): ReceiptDoc {
  const cur = o.terminal.currency;
  const lines: ReceiptLine[] = [...head('OPEN PRE-AUTH HOLDS', o), { type: 'rule' }];
  for (const h of r.holds) {
    lines.push(
      { type: 'pair', left: `${h.stan} ${h.maskedPan ?? '-'}`, right: formatAmount(h.remaining, cur) },
      { type: 'pair', left: 'EXPIRES', right: stamp(new Date(h.expiresAt)) },
    );
  }
  lines.push({ type: 'rule' }, { type: 'pair', left: `HOLDS x${r.holds.length}`, right: formatAmount(r.total, cur), bold: true }, ...tail);
  return { lines };
}
