// Builds merchant and customer receipts for a journal record as a ReceiptDoc (printer commands as data).
import type { ReceiptDoc, ReceiptLine } from '../hal/printer/receipt-doc';
import type { TerminalConfig } from '../board/schema';
import type { TxnRecord } from '../journal/types';
import { formatMoney } from '../common/currency';
import { label, TYPE_WORDS, WALLET_WORDS, type Language } from './labels';

export type Copy = 'merchant' | 'customer';

export interface ReceiptOptions {
  terminal: TerminalConfig;
  /** Chinese only when the board asks for it and the printer prints GB18030. */
  language: Language;
  /** Every copy after the first is marked as a duplicate. */
  duplicate: boolean;
}

/** `CNY 123.45` with the currency's decimals, negative for money going back to the card. */
export function formatAmount(minor: number, currency: string, negative = false): string {
  return formatMoney(negative ? -Math.abs(minor) : minor, currency);
}

const pad2 = (n: number) => String(n).padStart(2, '0');

function localDateTime(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

function entryWords(rec: TxnRecord, lang: Language): string {
  const mode = rec.entryMode ?? '';
  if (mode.startsWith('03')) return label('qr', lang);
  const how = mode.startsWith('01') ? label('stored', lang) : mode.startsWith('80') ? label('fallback', lang) : label('swipe', lang);
  return rec.pinEntered ? `${how}+${label('pin', lang)}` : how;
}

export function buildReceipt(rec: TxnRecord, copy: Copy, opts: ReceiptOptions): ReceiptDoc {
  const lang = opts.language;
  const t = opts.terminal;
  const L = (k: Parameters<typeof label>[0]) => label(k, lang);
  const type = TYPE_WORDS[rec.type];
  const typeText = lang === 'zh' ? `${type.zh} ${type.en}` : type.en;
  const pair = (left: string, right: string | undefined, bold = false): ReceiptLine[] => (right ? [{ type: 'pair', left, right, bold }] : []);
  const name = lang === 'zh' && t.merchantNameZh ? t.merchantNameZh : t.merchantName;
  const lines: ReceiptLine[] = [
    { type: 'text', text: name, align: 'center', bold: true, size: 'double' },
    { type: 'text', text: L(copy === 'merchant' ? 'merchantCopy' : 'customerCopy'), align: 'center' },
  ];
  if (opts.duplicate) lines.push({ type: 'text', text: L('duplicate'), align: 'center', bold: true });
  if (rec.recovered) lines.push({ type: 'text', text: L('recovered'), align: 'center' });
  if (rec.type === 'refund' && rec.reference.endsWith('-LATE')) lines.push({ type: 'text', text: L('lateRefund'), align: 'center', bold: true });
  lines.push(
    { type: 'rule' },
    ...pair(L('merchantName'), t.merchantName),
    ...pair(L('mid'), t.merchantId),
    ...pair(L('tid'), t.terminalId),
    ...pair(L('operator'), rec.operator),
    ...pair(L('card'), rec.maskedPan),
    ...pair(L('wallet'), rec.qr ? WALLET_WORDS[rec.qr.wallet][lang] : undefined),
    ...pair(L('payerCode'), rec.qr?.maskedCode),
    ...pair(L('walletOrder'), rec.qr?.order),
    ...pair(L('entry'), entryWords(rec, lang)),
    { type: 'text', text: `${L('type')}: ${typeText}`, bold: true, size: 'tall' },
    ...pair(L('batch'), rec.batch),
    ...pair(L('trace'), rec.stan),
    ...pair(L('dateTime'), localDateTime(rec.history.find((h) => h.state === 'approved')?.at ?? rec.createdAt)),
    ...pair(L('rrn'), rec.rrn),
    ...pair(L('auth'), rec.authCode),
    ...pair(L('reference'), rec.reference),
    ...pair(L('original'), rec.original?.stan),
    { type: 'rule' },
    { type: 'pair', left: L('amount'), right: formatAmount(rec.amount, rec.currency, rec.type === 'void' || rec.type === 'refund'), bold: true },
    { type: 'rule' },
  );
  // Loyalty points (积分) go on the cardholder's copy only.
  if (copy === 'customer' && rec.points) {
    const signed = (n: number) => `${n > 0 ? '+' : ''}${n}`;
    lines.push(...pair(L('pointsEarned'), rec.points.earned === undefined ? undefined : signed(rec.points.earned)), ...pair(L('pointsBalance'), rec.points.balance?.toString()));
  }
  if (copy === 'merchant') {
    lines.push({ type: 'text', text: L('signature') }, { type: 'feed', lines: 2 }, { type: 'rule', char: '_' }, { type: 'text', text: L('acknowledge') });
  }
  lines.push({ type: 'text', text: t.receiptFooter, align: 'center' }, { type: 'feed', lines: 3 }, { type: 'cut' });
  return { lines };
}

/** Whether a record gets a printed slip: approved money movements (not balance inquiries, not declines). */
export function hasReceipt(rec: TxnRecord): boolean {
  // A late payment (paid as its QR order closed) gets no sale slip: its automatic refund's slip tells the story.
  return rec.type !== 'balance' && (rec.state === 'approved' || rec.state === 'completed') && !!rec.wasApproved && !rec.qr?.latePayment;
}

/** The slip a text-only terminal prints for C扫B: the QR to scan, the amount, the order's reference. */
export function qrSlip(order: { payload: string; wallet: string; amount: number; currency: string; reference: string }, terminal: TerminalConfig): ReceiptDoc {
  const wallet = WALLET_WORDS[order.wallet as keyof typeof WALLET_WORDS]?.en ?? order.wallet.toUpperCase();
  return {
    lines: [
      { type: 'text', text: terminal.merchantName, align: 'center', bold: true },
      { type: 'text', text: `SCAN TO PAY (${wallet})`, align: 'center', bold: true },
      { type: 'qr', data: order.payload, size: 6 },
      { type: 'pair', left: 'AMOUNT', right: formatAmount(order.amount, order.currency), bold: true },
      { type: 'pair', left: 'REF.', right: order.reference },
      { type: 'feed', lines: 3 },
      { type: 'cut' },
    ],
  };
}
