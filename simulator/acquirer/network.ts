// Network management (0800 sign-on 001 / echo 301) and status query (0820, 70 = 371): answers only, nothing posted.
import type { IsoMessage } from '../../firmware/host/iso8583';
import { hostDateTime, parseOriginalData, text } from './iso-fields';
import type { Ledger } from './ledger';
import type { LedgerEntry } from './types';

/** Response fields (besides the echoed ones) of a 0800; 12 for an unknown network management code. */
export function networkManagement(msg: IsoMessage, now: Date): Record<number, string> {
  const code = text(msg, 70);
  if (code === '001') return { 7: hostDateTime(now), 39: '00' };
  if (code === '301') return { 39: '00' };
  return { 39: '12' };
}

/** The entry a status query or close names: same terminal, the STAN, batch and local date of field 61. */
export function findByOriginalData(ledger: Ledger, msg: IsoMessage): LedgerEntry | undefined {
  const o = parseOriginalData(text(msg, 61));
  const tid = text(msg, 41).trimEnd();
  return o ? ledger.find((e) => e.terminalId === tid && e.stan === o.stan && e.batch === o.batch && e.localDate === o.localDate) : undefined;
}

/**
 * 0820/371: the entry with the STAN, batch and local date of field 61. 39 = its response code, 48 =
 * `status=<approved|declined|reversed|voided>`, 37 and 38 when it has them; unknown: 39 = 25, `status=unknown`.
 */
export function statusQuery(ledger: Ledger, msg: IsoMessage): Record<number, string> {
  if (text(msg, 70) !== '371') return { 39: '12' };
  const entry = findByOriginalData(ledger, msg);
  if (!entry) return { 39: '25', 48: 'status=unknown' };
  const out: Record<number, string> = { 39: entry.responseCode, 48: `status=${entry.status}`, 37: entry.rrn };
  if (entry.authCode) out[38] = entry.authCode;
  return out;
}
