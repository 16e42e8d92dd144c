// Every word the LCD shows for prompts, outcomes and response codes (docs/host-messages.md); English for now.
import type { TxnRecord } from '../journal/types';
import type { CardRetry, Prompt, ScanRetry, TxnSummary } from '../flows/prompts';
import { TYPE_WORDS } from '../receipts/labels';

export const RESPONSE_TEXT: Record<string, string> = {
  '00': 'APPROVED',
  '05': 'DECLINED',
  '12': 'INVALID TRANSACTION',
  '13': 'INVALID AMOUNT',
  '14': 'INVALID CARD',
  '25': 'ORIGINAL NOT FOUND',
  '51': 'INSUFFICIENT FUNDS',
  '54': 'EXPIRED CARD',
  '55': 'WRONG PIN',
  '57': 'NOT PERMITTED',
  '96': 'HOST ERROR',
};

/** `CNY 12.34` */
export function money(minor: number, currency: string): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${currency} ${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A balance as `999987.66` (no currency: the LCD line is short). */
export function balanceText(minor?: number): string | undefined {
  if (minor === undefined) return undefined;
  const abs = Math.abs(minor);
  return `${minor < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export const title = (t: Pick<TxnSummary, 'type'>) => TYPE_WORDS[t.type].en;
const amountLine = (t: TxnSummary) => (t.type === 'balance' ? '' : money(t.amount, t.currency));

const RETRY: Record<CardRetry, string> = {
  'bad-read': 'SWIPE AGAIN',
  'invalid-card': 'INVALID CARD',
  expired: 'CARD EXPIRED',
  'use-chip': 'CHIP CARD: INSERT',
  'wrong-card': 'NOT THE SAME CARD',
};

/** The outcome screen lines for a finished authorisation. */
export function outcomeLines(rec: TxnRecord): string[] {
  switch (rec.state) {
    case 'approved':
    case 'completed':
      // A declined record is `completed` once the flow ends: only an approval shows APPROVED.
      if (!rec.wasApproved) return declinedLines(rec);
      if (rec.type === 'balance') return ['BALANCE', balanceText(rec.balanceMinor) ?? '-', 'APPROVED'];
      return ['APPROVED', `AUTH ${rec.authCode ?? '-'}`, money(rec.amount, rec.currency)];
    case 'declined':
      return declinedLines(rec);
    case 'reversal-pending':
    case 'reversed':
      return ['NO HOST ANSWER', 'NOT CHARGED', 'REVERSAL QUEUED'];
    case 'failed':
      // Failed after sending only happens to a balance inquiry with no answer (nothing to reverse).
      if (rec.reason && !rec.reason.startsWith('not-sent')) return ['NO HOST ANSWER', 'NOT CHARGED'];
      return ['NOT SENT', 'HOST UNREACHABLE', 'NOT CHARGED'];
    case 'cancelled':
      return rec.reason === 'timeout' ? ['CANCELLED', 'TIMED OUT'] : ['CANCELLED'];
    default:
      return [rec.state.toUpperCase()];
  }
}

function declinedLines(rec: TxnRecord): string[] {
  return [`DECLINED ${rec.responseCode ?? ''}`.trim(), RESPONSE_TEXT[rec.responseCode ?? ''] ?? 'DECLINED'];
}

/** A running transaction's prompt as LCD lines (4-row layout; render.ts compacts it for smaller panels). */
export function promptLines(p: Prompt, now = 0): string[] {
  switch (p.kind) {
    case 'present-card':
      return [title(p.txn), amountLine(p.txn), p.retry ? RETRY[p.retry] : p.readerMissing ? 'NO CARD READER' : 'SWIPE CARD', 'CANCEL=STOP'];
    case 'confirm-duplicate':
      return ['POSSIBLE DUPLICATE', 'SAME CARD & AMOUNT', 'OK=CONTINUE', 'CANCEL=STOP'];
    case 'enter-pin':
      return [title(p.txn), amountLine(p.txn), 'ENTER PIN ON PAD', p.retry || !p.bypassAllowed ? 'PIN REQUIRED' : 'OK=NO PIN'];
    case 'authorising':
      return [title(p.txn), amountLine(p.txn), 'PROCESSING...', 'PLEASE WAIT'];
    case 'printing':
      return [...outcomeLines(p.record), 'PRINTING...'].slice(0, 4);
    case 'finished':
      return outcomeLines(p.record);
    case 'scan-code':
      return [title(p.txn), amountLine(p.txn), p.retry ? SCAN_RETRY[p.retry] : p.scannerMissing ? 'NO SCAN HEAD' : 'SCAN PAYMENT CODE', 'CANCEL=STOP'];
    case 'awaiting-customer':
      return [title(p.txn), amountLine(p.txn), p.mode === 'scan' ? 'CUSTOMER CONFIRMING' : `SCAN TO PAY ${walletName(p.wallet)}`.slice(0, 20), p.deadline ? `CANCEL=STOP ${countdown(p.deadline, now)}` : 'CANCEL=STOP'];
  }
}

const SCAN_RETRY: Record<ScanRetry, string> = {
  unreadable: 'SCAN AGAIN',
  'not-a-payment-code': 'NOT A PAYMENT CODE',
};

const walletName = (w: string) => (w === 'wechat' ? 'WECHAT' : w === 'alipay' ? 'ALIPAY' : w === 'unionpay' ? 'UNIONPAY' : w.toUpperCase());

/** Time left until `deadline` as `m:ss` (the display redraws it as time passes). */
export function countdown(deadline: string, now: number): string {
  const s = Math.max(0, Math.ceil((Date.parse(deadline) - now) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export type PrinterPause = 'paper-out' | 'cover-open' | 'fault';

export function pausedLines(why: PrinterPause): string[] {
  return [why === 'paper-out' ? 'PAPER OUT' : why === 'cover-open' ? 'COVER OPEN' : 'PRINTER FAULT', 'FIX THE PRINTER', 'PRINTING PAUSED'];
}

/** The keypad's main menu, in order (digit shortcuts follow the numbering). */
export const MENU_ITEMS = ['SALE', 'PRE-AUTH', 'BALANCE', 'REPRINT LAST'] as const;
export type MenuItem = (typeof MENU_ITEMS)[number];
