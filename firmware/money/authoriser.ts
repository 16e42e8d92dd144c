// Sends a journaled transaction to the host: journal first, outcome journaled before anyone sees it, unknown → reversal.
import { HostLinkError } from '../host/transport/errors';
import type { IsoMessage } from '../host/iso8583';
import { buildRequest, checkReply, parseBalance, parseQrAnswer, sentRequestFor, type Secrets } from '../host/messages';
import { parsePoints } from '../host/loyalty';

/** A QR payment (B扫C or C扫B): its unknown outcome is queried before anything is revoked. */
export const isQrPayment = (rec: Pick<TxnRecord, 'type'>): boolean => rec.type === 'qr-sale' || rec.type === 'qr-present';
import type { TerminalConfig } from '../board/schema';
import type { Journal, UpdateEffects } from '../journal/journal';
import type { TxnRecord } from '../journal/types';
import type { Logger } from '../log';
import { crashPoint } from './crash-points';
import { effectsOf } from './admission';
import { dateOf, systemClock, type Clock } from '../common/clock';

/** The one host operation the money layer needs (HostLink fits). */
export interface HostRequester {
  request(msg: IsoMessage, opts?: { timeoutMs?: number; signal?: AbortSignal }): Promise<IsoMessage>;
}

export interface AuthoriserDeps {
  journal: Journal;
  host: HostRequester;
  terminal: TerminalConfig;
  log: Logger;
  clock?: Clock;
  /** Called after a reversal was queued, to wake the SAF worker. */
  onReversalQueued?: () => void;
}

export class Authoriser {
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(private readonly deps: AuthoriserDeps) {
    this.clock = deps.clock ?? systemClock;
    this.log = deps.log.child({ ns: 'money.authorise' });
  }

  /**
   * Journals `rec` as sending (synced) and only then sends it. Returns the record with its outcome
   * journaled: approved, declined, failed (never sent) or reversal-pending (outcome unknown).
   */
  async authorise(rec: TxnRecord, entryMode: string, secrets: Secrets): Promise<TxnRecord> {
    const { journal, host, terminal } = this.deps;
    const card = rec.sealed ? journal.cardOf(rec) : undefined;
    const originalQr = rec.original ? (await journal.get(rec.original.id))?.qr : undefined;
    const header = { request: sentRequestFor(rec, entryMode, dateOf(this.clock)), entryMode, pinEntered: !!secrets.pinBlock };
    // Built first, so a request that cannot be built fails before anything is journaled as sending.
    const msg = buildRequest({ ...rec, ...header }, terminal, secrets, card, originalQr);
    // The card data captured in memory (masked PAN, sealed PAN + expiry) becomes durable with this write.
    const cardData = rec.sealed ? { maskedPan: rec.maskedPan, sealed: rec.sealed } : {};
    const sending = await journal.update(rec.id, { state: 'sending', ...header, ...cardData });
    crashPoint('after-journal');
    let reply: IsoMessage;
    try {
      reply = await host.request(msg);
    } catch (err) {
      if (err instanceof HostLinkError && err.outcome === 'not-sent') {
        this.log.warn({ reference: rec.reference, code: err.code }, 'request not sent');
        return journal.update(rec.id, { state: 'failed', reason: `not-sent (${err.code})` });
      }
      const code = err instanceof HostLinkError ? err.code : 'EUNKNOWN';
      // A QR payment's unknown outcome is asked about first (the wallet's rule), revoked only at its deadline.
      if (isQrPayment(rec)) return this.awaitCustomer(sending, `no answer (${code})`);
      this.log.warn({ reference: rec.reference, code }, 'outcome unknown: reversing');
      return this.queueReversal(sending, `no answer (${code})`);
    }
    const check = checkReply(msg, reply);
    if (!check.ok) {
      if (isQrPayment(rec)) return this.awaitCustomer(sending, `garbled reply: ${check.why}`);
      this.log.warn({ reference: rec.reference, why: check.why }, 'unusable reply: reversing');
      return this.queueReversal(sending, `garbled reply: ${check.why}`);
    }
    const fields = { responseCode: check.responseCode, rrn: check.rrn, authCode: check.authCode, balance: check.balance, balanceMinor: parseBalance(check.balance), points: parsePoints(check.additional) };
    const qr = isQrPayment(rec) ? { qr: { ...rec.qr!, order: parseQrAnswer(reply).order ?? rec.qr?.order } } : {};
    if (isQrPayment(rec) && check.responseCode === '09') return this.awaitCustomer({ ...sending, ...fields, ...qr }, undefined);
    if (check.responseCode !== '00') return journal.update(rec.id, { state: 'declined', ...fields, ...qr });
    return journal.update(rec.id, { state: 'approved', wasApproved: true, ...fields, ...qr }, await this.originalEffects(sending));
  }

  /**
   * A QR payment the customer is still confirming (B扫C), an order waiting to be paid (C扫B), or one whose answer was
   * lost: `awaiting-customer` with a `qr-watch` entry in the SAF queue, in one synced write. The watch asks the host
   * until the payment is final, and at the deadline revokes it (B扫C) or closes the order (C扫B).
   */
  async awaitCustomer(rec: TxnRecord, reason: string | undefined): Promise<TxnRecord> {
    const deadline = Date.parse(rec.qr?.deadline ?? '') || this.clock.now();
    const patch = { state: 'awaiting-customer' as const, responseCode: rec.responseCode, rrn: rec.rrn, qr: rec.qr, ...(reason ? { reason } : {}) };
    const next = await this.deps.journal.update(rec.id, patch, { safAdd: { txnId: rec.id, kind: 'qr-watch', attempts: 0, nextAttemptAt: this.clock.now() + 1000, deadline } });
    this.deps.onReversalQueued?.();
    return next;
  }

  /** An approved void, refund or completion updates its original in the same synced write. */
  private async originalEffects(rec: TxnRecord): Promise<UpdateEffects> {
    if (!rec.original) return {};
    const changed = await effectsOf(rec, (id) => this.deps.journal.get(id));
    return changed.length ? { others: changed } : {};
  }

  /**
   * Outcome unknown: the record becomes reversal-pending together with its SAF entry (one synced
   * write). A balance inquiry moves no money, so it is just failed.
   */
  async queueReversal(rec: TxnRecord, reason: string): Promise<TxnRecord> {
    const { journal } = this.deps;
    if (rec.type === 'balance') return journal.update(rec.id, { state: 'failed', reason });
    const next = await journal.update(
      rec.id,
      { state: 'reversal-pending', reversal: 'pending', reason },
      { safAdd: { txnId: rec.id, kind: 'reversal', attempts: 0, nextAttemptAt: this.clock.now() } },
    );
    this.deps.onReversalQueued?.();
    return next;
  }
}
