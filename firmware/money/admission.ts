// Every rule that decides whether a transaction may start, and what an approved follow-up does to its original (and its undo).
import type { TerminalConfig } from '../board/schema';
import type { Journal } from '../journal/journal';
import type { CardRef } from '../journal/seal';
import type { TxnRecord, TxnType } from '../journal/types';
import type { Clock } from '../common/clock';

export type AdmissionCode = 'bad-request' | 'original-not-found' | 'original-not-allowed' | 'amount-exceeds' | 'original-wrong-type' | 'settlement-in-progress';

/** A refusal before anything is journaled: `field` is the JSON path of the request field at fault. */
export class AdmissionError extends Error {
  constructor(
    readonly code: AdmissionCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AdmissionError';
  }
}

/** Types that act on an original in the journal rather than on a card presented now. */
const ON_ORIGINAL: ReadonlySet<TxnType> = new Set(['void', 'refund', 'completion']);

export function refersToOriginal(type: TxnType): boolean {
  return ON_ORIGINAL.has(type);
}

/** Money taken from the customer that a refund or a void can give back: card sales, QR payments, completions. */
export const PAYMENTS: ReadonlySet<TxnType> = new Set(['sale', 'qr-sale', 'qr-present', 'completion']);

/** Approved by the host and still standing: not declined, voided, reversed or waiting for a reversal. */
export function isStanding(r: TxnRecord): boolean {
  return r.wasApproved === true && (r.state === 'approved' || r.state === 'completed') && !r.voidedBy;
}

/** What is left to refund of `o`, or to complete of a pre-auth hold. */
export function remaining(o: TxnRecord, type: TxnType): number {
  if (type === 'refund') return o.amount - (o.refunded ?? 0);
  if (type === 'completion') return o.amount - (o.completed ?? 0);
  return o.amount;
}

export type OriginalCheck = { ok: true } | { ok: false; code: Exclude<AdmissionCode, 'bad-request' | 'original-not-found' | 'settlement-in-progress'>; message: string };

/** When a pre-authorisation's hold runs out (`holdDays` after its approval). */
export function holdExpiresAt(preauth: TxnRecord, holdDays: number): number {
  const approvedAt = preauth.history.find((h) => h.state === 'approved')?.at ?? preauth.createdAt;
  return Date.parse(approvedAt) + holdDays * 86_400_000;
}

/** What the admission needs to know besides the original: the current batch, the time, the hold period. */
export interface OriginalContext {
  currentBatch: string;
  now: number;
  holdDays: number;
}

/**
 * The rules a void, refund or completion must meet against its original (checked before anything is sent).
 * Voids: a sale or a completion of the current batch for its whole amount (a completion's void restores the hold),
 * or a pre-authorisation not completed (the hold is cancelled). Refunds: within what is left of a sale or completion,
 * across batches. Completions: within the hold, before it expires.
 */
