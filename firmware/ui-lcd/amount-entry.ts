// Amount entry on the keypad: digits shift in from the right (cents first), CLEAR deletes, OK confirms, CANCEL aborts.
import type { KeyEvent } from '../common/keys';
import type { Ui } from './ui';

export const MAX_AMOUNT_DIGITS = 10;

/** Applies one key to the digits typed so far; returns the new digits, or a verdict. */
export function amountKey(digits: string, key: KeyEvent['key']): string | { done: number } | { cancelled: true } {
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

/** Prompts for an amount; resolves with minor units, or undefined when the operator cancels. */
export function enterAmount(ui: Ui, title: string, currency: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    let digits = '';
    const draw = () => ui.show({ lines: [title, 'ENTER AMOUNT', `${currency} ${formatMinor(digits)}`.padStart(ui.cols), 'OK=CONFIRM'] }, onKey);
    const onKey = (e: KeyEvent) => {
      const next = amountKey(digits, e.key);
      if (typeof next === 'string') {
        digits = next;
        void draw();
      } else resolve('done' in next ? next.done : undefined);
    };
    void draw();
  });
}

/** A numbered list; resolves with the index picked (digit keys or UP/DOWN + OK), undefined on CANCEL. */
export function chooseFromMenu(ui: Ui, title: string, items: string[]): Promise<number | undefined> {
  return new Promise((resolve) => {
    let cursor = 0;
    const visible = Math.max(1, ui.rows - 1);
    const draw = () => {
      const top = Math.min(Math.max(0, cursor - visible + 1), Math.max(0, items.length - visible));
      const rows = items.slice(top, top + visible).map((it, i) => `${top + i + 1} ${it}`);
      void ui.show({ lines: [title, ...rows], highlight: cursor - top + 1 }, onKey);
    };
    const onKey = (e: KeyEvent) => {
      if (e.key === 'CANCEL') return resolve(undefined);
      if (e.key === 'OK') return resolve(cursor);
      if (e.key === 'DOWN') cursor = (cursor + 1) % items.length;
      else if (e.key === 'UP') cursor = (cursor + items.length - 1) % items.length;
      else if (/^[1-9]$/.test(e.key) && Number(e.key) <= items.length) return resolve(Number(e.key) - 1);
      draw();
    };
    draw();
  });
}
