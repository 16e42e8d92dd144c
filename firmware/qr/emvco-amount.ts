// EMV QR amounts (tags 54, 56): minor units <-> "23.72" text with a "." decimal mark and no separators.
import { QrError } from './errors';
import { amountProblem } from './emvco-tags';

/** Longest amount tag 54 holds, in characters. */
export const MAX_AMOUNT_CHARS = 13;

function checkDecimals(decimals: number, field: string): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 4) {
    throw new QrError('invalid-spec', `expected the currency's number of decimals (ISO 4217 minor unit, 0-4), got ${JSON.stringify(decimals)}`, { field });
  }
}

/**
 * Formats an amount in minor units as tag 54 writes it: digits, "." before exactly `decimals` decimals
 * (none for a currency without minor units), no thousands separators. 2372 with 2 decimals is "23.72", 5 is "0.05".
 * @throws QrError `invalid-spec` (field `amountMinor` or `currencyDecimals`) for a non-positive or unsafe
 *   integer, bad decimals, or an amount longer than 13 characters.
 */
export function formatAmount(amountMinor: number, decimals: number): string {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
    throw new QrError('invalid-spec', `expected a positive whole number of minor units, got ${JSON.stringify(amountMinor)}`, { field: 'amountMinor' });
  }
  checkDecimals(decimals, 'currencyDecimals');
  const digits = String(amountMinor).padStart(decimals + 1, '0');
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  if (text.length > MAX_AMOUNT_CHARS) {
    throw new QrError('invalid-spec', `amount ${text} has ${text.length} characters; tag 54 holds at most ${MAX_AMOUNT_CHARS}`, { field: 'amountMinor', tag: '54' });
  }
  return text;
}

/**
 * Reads an amount as written in tag 54 or 56 into minor units of a currency with `decimals` decimals:
 * "23.72" with 2 is 2372, "23.7" and "23." and "23" are 2370 and 2300 and 2300.
 * @throws QrError `bad-value` for text that is not an amount or has more decimals than the currency.
 */
export function amountToMinor(amount: string, decimals: number): number {
  const bad = amountProblem(amount);
  if (bad) throw new QrError('bad-value', bad, { tag: '54' });
  checkDecimals(decimals, 'decimals');
  const [whole = '', fraction = ''] = amount.split('.');
  if (fraction.length > decimals) {
    throw new QrError('bad-value', `amount ${JSON.stringify(amount)} has ${fraction.length} decimals; the currency has ${decimals}`, { tag: '54' });
  }
  const minor = Number(whole + fraction.padEnd(decimals, '0'));
  if (!Number.isSafeInteger(minor)) throw new QrError('bad-value', `amount ${JSON.stringify(amount)} is too large`, { tag: '54' });
  return minor;
}
