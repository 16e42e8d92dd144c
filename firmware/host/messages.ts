// Terminal-side ISO 8583 messages per docs/host-messages.md: requests built from journal records, replies checked.
import type { IsoMessage } from './iso8583';
import type { TerminalConfig } from '../board/schema';
import type { CardRef } from '../journal/seal';
import type { SentRequest, TxnRecord, TxnType } from '../journal/types';

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Field 7 (UTC MMDDhhmmss), 12 (local hhmmss) and 13 (local MMDD) for `now`. */
export function timeFields(now: Date): Pick<SentRequest, 'transmissionDateTime' | 'localTime' | 'localDate'> {
  return {
    transmissionDateTime: `${pad2(now.getUTCMonth() + 1)}${pad2(now.getUTCDate())}${pad2(now.getUTCHours())}${pad2(now.getUTCMinutes())}${pad2(now.getUTCSeconds())}`,
    localTime: `${pad2(now.getHours())}${pad2(now.getMinutes())}${pad2(now.getSeconds())}`,
    localDate: `${pad2(now.getMonth() + 1)}${pad2(now.getDate())}`,
  };
}

interface Profile {
  mti: string;
  processingCode: string;
  conditionCode: string;
}

const PROFILES: Record<TxnType, Profile> = {
  sale: { mti: '0200', processingCode: '000000', conditionCode: '00' },
  balance: { mti: '0200', processingCode: '310000', conditionCode: '00' },
  preauth: { mti: '0100', processingCode: '030000', conditionCode: '06' },
  completion: { mti: '0200', processingCode: '000000', conditionCode: '06' },
  void: { mti: '0200', processingCode: '200000', conditionCode: '00' },
  refund: { mti: '0220', processingCode: '200000', conditionCode: '00' },
  'qr-sale': { mti: '0200', processingCode: '000000', conditionCode: '00' },
  'qr-present': { mti: '0200', processingCode: '000000', conditionCode: '00' },
};

/** How the card was captured, for field 22 (a QR payment: the customer's code scanned, or the terminal's QR shown). */
export type CardEntry = { kind: 'stored' } | { kind: 'swipe'; pin: boolean; fallback: boolean } | { kind: 'qr' };

/** POS entry mode (field 22) for how the card and PIN were taken. */
export function entryModeFor(entry: CardEntry): string {
  if (entry.kind === 'stored') return '012';
  if (entry.kind === 'qr') return '032';
  if (entry.fallback) return entry.pin ? '801' : '802';
  return entry.pin ? '021' : '022';
}

/** A void of a pre-authorisation cancels the hold (预授权撤销); a void of a completion reverses it (预授权完成撤销). */
const VOID_OF: Partial<Record<TxnType, Profile>> = {
  preauth: { mti: '0100', processingCode: '200000', conditionCode: '06' },
  completion: { mti: '0200', processingCode: '200000', conditionCode: '06' },
};

/** The MTI, processing code and condition code a record is sent with (docs/host-messages.md). */
export function profileOf(rec: Pick<TxnRecord, 'type' | 'original'>): Profile {
  return (rec.type === 'void' && rec.original?.type && VOID_OF[rec.original.type]) || PROFILES[rec.type];
}

/** The request header a record is sent with; stored in the journal before sending. */
export function sentRequestFor(rec: TxnRecord, entryMode: string, now: Date): SentRequest {
  return { ...profileOf(rec), entryMode, ...timeFields(now) };
}

/** What a request carries that is never stored: track 2, the PIN block with its KSN, a customer's QR payment code. */
export interface Secrets {
  track2?: string;
  pinBlock?: Buffer;
  ksn?: Buffer;
  paymentCode?: string;
}

/** Field 48 of a QR payment and of its follow-ups: `key=value;...` (docs/host-messages.md). */
export function qrField48(rec: Pick<TxnRecord, 'type' | 'qr' | 'original'>, secrets: Secrets, originalQr?: TxnRecord['qr']): string | undefined {
  if (rec.type === 'qr-sale') return `type=qr;mode=scan;wallet=${rec.qr?.wallet};code=${secrets.paymentCode ?? ''}`;
  if (rec.type === 'qr-present') return `type=qr;mode=present;wallet=${rec.qr?.wallet}`;
  if (originalQr?.order) return `order=${originalQr.order};wallet=${originalQr.wallet}`;
  return undefined;
}

