// Lines for confirmation questions and notices (logins, refusals, settlement, reports, device checks), in English or Chinese.
import { formatMinorUnits, formatMoney } from '../common/currency';
import { textWidth } from '../hal/printer/receipt-doc';
import type { BatchTotals, Found, Totals, UiNotice } from './ports';
import type { ConfirmView } from './procedures';
import { formatDateTime } from './render';
import { title as typeTitle } from './texts';
import { word, type Lang, type WordKey } from './words';

/** Controller refusal codes with a word of their own; other refusals show the controller's message. */
const REFUSAL_WORDS: Record<string, WordKey> = {
  'original-not-found': 'notFound',
  'original-not-allowed': 'notAllowed',
  'original-wrong-type': 'notAllowed',
  'amount-exceeds': 'notAllowed',
  busy: 'busy',
  'not-available': 'notAvailable',
};

export function refusalText(message: string, code: string | undefined, lang: Lang): string {
  const w = code ? REFUSAL_WORDS[code] : undefined;
  return w ? word(w, lang) : message;
}

/**
 * `VOID CNY 12.34` / `TRACE 000123?` / masked PAN / `OK=YES CANCEL=NO`; 2-row panels keep the first two. A verb too
 * long to share a line with the amount gets a line of its own.
 */
export function confirmLines(v: ConfirmView, lang: Lang, cols: number): string[] {
  const w = (k: WordKey) => word(k, lang, cols);
  if (v.batch) {
    const first = `${w('settleBatch')} ${v.batch.batch}?`;
    return [...(textWidth(first) <= cols ? [first] : [w('settleBatch'), `${v.batch.batch}?`]), ...totalsLines(v.batch, v.batch.currency, lang, cols), w('okYesCancelNo')];
  }
  const amount = formatMoney(v.amount ?? 0, v.currency ?? '');
  const trace = `${w('trace')} ${v.stan ?? ''}?`;
  const both = `${w(v.verb)} ${amount}`;
  if (textWidth(both) <= cols) return [both, trace, v.maskedPan ?? '', w('okYesCancelNo')];
  return [w(v.verb), amount, trace, w('okYesCancelNo')];
}