export function checkOriginal(type: TxnType, o: TxnRecord, amount: number, ctx: OriginalContext): OriginalCheck {
  const no = (code: Exclude<OriginalCheck, { ok: true }>['code'], message: string): OriginalCheck => ({ ok: false, code, message });
  if (o.state === 'reversed' || o.state === 'reversal-pending') return no('original-not-allowed', `original ${o.reference} was reversed`);
  if (o.voidedBy) return no('original-not-allowed', o.type === 'preauth' ? `the hold of ${o.reference} was cancelled` : `original ${o.reference} is already voided`);
  if (!isStanding(o)) return no('original-not-allowed', `original ${o.reference} is not an approved transaction (${o.state})`);
  switch (type) {
    case 'void':
      if (o.type === 'preauth') {
        if ((o.completed ?? 0) > 0) return no('original-not-allowed', `pre-authorisation ${o.reference} was completed in part: void the completion first`);
        if (amount !== o.amount) return no('amount-exceeds', `cancelling a hold is for its whole amount ${o.amount}, not ${amount}`);
        return { ok: true };
      }
      if (!PAYMENTS.has(o.type)) return no('original-wrong-type', `only a sale, a QR payment, a completion or a pre-authorisation can be voided; ${o.reference} is a ${o.type}`);
      if (o.batch !== ctx.currentBatch) return no('original-not-allowed', `original ${o.reference} is in batch ${o.batch}, already settled: refund it instead`);
      if ((o.refunded ?? 0) > 0) return no('original-not-allowed', `original ${o.reference} was partly refunded: refund the rest instead`);
      if (amount !== o.amount) return no('amount-exceeds', `a void is for the whole amount ${o.amount}, not ${amount}`);
      return { ok: true };
    case 'refund':
      if (!PAYMENTS.has(o.type)) return no('original-wrong-type', `only a sale, a QR payment or a completion can be refunded; ${o.reference} is a ${o.type}`);
      if (amount > remaining(o, 'refund')) return no('amount-exceeds', `refund of ${amount} exceeds what is left to refund (${remaining(o, 'refund')} of ${o.amount})`);
      return { ok: true };
    case 'completion':
      if (o.type !== 'preauth') return no('original-wrong-type', `only a pre-authorisation can be completed; ${o.reference} is a ${o.type}`);
      if (ctx.now > holdExpiresAt(o, ctx.holdDays)) return no('original-not-allowed', `the hold of ${o.reference} expired ${ctx.holdDays} days after its approval`);
      if (amount > remaining(o, 'completion')) return no('amount-exceeds', `completion of ${amount} exceeds the hold left (${remaining(o, 'completion')} of ${o.amount})`);
      return { ok: true };
    default:
      return no('original-wrong-type', `a ${type} does not refer to an original`);
  }
}

/** Reads a record of the journal (the originals of originals: a completion's pre-authorisation). */
export type RecordLookup = (id: string) => Promise<TxnRecord | undefined>;

/**
 * The records an approved void, refund or completion `rec` changes, written in the same synced batch as the approval:
 * its original, and for a completion's void the pre-authorisation whose hold comes back.
 */
export async function effectsOf(rec: TxnRecord, get: RecordLookup): Promise<TxnRecord[]> {
  const o = rec.original && (await get(rec.original.id));
  if (!o) return [];
  if (rec.type === 'refund') return [{ ...o, refunded: (o.refunded ?? 0) + rec.amount }];
  if (rec.type === 'completion') return [{ ...o, completed: (o.completed ?? 0) + rec.amount }];
  if (rec.type !== 'void') return [];
  const out: TxnRecord[] = [{ ...o, voidedBy: rec.id }];
  const hold = o.type === 'completion' && o.original ? await get(o.original.id) : undefined;
  if (hold) out.push({ ...hold, completed: Math.max(0, (hold.completed ?? 0) - o.amount) });
  return out;
}

/** {@link effectsOf} undone, for the reversal of the approved follow-up `rec` (same synced batch as the reversal). */
export async function undoEffectsOf(rec: TxnRecord, get: RecordLookup): Promise<TxnRecord[]> {
  const o = rec.original && (await get(rec.original.id));
  if (!o) return [];
  if (rec.type === 'refund') return [{ ...o, refunded: Math.max(0, (o.refunded ?? 0) - rec.amount) }];
  if (rec.type === 'completion') return [{ ...o, completed: Math.max(0, (o.completed ?? 0) - rec.amount) }];
  if (rec.type !== 'void' || o.voidedBy !== rec.id) return [];
  const out: TxnRecord[] = [{ ...o, voidedBy: undefined }];
  const hold = o.type === 'completion' && o.original ? await get(o.original.id) : undefined;
  if (hold) out.push({ ...hold, completed: (hold.completed ?? 0) + o.amount });
  return out;
}

/** How a request names its original: by ECR reference, RRN or trace number (current batch). */
export interface OriginalSelector {
  reference?: string;
  rrn?: string;
  stan?: string;
}

