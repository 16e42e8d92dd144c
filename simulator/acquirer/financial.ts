// Authorisation decisions for sale, pre-auth, balance, completion, void and refund (pure: reads the ledger, writes nothing).
import type { IsoMessage } from '../../firmware/host/iso8583';
import { maskPan } from '../../firmware/log';
import { availableBalance, checkPin, readCard, type BdkSet } from './card-checks';
import { cardProfile, isExpired, luhnValid, magicResponse } from './cards';
import { parseOriginalData, text } from './iso-fields';
import type { Ledger } from './ledger';
import type { EntryKind, LedgerEntry } from './types';

/** What the request handlers need from the host. */
export interface HostContext {
  ledger: Ledger;
  bdk: BdkSet;
  now: () => Date;
  /** Days a pre-authorisation holds funds; after that the hold is released and cannot be completed. */
  holdDays: number;
}

/** Response code for a card presented again that does not belong to the original (docs/acquirer-simulator.md). */
export const NOT_THE_ORIGINAL_CARD = '56';

/** Whether a pre-authorisation's hold was released by time. */
export function holdExpired(ctx: HostContext, preauth: LedgerEntry): boolean {
  return ctx.now().getTime() - Date.parse(preauth.createdAt) > ctx.holdDays * 86_400_000;
}

/** The host's answer to one financial request, before it is posted. */
export interface Decision {
  /** Response code (39). */
  rc: string;
  /** False for requests that are not transactions at all (card data unreadable): answered, never posted. */
  post: boolean;
  maskedPan: string | null;
  /** The card's PAN, in memory only: the processor seals it into the entry (CardVault), never stores it as is. */
  pan: string | null;
  /** The entry a void, refund or completion refers to. */
  original?: LedgerEntry;
  /** Balance inquiries: the available balance (field 54). */
  balance?: number;
  /** On approval: updated copies of other entries (given the new entry's id). */
  effects?: (newId: string) => LedgerEntry[];
}

const amountOf = (msg: IsoMessage): number => Number(text(msg, 4) || '0');

/** Decides a financial request of a known kind whose mandatory fields were checked. */
export function authorise(ctx: HostContext, msg: IsoMessage, kind: EntryKind): Decision {
  if (kind === 'sale' || kind === 'preauth' || kind === 'balance') return cardPresent(ctx, msg, kind);
  if (kind === 'qr-sale' || kind === 'qr-present') throw new Error('QR payments are decided by the wallet');
  return referenced(ctx, msg, kind);
}

function cardPresent(ctx: HostContext, msg: IsoMessage, kind: 'sale' | 'preauth' | 'balance'): Decision {
  const card = readCard(msg);
  if (!card) return { rc: '30', post: false, maskedPan: null, pan: null };
  const d = (rc: string, extra: Partial<Decision> = {}): Decision => ({ rc, post: true, maskedPan: maskPan(card.pan), pan: card.pan, ...extra });
  if (!luhnValid(card.pan)) return d('14');
  if (isExpired(card.expiry, ctx.now())) return d('54');
  const profile = cardProfile(card.pan);
  const pin = checkPin(msg, card.pan, profile.pin, ctx.bdk);
  if (pin !== 'ok' && pin !== 'absent') return d(pin);
  if (kind === 'balance' && pin === 'absent') return d('57');
  if (profile.behaviour === 'stolen') return d('43');
  if (profile.behaviour === 'decline') return d('05');
  const available = availableBalance(profile.openingBalance, ctx.ledger.byCard(card.pan), (e) => holdExpired(ctx, e));
  if (kind === 'balance') return d('00', { balance: available });
  const amount = amountOf(msg);
  if (amount <= 0) return d('13');
  const magic = magicResponse(amount);
  if (magic) return d(magic);
  if (amount > available) return d('51');
  return d('00');
}

function referenced(ctx: HostContext, msg: IsoMessage, kind: 'completion' | 'void' | 'refund'): Decision {
  // The original's stored card data (2, 14), or the card presented again (35) once the terminal's batch was settled;
  // a QR payment's follow-up names the wallet order instead (48 `order=`).
  const pan = readCard(msg)?.pan ?? '';
  const d = (rc: string, extra: Partial<Decision> = {}): Decision => ({ rc, post: true, maskedPan: pan ? maskPan(pan) : null, pan: pan || null, ...extra });
  const tid = text(msg, 41).trimEnd();
  const original = ctx.ledger.byRrn(tid, text(msg, 37).trim());
  const o61 = parseOriginalData(text(msg, 61));
  const qrOriginal = original?.kind === 'qr-sale' || original?.kind === 'qr-present';
  if (!qrOriginal && !luhnValid(pan)) return d('14');
  if (!original || !o61) return d('25');
  if (original.stan !== o61.stan || original.batch !== o61.batch || original.localDate !== o61.localDate) return d('25');
  if (qrOriginal && !text(msg, 48).includes(`order=${original.qr?.orderNo}`)) return d('25');
  if (!qrOriginal && !ctx.ledger.sameCard(original, pan)) return d(NOT_THE_ORIGINAL_CARD);
  const withOriginal = (rc: string, effects?: Decision['effects']) => d(rc, { original, effects });
  const amount = amountOf(msg);
  if (kind === 'completion') return completion(ctx, msg, original, amount, withOriginal);
  if (kind === 'void' && original.kind === 'preauth') return cancelHold(original, amount, withOriginal);
  if (original.kind !== 'sale' && original.kind !== 'completion' && !qrOriginal) return withOriginal('12');
  if (original.status !== 'approved') return withOriginal('12');
  if (kind === 'void') return voidOf(ctx, msg, original, amount, withOriginal);
  if (amount <= 0 || original.refundedAmount + amount > original.amount) return withOriginal('13');
  return withOriginal('00', () => [{ ...original, refundedAmount: original.refundedAmount + amount }]);
}

type Answer = (rc: string, effects?: Decision['effects']) => Decision;

function completion(ctx: HostContext, msg: IsoMessage, original: LedgerEntry, amount: number, answer: Answer): Decision {
  if (original.kind !== 'preauth' || original.status !== 'approved') return answer('12');
  if (holdExpired(ctx, original)) return answer('12');
  if (text(msg, 38).trim() !== (original.authCode ?? '')) return answer('12');
  if (amount <= 0 || original.completedAmount + amount > original.amount) return answer('13');
  return answer('00', () => [{ ...original, completedAmount: original.completedAmount + amount }]);
}

/** Pre-authorisation cancel (预授权撤销): the whole hold, while nothing of it was completed; releases the funds. */
function cancelHold(original: LedgerEntry, amount: number, answer: Answer): Decision {
  if (original.status !== 'approved' || original.completedAmount > 0) return answer('12');
  if (amount !== original.amount) return answer('13');
  return answer('00', (newId) => [{ ...original, status: 'voided', voidedBy: newId }]);
}

function voidOf(ctx: HostContext, msg: IsoMessage, original: LedgerEntry, amount: number, answer: Answer): Decision {
  const settled = ctx.ledger.settlement(original.terminalId, original.batch)?.closed === true;
  if (settled || original.batch !== text(msg, 60) || original.refundedAmount > 0) return answer('12');
  if (amount !== original.amount) return answer('13');
  return answer('00', (newId) => {
    const out: LedgerEntry[] = [{ ...original, status: 'voided', voidedBy: newId }];
    const hold = original.kind === 'completion' && original.originalId ? ctx.ledger.get(original.originalId) : undefined;
    if (hold) out.push({ ...hold, completedAmount: Math.max(0, hold.completedAmount - original.amount) });
    return out;
  });
}
