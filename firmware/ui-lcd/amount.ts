// Amount entry on the keypad as pure functions: digits shift in from the right (cents first), CLEAR deletes, OK confirms.
import type { Key } from '../common/keys';

export const MAX_AMOUNT_DIGITS = 10;

/** Applies one key to the digits typed so far; returns the new digits, or a verdict. */
export function amountKey(digits: string, key: Key): string | { done: number } | { cancelled: true } {
  if (key === 'CANCEL') return { cancelled: true };
  if (key === 'OK') return Number(digits || '0') > 0 ? { done: Number(digits) } : digits;
  if (key === 'CLEAR') return digits.slice(0, -1);
  if (/^[0-9]$/.test(key)) return (digits + key).replace(/^0+/, '').slice(0, MAX_AMOUNT_DIGITS);
  return digits;
}

export function formatMinor(digits: string): string {
  const n = Number(digits || '0');
  return `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;
}