/** `text` broken into lines of at most `cols` columns at spaces (a longer word is cut). */
export function wrap(text: string, cols: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (textWidth(next) <= cols) line = next;
    else {
      if (line) lines.push(line);
      line = word.slice(0, cols);
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** `DR 3 CNY 45.00`, or `DR 3 45.00` when the currency does not fit. */
function countLine(prefix: string, count: number, amount: number, currency: string, cols: number): string {
  const full = `${prefix} ${count} ${formatMoney(amount, currency)}`;
  return textWidth(full) <= cols ? full : `${prefix} ${count} ${formatMinorUnits(amount, currency)}`;
}

function totalsLines(t: Totals, currency: string, lang: Lang, cols = 20): string[] {
  return [countLine(word('debits', lang), t.debitCount, t.debitAmount, currency, cols), countLine(word('credits', lang), t.creditCount, t.creditAmount, currency, cols)];
}

/** Per operator: `01 DR 2 CNY 30.00` (and a CR line when they refunded). */
function operatorLines(b: BatchTotals, lang: Lang, cols: number): string[] {
  return b.operators.flatMap((o) => [
    countLine(`${o.operator} ${word('debits', lang)}`, o.debitCount, o.debitAmount, b.currency, cols),
    ...(o.creditCount ? [countLine(`${o.operator} ${word('credits', lang)}`, o.creditCount, o.creditAmount, b.currency, cols)] : []),
  ]);
}

function foundLines(f: Found, lang: Lang): string[] {
  const status = f.status.toUpperCase();
  return [
    `${typeTitle(f, lang)} ${formatMoney(f.amount, f.currency)}`,
    `${word('trace', lang)} ${f.stan}`,
    `${word('batch', lang)} ${f.batch}`,
    `${word('state', lang)} ${status}`,
    ...(f.rrn ? [`RRN ${f.rrn}`] : []),
    ...(f.maskedPan ? [f.maskedPan] : []),
    `${word('op', lang)} ${f.operator}`,
  ];
}

const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

/** Notices that need reading time (the prompt timeout rather than the message time). */
export const LONG_NOTICES: ReadonlySet<UiNotice['kind']> = new Set(['query', 'devices', 'settled', 'report', 'host', 'settle-failed']);

export function noticeLines(n: UiNotice, lang: Lang, procTitle?: string, cols = 20): string[] {
  const w = (k: WordKey) => word(k, lang, cols);
  switch (n.kind) {
    case 'not-available':
      return [procTitle ?? '', w('notAvailable')];
    case 'refused': {
      // The reason in words where the code has some, then the controller's own sentence (scroll with DOWN).
      const text = refusalText(n.message, n.code, lang);
      return [procTitle ?? w('notStarted'), ...(text === n.message ? wrap(n.message.toUpperCase(), cols) : [text, ...wrap(n.message.toUpperCase(), cols)])];
    }
    case 'wrong-password':
      return [w('wrongPassword'), `${w('triesLeft')} ${n.attemptsLeft}`];
    case 'locked':
      return [w('locked'), `${w('tryAgainIn')} ${minutes(n.forMs)} ${w('minutes')}`];
    case 'unknown-operator':
      return [w('unknownOperator')];
    case 'logged-in':
      return [w('loggedIn'), `${w('operator')} ${n.id}`];
    case 'logged-out':
      return n.id ? [n.auto ? w('autoLogout') : w('loggedOut'), `${w('operator')} ${n.id}`] : [w('nobodyLoggedIn')];
    case 'must-change':
      return [w('mustChange')];
    case 'password-changed':
      return [w('passwordChanged')];
    case 'password-weak':
      return [w('passwordWeak'), ...(lang === 'en' ? wrap(n.why.toUpperCase(), cols) : [])];
    case 'passwords-differ':
      return [w('passwordsDiffer')];
    case 'not-found':
      return [w('notFound')];
    case 'settled':
      return [w('settled'), `${w('batch')} ${n.totals.batch}`, ...totalsLines(n.totals, n.totals.currency, lang, cols), ...operatorLines(n.totals, lang, cols)];
    case 'nothing-to-settle':
      return [w('nothingToSettle'), `${w('batch')} ${n.batch}`];
    case 'settle-failed':
      return [w('settleFailed'), w('batchOpen'), ...wrap(n.reason.toUpperCase(), cols)];
    case 'report':
      return [`${w('batch')} ${n.totals.batch}`, ...totalsLines(n.totals, n.totals.currency, lang, cols), ...operatorLines(n.totals, lang, cols), w('printed')];
    case 'printed':
      return [w('printed')];
    case 'reprint-failed':
      return [w('reprintFailed'), ...(n.reason === 'nothing to reprint' ? [w('nothingToReprint')] : lang === 'en' ? wrap(n.reason.toUpperCase(), cols) : [])];
    case 'query':
      return foundLines(n.found, lang);
    case 'host':
      return n.ok ? [w('commTest'), w('signedOn')] : [w('commTest'), w('hostFailed'), ...(n.responseCode ? [`RC ${n.responseCode}`] : wrap((n.error ?? '').toUpperCase(), cols))];
    case 'devices':
      return [w('deviceStatus'), ...n.devices.flatMap((d) => wrap(`${d.name.toUpperCase()} ${d.ok ? w('ok') : `${w('fault')} ${d.code ?? ''}`.trim()}`, cols))];
    case 'paper': {
      const key: Record<typeof n.state, WordKey> = { ok: 'paperOk', low: 'paperLow', out: 'paperOut', 'cover-open': 'coverOpen', fault: 'printerFault', none: 'noPrinter' };
      return [w('paperStatus'), w(key[n.state])];
    }
    case 'language':
      return [word('languageSet', n.lang), word(n.lang === 'zh' ? 'chinese' : 'english', n.lang)];
    case 'time-set':
      return [w('timeSet'), formatDateTime(new Date(n.at))];
    case 'time-refused':
      return [w('timeRefused'), w(n.reason === 'busy' ? 'busy' : n.reason === 'saf-pending' ? 'safPending' : 'invalidDate')];
  }
}
