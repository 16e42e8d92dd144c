// QR wallets at the acquirer: payment codes the merchant scans (B扫C) and orders for a QR the terminal shows (C扫B),
// with the magic payment codes of docs/acquirer-simulator.md: ...0000 pays, ...0001 confirms twice then pays,
// ...0002 confirms for ever, ...0051 insufficient funds, ...0091 no answer at all.
import type { IsoMessage } from '../../firmware/host/iso8583';
import { text } from './iso-fields';
import type { EntryStatus, LedgerEntry } from './types';

/** Field 48 as `key=value;key=value` (docs/host-messages.md, QR payments). */
export function fields48(msg: IsoMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text(msg, 48).split(';')) {
    const at = part.indexOf('=');
    if (at > 0) out[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return out;
}

/** A QR payment request (field 48 `type=qr`): `scan` carries the customer's code, `present` opens an order. */
export function qrRequest(msg: IsoMessage): { mode: 'scan' | 'present'; wallet: string; code?: string } | undefined {
  const f = fields48(msg);
  if (f.type !== 'qr' || (f.mode !== 'scan' && f.mode !== 'present')) return undefined;
  return { mode: f.mode, wallet: f.wallet ?? 'unknown', code: f.code };
}

export interface QrDecision {
  rc: string;
  status: EntryStatus;
  /** No answer at all (…0091). */
  silent: boolean;
}

const masked = (code: string) => `${code.slice(0, 4)}${'*'.repeat(Math.max(0, code.length - 8))}${code.slice(-4)}`;

/** The host's first answer to a QR payment: by the magic suffix of a scanned code; an order for a presented QR waits. */
export function decideQr(q: { mode: 'scan' | 'present'; code?: string }): QrDecision {
  if (q.mode === 'present') return { rc: '09', status: 'pending', silent: false };
  const code = q.code ?? '';
  if (!/^\d{16,24}$/.test(code)) return { rc: '14', status: 'declined', silent: false };
  switch (code.slice(-4)) {
    case '0001':
    case '0002':
      return { rc: '09', status: 'pending', silent: false };
    case '0051':
      return { rc: '51', status: 'declined', silent: false };
    case '0091':
      return { rc: '09', status: 'pending', silent: true };
    default:
      return { rc: '00', status: 'approved', silent: false };
  }
}

/** What a QR ledger entry keeps of the request. */
export function qrDetails(q: { mode: 'scan' | 'present'; wallet: string; code?: string }, orderNo: string): NonNullable<LedgerEntry['qr']> {
  return { wallet: q.wallet, mode: q.mode, payer: q.code ? masked(q.code) : null, orderNo, queries: 0 };
}

/** Whether nothing about this order is ever answered (…0091): queries get no answer either. */
export function silentOrder(e: LedgerEntry): boolean {
  return e.qr?.mode === 'scan' && e.qr.payer?.endsWith('0091') === true;
}

/**
 * A status query on a QR entry still pending: …0001 is paid at the third query; …0002 and open orders stay pending.
 * Returns the entry as it is after the query (a copy; `changed` when it must be written).
 */
export function queryQr(e: LedgerEntry, now: Date): { entry: LedgerEntry; changed: boolean } {
  if (e.status !== 'pending' || !e.qr) return { entry: e, changed: false };
  const queries = e.qr.queries + 1;
  if (e.qr.mode === 'scan' && e.qr.payer?.endsWith('0001') && queries >= 3) return { entry: paid({ ...e, qr: { ...e.qr, queries } }, now), changed: true };
  return { entry: { ...e, qr: { ...e.qr, queries } }, changed: true };
}

/** The order paid now: approved, with an auth code (the RRN was given when it was created). */
export function paid(e: LedgerEntry, now: Date, authCode = e.authCode ?? authFor(e)): LedgerEntry {
  return { ...e, status: 'approved', responseCode: '00', authCode, qr: e.qr ? { ...e.qr, paidAt: now.toISOString() } : e.qr };
}

const authFor = (e: LedgerEntry) => `Q${e.id.slice(-5)}`;

/** Closing an order (C扫B expiry or cancel): paid if the customer paid (or pays right now, `payAtClose`), else closed. */
export function closeQr(e: LedgerEntry, now: Date): LedgerEntry {
  if (e.status !== 'pending') return e;
  if (e.qr?.payAtClose) return paid(e, now);
  return { ...e, status: 'closed', responseCode: '12' };
}

/** The answer fields describing a QR order: 39, 48 (status, order, wallet), 37 and 38 once paid. */
export function qrAnswer(e: LedgerEntry): Record<number, string> {
  const status = e.status === 'approved' ? 'paid' : e.status === 'pending' ? (e.qr?.mode === 'present' ? 'waiting' : 'confirming') : e.status;
  const out: Record<number, string> = { 39: e.status === 'pending' ? '09' : e.responseCode, 48: `status=${status};order=${e.qr?.orderNo ?? ''};wallet=${e.qr?.wallet ?? ''}`, 37: e.rrn };
  if (e.status === 'approved' && e.authCode) out[38] = e.authCode;
  return out;
}
