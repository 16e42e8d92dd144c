// Amount entry on the keypad as pure functions: digits shift in from the right (cents first), CLEAR deletes, OK confirms.
import type { Key } from '../common/keys';

export const MAX_AMOUNT_DIGITS = 10;

/**
 * Applies one key to the digits typed so far; returns the new digits, or a verdict. A digit that would take the amount
 * above `max` (minor units) is ignored.
 */
export function amountKey(digits: string, key: Key, max = 10 ** MAX_AMOUNT_DIGITS - 1): string | { done: number } | { cancelled: true } {
  if (key === 'CANCEL') return { cancelled: true };
  if (key === 'OK') return Number(digits || '0') > 0 ? { done: Number(digits) } : digits;
  if (key === 'CLEAR') return digits.slice(0, -1);
  if (/^[0-9]$/.test(key)) {
    const next = (digits + key).replace(/^0+/, '');
    return next.length > MAX_AMOUNT_DIGITS || Number(next) > max ? digits : next;
  }
  return digits;
}

/** The digits typed as an amount with `exponent` decimals (`5005` → `50.05`). */
export function formatMinor(digits: string, exponent = 2): string {
  const n = Number(digits || '0');
  if (exponent === 0) return String(n);
  const unit = 10 ** exponent;
  return `${Math.floor(n / unit)}.${String(n % unit).padStart(exponent, '0')}`;
}
