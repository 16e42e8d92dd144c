// Input screens other than amounts, as pure functions: trace and reference numbers, operator id, masked passwords, date and time.
import type { Key } from '../common/keys';
import { amountKey } from './amount';
import type { InputKind } from './procedures';

/** Longest entry per kind. */
const MAX_LENGTH: Record<InputKind, number> = { amount: 10, trace: 6, 'trace-or-rrn': 12, operator: 2, password: 12, datetime: 12 };

/** Applies a digit or CLEAR to an entry; other keys leave it as it is. `maxAmount` caps amounts (minor units). */
export function editEntry(kind: InputKind, entry: string, key: Key, maxAmount?: number): string {
  if (kind === 'amount') {
    const r = amountKey(entry, key, maxAmount);
    return typeof r === 'string' ? r : entry;
  }
  if (key === 'CLEAR') return entry.slice(0, -1);
  if (/^[0-9]$/.test(key) && entry.length < MAX_LENGTH[kind]) return entry + key;
  return entry;
}

/** A complete date and time `YYYYMMDDhhmm` as local epoch ms, or undefined when it is no real time. */
export function parseDateTime(entry: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(entry);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  const t = new Date(y, mo - 1, d, h, mi);
  if (y < 2000 || t.getFullYear() !== y || t.getMonth() !== mo - 1 || t.getDate() !== d || t.getHours() !== h || t.getMinutes() !== mi) return undefined;
  return t.getTime();
}

/** The value OK stores for an entry, or undefined when OK is not accepted yet (too short, zero amount, no such date). */
export function entryValue(kind: InputKind, entry: string): string | undefined {
  switch (kind) {
    case 'amount':
      return Number(entry || '0') > 0 ? String(Number(entry)) : undefined;
    case 'trace':
      return entry.length >= 1 ? entry : undefined;
    case 'trace-or-rrn':
      return entry.length >= 1 && (entry.length <= 6 || entry.length === 12) ? entry : undefined;
    case 'operator':
      return entry.length === 2 ? entry : undefined;
    case 'password':
      return entry.length >= 4 ? entry : undefined;
    case 'datetime': {
      const t = parseDateTime(entry);
      return t === undefined ? undefined : String(t);
    }
  }
}

/** What the screen shows of an entry: passwords as stars, a date as `2026-11-30 09:05` filled in as typed. */
export function shownEntry(kind: InputKind, entry: string): string {
  if (kind === 'password') return '*'.repeat(entry.length);
  if (kind === 'datetime') {
    const d = entry.padEnd(12, '_');
    return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)} ${d.slice(8, 10)}:${d.slice(10, 12)}`;
  }
  return entry;
}