/** Field 48 of a QR answer: status (paid, confirming, waiting, declined, closed, reversed), the wallet's order. */
export function parseQrAnswer(reply: IsoMessage): { status?: string; order?: string; wallet?: string } {
  const out: Record<string, string> = {};
  for (const part of text(reply.fields[48])?.split(';') ?? []) {
    const at = part.indexOf('=');
    if (at > 0) out[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return { status: out.status, order: out.order || undefined, wallet: out.wallet || undefined };
}

function common(rec: TxnRecord, req: SentRequest, terminal: TerminalConfig): Record<number, string | Buffer> {
  return {
    3: req.processingCode,
    7: req.transmissionDateTime,
    11: rec.stan,
    12: req.localTime,
    13: req.localDate,
    22: req.entryMode,
    25: req.conditionCode,
    41: terminal.terminalId,
    42: terminal.merchantId,
    49: rec.currencyNumeric,
    60: rec.batch,
    62: rec.reference,
  };
}

/** Field 61: original STAN + batch + local date. */
export function originalData(o: { stan: string; batch: string; localDate: string }): string {
  return `${o.stan}${o.batch}${o.localDate}`;
}

/** The authorisation request for a record already journaled as `sending` (`originalQr`: the QR data of its original). */
export function buildRequest(rec: TxnRecord, terminal: TerminalConfig, secrets: Secrets, card?: CardRef, originalQr?: TxnRecord['qr']): IsoMessage {
  const req = rec.request;
  if (!req) throw new Error(`record ${rec.id} has no request header: journal it as sending first`);
  const fields = common(rec, req, terminal);
  if (rec.type !== 'balance') fields[4] = String(rec.amount).padStart(12, '0');
  const f48 = qrField48(rec, secrets, originalQr);
  if (f48) fields[48] = f48;
  if (rec.type === 'qr-sale' || rec.type === 'qr-present') {
    if (rec.type === 'qr-sale' && !secrets.paymentCode) throw new Error(`record ${rec.id}: a QR sale needs the customer's payment code`);
  } else if (rec.original && originalQr) {
    if (rec.original.rrn) fields[37] = rec.original.rrn;
    fields[61] = originalData(rec.original);
  } else if (rec.original) {
    // The card presented again (track 2) once the original's stored card data is gone, else that data (fields 2, 14).
    if (secrets.track2) fields[35] = secrets.track2;
    else if (card) {
      fields[2] = card.pan;
      fields[14] = card.expiry;
    } else throw new Error(`record ${rec.id}: a ${rec.type} needs the original's card data or the card`);
    if (rec.original.rrn) fields[37] = rec.original.rrn;
    if (rec.type === 'completion' && rec.original.authCode) fields[38] = rec.original.authCode;
    fields[61] = originalData(rec.original);
  } else {
    if (!secrets.track2) throw new Error(`record ${rec.id}: a ${rec.type} needs track 2`);
    fields[35] = secrets.track2;
  }
  if (secrets.pinBlock && secrets.ksn) {
    fields[52] = secrets.pinBlock;
    fields[53] = secrets.ksn;
  }
  return { mti: req.mti, fields };
}

/** 0400 (first) or 0401 (repeat) reversing `rec`, from the journal alone. */
export function buildReversal(rec: TxnRecord, terminal: TerminalConfig, card: CardRef | undefined, repeat: boolean): IsoMessage {
  const req = rec.request;
  if (!req) throw new Error(`record ${rec.id} was never sent: nothing to reverse`);
  const fields = common(rec, req, terminal);
  if (rec.type !== 'balance') fields[4] = String(rec.amount).padStart(12, '0');
  if (card) {
    fields[2] = card.pan;
    fields[14] = card.expiry;
  }
  if (rec.original) fields[61] = originalData(rec.original);
  fields[90] = `${req.mti}${rec.stan}${req.transmissionDateTime}${'0'.repeat(22)}`;
  return { mti: repeat ? '0401' : '0400', fields };
}

/** Settlement totals as field 63 carries them (money/settlement computes them from the journal). */
export interface SettlementTotals {
  debitCount: number;
  debitAmount: number;
  creditCount: number;
  creditAmount: number;
}

/** Field 63: debit count (3) + amount (12) + credit count (3) + amount (12). */
export function field63(t: SettlementTotals): string {
  const n = (v: number, w: number) => String(v).padStart(w, '0');
  return n(t.debitCount, 3) + n(t.debitAmount, 12) + n(t.creditCount, 3) + n(t.creditAmount, 12);
}

/** 0500 settlement request (0501 when a 0500 with these totals may already have reached the host): 70 = `201` (first) or `202` (after a batch upload). */
export function buildSettlement(batch: string, totals: SettlementTotals, code: '201' | '202', stan: string, terminal: TerminalConfig, now: Date, repeat = false): IsoMessage {
  return {
    mti: repeat ? '0501' : '0500',
    fields: { 7: timeFields(now).transmissionDateTime, 11: stan, 41: terminal.terminalId, 42: terminal.merchantId, 60: batch, 63: field63(totals), 70: code },
  };
}

/** 0320 batch upload of one counted record, with its own trace number (docs/host-messages.md). */
export function buildBatchUpload(rec: TxnRecord, batch: string, terminal: TerminalConfig, card: CardRef | undefined): IsoMessage {
  const fields: Record<number, string | Buffer> = {
    3: rec.request?.processingCode ?? '000000',
    4: String(rec.amount).padStart(12, '0'),
    11: rec.stan,
    37: rec.rrn ?? '',
    38: rec.authCode ?? '',
    41: terminal.terminalId,
    42: terminal.merchantId,
    60: batch,
    61: originalData({ stan: rec.stan, batch: rec.batch, localDate: rec.request?.localDate ?? '0000' }),
    62: rec.reference,
  };
  if (card) fields[2] = card.pan;
  return { mti: '0320', fields };
}

/** Field 54 `10 02 156 C 000000012345`: the balance in minor units (negative when the account is in debit). */
export function parseBalance(field54?: string): number | undefined {
  if (!field54 || field54.length < 20 || !/^\d{12}$/.test(field54.slice(8, 20))) return undefined;
  const minor = Number(field54.slice(8, 20));
  return field54[7] === 'D' ? -minor : minor;
}

/** 0800 sign-on (001) or echo (301). */
export function buildNetwork(kind: 'sign-on' | 'echo', stan: string, terminal: TerminalConfig, now: Date): IsoMessage {
  const t = timeFields(now);
  return { mti: '0800', fields: { 7: t.transmissionDateTime, 11: stan, 41: terminal.terminalId, 42: terminal.merchantId, 70: kind === 'sign-on' ? '001' : '301' } };
}

/** 0820/371 status query for a record whose outcome is unknown (or a QR order still open); 372 closes a QR order. */
export function buildStatusQuery(rec: TxnRecord, stan: string, terminal: TerminalConfig, now: Date, code: '371' | '372' = '371'): IsoMessage {
  const t = timeFields(now);
  return {
    mti: '0820',
    fields: { 7: t.transmissionDateTime, 11: stan, 41: terminal.terminalId, 42: terminal.merchantId, 61: originalData({ stan: rec.stan, batch: rec.batch, localDate: rec.request?.localDate ?? t.localDate }), 62: rec.reference, 70: code },
  };
}

const text = (v: string | Buffer | undefined) => (v === undefined ? undefined : Buffer.isBuffer(v) ? v.toString('latin1') : v);

export type ReplyCheck =
  | { ok: true; responseCode: string; rrn?: string; authCode?: string; balance?: string; /** Field 48 (loyalty points). */ additional?: string }
  | { ok: false; why: string };

/**
 * Checks an authorisation reply against its request. A reply that does not answer this request
 * exactly (missing response code, different amount or reference) leaves the outcome unknown.
 */
export function checkReply(request: IsoMessage, reply: IsoMessage): ReplyCheck {
  const rc = text(reply.fields[39]);
  if (!rc || !/^[0-9A-Z]{2}$/.test(rc)) return { ok: false, why: 'reply has no valid response code (39)' };
  for (const f of [4, 11, 62]) {
    const a = text(request.fields[f]);
    const b = text(reply.fields[f]);
    if (a !== undefined && b !== undefined && a.trim() !== b.trim()) return { ok: false, why: `reply field ${f} does not match the request` };
  }
  const rrn = text(reply.fields[37])?.trim();
  const authCode = text(reply.fields[38])?.trim();
  if (rc === '00' && !rrn) return { ok: false, why: 'approval without an RRN (37)' };
  return { ok: true, responseCode: rc, rrn: rrn || undefined, authCode: authCode || undefined, balance: text(reply.fields[54]), additional: text(reply.fields[48]) };
}