export interface AdmissionRequest {
  type: TxnType;
  amount?: number;
  currency?: string;
  original?: OriginalSelector;
}

/**
 * A request that may start: amounts resolved, its original (if any) and the original's stored card data. A follow-up
 * whose original's card data is gone (its batch was settled) has none: the card is presented again.
 */
export interface Admitted {
  type: TxnType;
  amount: number;
  currency: string;
  original?: TxnRecord;
  storedCard?: CardRef;
}

export interface AdmissionDeps {
  journal: Journal;
  terminal: TerminalConfig;
  clock: Clock;
  /** Days a pre-authorisation holds funds (board policy; the host releases them after its own period). */
  holdDays: number;
  /** The duplicate guard's memory (money/duplicate-guard.ts). */
  duplicates: { matches(rec: TxnRecord): Promise<boolean> };
}

export class Admission {
  constructor(private readonly deps: AdmissionDeps) {}

  /** Looks an original up by reference, RRN or trace number (current batch). */
  async findOriginal(sel: OriginalSelector): Promise<TxnRecord | undefined> {
    const j = this.deps.journal;
    if (sel.reference) return j.byReference(sel.reference);
    if (sel.rrn) return j.byRrn(sel.rrn);
    if (sel.stan) return j.byStan(await j.batchNumber(), sel.stan.padStart(6, '0'));
    return undefined;
  }

  /** Decides whether `req` may start. Throws AdmissionError naming what was wrong; nothing is written either way. */
  async admit(req: AdmissionRequest): Promise<Admitted> {
    const { journal, terminal } = this.deps;
    const settling = journal.settling();
    if (settling) {
      throw new AdmissionError('settlement-in-progress', `settlement of batch ${settling.batch} is in progress (the host has not confirmed it yet); transactions start again once it is closed`);
    }
    const currency = req.currency ?? terminal.currency;
    if (currency !== terminal.currency) throw new AdmissionError('bad-request', `currency ${currency} is not this terminal's currency (${terminal.currency})`, '$.currency');
    if (req.type === 'balance') {
      if (req.amount) throw new AdmissionError('bad-request', 'a balance inquiry takes no amount', '$.amount');
      if (req.original) throw new AdmissionError('bad-request', 'a balance inquiry refers to no original', '$.original');
      return { type: req.type, amount: 0, currency };
    }
    if (!refersToOriginal(req.type)) {
      if (req.original) throw new AdmissionError('bad-request', `a ${req.type} refers to no original`, '$.original');
      return { type: req.type, amount: positive(req.type, req.amount), currency };
    }
    const sel = req.original;
    if (!sel || !(sel.reference || sel.rrn || sel.stan)) throw new AdmissionError('bad-request', `a ${req.type} needs original.reference, original.rrn or original.stan`, '$.original');
    const original = await this.findOriginal(sel);
    if (!original) throw new AdmissionError('original-not-found', `no original transaction matching ${JSON.stringify(sel)}`, '$.original');
    const amount = req.type === 'void' && req.amount === undefined ? original.amount : positive(req.type, req.amount);
    const check = checkOriginal(req.type, original, amount, { currentBatch: await journal.batchNumber(), now: this.deps.clock.now(), holdDays: this.deps.holdDays });
    if (!check.ok) throw new AdmissionError(check.code, check.message, check.code === 'amount-exceeds' ? '$.amount' : '$.original');
    const storedCard = journal.cardOf(original);
    return { type: req.type, amount, currency, original, ...(storedCard ? { storedCard } : {}) };
  }

  /** Whether `rec` (card attached) looks like an approved sale of the same card and amount made a moment ago. */
  possibleDuplicate(rec: TxnRecord): Promise<boolean> {
    return this.deps.duplicates.matches(rec);
  }
}

function positive(type: TxnType, amount: number | undefined): number {
  if (amount === undefined || !(Number.isInteger(amount) && amount > 0)) throw new AdmissionError('bad-request', `a ${type} needs a positive amount in minor units`, '$.amount');
  return amount;
}
