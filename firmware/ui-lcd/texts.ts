// LCD lines for prompts, outcomes and response codes (docs/host-messages.md), in English or Chinese.
import type { TxnRecord } from '../journal/types';
import type { CardRetry, Prompt, ScanRetry, TxnSummary } from '../flows/prompts';
import { formatMinorUnits, formatMoney } from '../common/currency';
import { TYPE_WORDS } from '../receipts/labels';
import { textWidth } from '../hal/printer/receipt-doc';
import { word, type Lang, type WordKey } from './words';

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

const RESPONSE_TEXT_ZH: Record<string, string> = {
  '00': '交易成功',
  '05': '交易拒绝',
  '12': '无效交易',
  '13': '无效金额',
  '14': '无效卡号',
  '25': '原交易不存在',
  '51': '余额不足',
  '54': '卡已过期',
  '55': '密码错误',
  '57': '不允许此交易',
  '96': '主机故障',
};

/** `CNY 12.34` with the currency's decimals. */
export function money(minor: number, currency: string): string {
  return formatMoney(minor, currency);
}

/** A balance as `999987.66` (no currency: the LCD line is short). */
export function balanceText(minor?: number, currency = 'CNY'): string | undefined {
  return minor === undefined ? undefined : formatMinorUnits(minor, currency);
}

const TITLE_SHORT: Partial<Record<string, string>> = { preauth: 'PRE-AUTH', completion: 'COMPLETION', balance: 'BALANCE' };

/** The transaction type as the screen title (shortened to fit `cols`; a type this UI has no words for is spelled out). */
export function title(t: Pick<TxnSummary, 'type'>, lang: Lang = 'en', cols = 20): string {
  const full = TYPE_WORDS[t.type]?.[lang] ?? String(t.type).toUpperCase();
  return lang === 'en' && textWidth(full) > cols ? (TITLE_SHORT[t.type] ?? full) : full;
}

/** Response texts too long for 16 columns. */
const RESPONSE_SHORT: Record<string, string> = { '12': 'INVALID TXN', '25': 'NO ORIGINAL', '51': 'NO FUNDS' };
const amountLine = (t: TxnSummary) => (t.type === 'balance' ? '' : money(t.amount, t.currency));

const RETRY: Record<CardRetry, WordKey> = {
  'bad-read': 'swipeAgain',
  'invalid-card': 'invalidCard',
  expired: 'cardExpired',
  'use-chip': 'useChip',
  'wrong-card': 'wrongCard',
};

/** `POINTS +12 BAL 345` when the host reported loyalty points. */
export function pointsLine(rec: Pick<TxnRecord, 'points'>, lang: Lang = 'en'): string | undefined {
  const p = rec.points;
  if (!p || (p.earned === undefined && p.balance === undefined)) return undefined;
  const earned = p.earned === undefined ? '' : ` ${p.earned >= 0 ? '+' : ''}${p.earned}`;
  const bal = p.balance === undefined ? '' : ` ${word('pointsBalance', lang)} ${p.balance}`;
  return `${word('points', lang)}${earned}${bal}`;
}

/** The outcome screen lines for a finished authorisation. */
export function outcomeLines(rec: TxnRecord, lang: Lang = 'en', cols = 20): string[] {
  const w = (k: WordKey) => word(k, lang, cols);
  switch (rec.state) {
    case 'approved':
    case 'completed': {
      // A declined record is `completed` once the flow ends: only an approval shows APPROVED.
      if (!rec.wasApproved) return declinedLines(rec, lang, cols);
      if (rec.type === 'balance') return [w('balance'), balanceText(rec.balanceMinor, rec.currency) ?? '-', w('approved')];
      const points = pointsLine(rec, lang);
      return [w('approved'), `${w('auth')} ${rec.authCode ?? '-'}`, money(rec.amount, rec.currency), ...(points ? [points] : [])];
    }
    case 'declined':
      return declinedLines(rec, lang, cols);
    case 'reversal-pending':
    case 'reversed':
      return [w('noHostAnswer'), w('notCharged'), w('reversalQueued')];
    case 'failed':
      // Failed after sending only happens to a balance inquiry with no answer (nothing to reverse).
      if (rec.reason && !rec.reason.startsWith('not-sent')) return [w('noHostAnswer'), w('notCharged')];
      return [w('notSent'), w('hostFailed'), w('notCharged')];
    case 'cancelled':
      return rec.reason === 'timeout' ? [w('cancelled'), w('timedOut')] : [w('cancelled')];
    default:
      return [rec.state.toUpperCase()];
  }
}

