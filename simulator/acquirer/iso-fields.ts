// Field formats of the host message profile (docs/host-messages.md): MTIs, fields 54/61/63/90, RRN, auth code, host time.
import { randomInt } from 'node:crypto';
import type { IsoMessage } from '../../firmware/host/iso8583';
import { ZERO_TOTALS, type BatchTotals } from './types';

/** A field as text ('' when absent; binary fields as latin1). */
export function text(msg: IsoMessage, field: number): string {
  const v = msg.fields[field];
  if (v === undefined) return '';
  return typeof v === 'string' ? v : Buffer.from(v).toString('latin1');
}

/** Whether the field is present (and not empty). */
export function has(msg: IsoMessage, field: number): boolean {
  const v = msg.fields[field];
  return v !== undefined && v.length > 0;
}

/**
 * The response MTI for a request, advice or repeat MTI (function digit 0 or 2: +1, origin digit 0), e.g.
 * 0200 -> 0210, 0221 -> 0230, 0401 -> 0410. Undefined for anything that is not a request (responses are not answered).
 */
export function responseMti(mti: string): string | undefined {
  if (!/^\d{4}$/.test(mti)) return undefined;
  const fn = Number(mti[2]);
  const origin = Number(mti[3]);
  if ((fn !== 0 && fn !== 2) || origin > 1) return undefined;
  return `${mti.slice(0, 2)}${fn + 1}0`;
}

/** A repeat (xxx1): 0401, 0221. */
export const isRepeat = (mti: string): boolean => mti[3] === '1';

/** Field 61: original STAN (6) + batch (6) + local date MMDD (4). */
export function parseOriginalData(value: string): { stan: string; batch: string; localDate: string } | undefined {
  const m = /^(\d{6})(\d{6})(\d{4})$/.exec(value);
  return m ? { stan: m[1], batch: m[2], localDate: m[3] } : undefined;
}

/** Field 90: original MTI (4) + STAN (6) + transmission date-time (10) + two 11-digit institution ids. */
export function parseOriginalElements(value: string): { mti: string; stan: string; transmissionDateTime: string } | undefined {
  const m = /^(\d{4})(\d{6})(\d{10})\d{22}$/.exec(value);
  return m ? { mti: m[1], stan: m[2], transmissionDateTime: m[3] } : undefined;
}

/** Field 63: debit count (3) + debit amount (12) + credit count (3) + credit amount (12). */
export function parseTotals(value: string): BatchTotals | undefined {
  const m = /^(\d{3})(\d{12})(\d{3})(\d{12})$/.exec(value);
  return m ? { debitCount: Number(m[1]), debitAmount: Number(m[2]), creditCount: Number(m[3]), creditAmount: Number(m[4]) } : undefined;
}

export function formatTotals(t: BatchTotals): string {
  return `${pad(t.debitCount, 3)}${pad(t.debitAmount, 12)}${pad(t.creditCount, 3)}${pad(t.creditAmount, 12)}`;
}

export function sameTotals(a: BatchTotals, b: BatchTotals): boolean {
  return (Object.keys(ZERO_TOTALS) as Array<keyof BatchTotals>).every((k) => a[k] === b[k]);
}

/** Field 54: account type 10 + amount type 02 (available) + currency (3) + C/D + amount (12). */
export function formatBalance(currency: string, amount: number): string {
  return `1002${currency}${amount < 0 ? 'D' : 'C'}${pad(Math.abs(amount), 12)}`;
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Field 7 as the host stamps it: MMDDhhmmss UTC. */
export function hostDateTime(now: Date): string {
  return `${pad(now.getUTCMonth() + 1, 2)}${pad(now.getUTCDate(), 2)}${pad(now.getUTCHours(), 2)}${pad(now.getUTCMinutes(), 2)}${pad(now.getUTCSeconds(), 2)}`;
}

/** RRN (12 digits): last digit of the year, day of the year (3), hour (2), then the sequence (6). */
export function makeRrn(now: Date, seq: number): string {
  const start = Date.UTC(now.getUTCFullYear(), 0, 1);
  const day = Math.floor((now.getTime() - start) / 86_400_000) + 1;
  return `${now.getUTCFullYear() % 10}${pad(day, 3)}${pad(now.getUTCHours(), 2)}${pad(seq % 1_000_000, 6)}`;
}

const AUTH_CHARS = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A 6-character approval code (digits and upper-case letters, no I or O). */
export function makeAuthCode(random: (max: number) => number = (max) => randomInt(0, max)): string {
  let out = '';
  for (let i = 0; i < 6; i++) out += AUTH_CHARS[random(AUTH_CHARS.length)];
  return out;
}