function declinedLines(rec: TxnRecord, lang: Lang, cols: number): string[] {
  const rc = rec.responseCode ?? '';
  const text = (lang === 'zh' ? RESPONSE_TEXT_ZH : RESPONSE_TEXT)[rc] ?? word('declined', lang);
  return [`${word('declined', lang)} ${rc}`.trim(), lang === 'en' && textWidth(text) > cols ? (RESPONSE_SHORT[rc] ?? text) : text];
}

/** A running transaction's prompt as LCD lines (4-row layout; render.ts compacts it for smaller panels). */
export function promptLines(p: Prompt, lang: Lang = 'en', cols = 20, now = 0): string[] {
  const w = (k: WordKey) => word(k, lang, cols);
  switch (p.kind) {
    case 'present-card':
      return [title(p.txn, lang, cols), amountLine(p.txn), p.retry ? w(RETRY[p.retry]) : p.readerMissing ? w('noReader') : w('swipeCard'), w('cancelStop')];
    case 'confirm-duplicate':
      return [w('possibleDuplicate'), w('sameCardAmount'), w('okContinue'), w('cancelStop')];
    case 'enter-pin':
      return [title(p.txn, lang, cols), amountLine(p.txn), w('enterPinOnPad'), p.retry || !p.bypassAllowed ? w('pinRequired') : w('okNoPin')];
    case 'authorising':
      return [title(p.txn, lang, cols), amountLine(p.txn), w('processing'), w('pleaseWait')];
    case 'printing':
      return [...outcomeLines(p.record, lang, cols).slice(0, 3), w('printing')];
    case 'finished':
      return outcomeLines(p.record, lang, cols);
    case 'scan-code':
      return [title(p.txn, lang, cols), amountLine(p.txn), p.retry ? w(SCAN_RETRY[p.retry]) : p.scannerMissing ? w('noScanner') : w('scanCode'), w('cancelStop')];
    case 'awaiting-customer': {
      const pay = `${w('scanToPay')} ${walletName(p.wallet, lang)}`;
      const ask = p.mode === 'scan' ? w('customerConfirming') : textWidth(pay) <= cols ? pay : w('scanToPay');
      return [title(p.txn, lang, cols), amountLine(p.txn), ask, p.deadline ? `${w('cancelStop')} ${countdown(p.deadline, now)}` : w('cancelStop')];
    }
    default:
      // A prompt kind this UI does not know yet (a newer flow): say that something is going on.
      return [w('processing'), w('pleaseWait')];
  }
}

const SCAN_RETRY: Record<ScanRetry, WordKey> = {
  unreadable: 'scanAgain',
  'not-a-payment-code': 'notPaymentCode',
};

const WALLETS: Record<string, WordKey> = { wechat: 'wechat', alipay: 'alipay', unionpay: 'unionpay' };
const walletName = (wallet: string, lang: Lang) => (WALLETS[wallet] ? word(WALLETS[wallet], lang) : wallet.toUpperCase());

/** Time left until `deadline` as `m:ss` (the display redraws it as time passes). */
export function countdown(deadline: string, now: number): string {
  const s = Math.max(0, Math.ceil((Date.parse(deadline) - now) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export type PrinterPause = 'paper-out' | 'cover-open' | 'fault';

export function pausedLines(why: PrinterPause, lang: Lang = 'en'): string[] {
  const w = (k: WordKey) => word(k, lang);
  return [why === 'paper-out' ? w('paperOut') : why === 'cover-open' ? w('coverOpen') : w('printerFault'), w('fixPrinter'), w('printingPaused')];
}
