// Acquirer request processor: one request in, one response out, ledger effects committed atomically; requests serialised.
import type { IsoMessage } from '../../firmware/host/iso8583';
import { maskPan, scrubText, type Logger } from '../../firmware/log';
import { readCard } from './card-checks';
import { authorise, type Decision, type HostContext } from './financial';
import { formatBalance, has, makeAuthCode, makeRrn, pad, responseMti, text } from './iso-fields';
import { findByOriginalData, networkManagement, statusQuery } from './network';
import { BIRTHDAY_PAN, pointsField } from './points';
import { reverse } from './reversal';
import { settle, upload, type HostResult } from './settlement';
import type { LedgerEntry, StoredAnswer } from './types';
import { financialKind, problemWith, requiredFor } from './validate';
import { closeQr, decideQr, fields48, qrAnswer, qrDetails, qrRequest, queryQr, silentOrder } from './wallet';

/** A wallet order number: date and posting sequence (wallets use long numeric order ids). */
const entry_order = (now: Date, seq: number) => `${now.toISOString().slice(0, 10).replace(/-/g, '')}${String(seq).padStart(12, '0')}`;

/** Fields a financial answer echoes from its request. */
const ECHO_FINANCIAL = [3, 4, 7, 11, 12, 13, 25, 41, 42, 49, 60, 62];
/** Fields a network, status or settlement answer echoes. */
const ECHO_NETWORK = [7, 11, 41, 42, 60, 70];

export interface ProcessorOptions extends HostContext {
  log: Logger;
}

export interface HandleOptions {
  /** Fault injection: answer with this code instead of deciding (financial requests get a declined entry). */
  forceCode?: string;
}

/** Field values of `echo` copied from the request, then `extra`. */
function answer(msg: IsoMessage, mti: string, echo: number[], extra: Record<number, string>): IsoMessage {
  const fields: Record<number, string> = {};
  for (const f of echo) if (has(msg, f)) fields[f] = text(msg, f);
  return { mti, fields: { ...fields, ...extra } };
}

/** Duplicate key: terminal, MTI class (0200/0201 alike), STAN and local date (field 13, else the date of field 7). */
export function duplicateKey(msg: IsoMessage): string {
  const date = text(msg, 13) || text(msg, 7).slice(0, 4);
  return `${text(msg, 41).trimEnd()}|${msg.mti.slice(0, 3)}|${text(msg, 11)}|${date}`;
}

/** What must be the same for a request to count as the same request. */
const fingerprint = (msg: IsoMessage) => `${text(msg, 3)}|${text(msg, 4)}|${text(msg, 62).trim()}`;

/**
 * Turns requests into responses. Requests are processed one at a time, in arrival order, so a duplicate can never
 * race its original. Every posting (new entry, the entries it changes and the stored answer) is one synced batch.
 */
/** One request as the host received and answered it (GET /messages): no card data. */
export interface ReceivedMessage {
  mti: string;
  stan: string;
  terminalId: string;
  reference: string | null;
  responseCode: string;
  note: string;
}

const RECEIVED_KEPT = 500;

export class Processor {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly log: Logger;
  /** The last requests answered, oldest first (bounded). */
  readonly received: ReceivedMessage[] = [];

  constructor(private readonly ctx: ProcessorOptions) {
    this.log = ctx.log.child({ ns: 'acquirer.host' });
  }

  /** The response to a decoded request, or undefined when it is not a request (a response or a bad MTI): nothing to answer. Never rejects. */
  handle(msg: IsoMessage, opts: HandleOptions = {}): Promise<IsoMessage | undefined> {
    const run = this.queue.then(() => this.process(msg, opts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every request handed over so far has been answered. */
  async idle(): Promise<void> {
    await this.queue;
  }

  private async process(msg: IsoMessage, opts: HandleOptions): Promise<IsoMessage | undefined> {
    const mti = responseMti(msg.mti);
    const where = { mti: msg.mti, stan: text(msg, 11), tid: text(msg, 41).trimEnd() };
    if (!mti) {
      this.log.warn(where, 'not a request: dropped');
      return undefined;
    }
    try {
      return await this.route(msg, mti, opts.forceCode);
    } catch (err) {
      this.log.error({ ...where, error: scrubText(String((err as Error)?.message ?? err)) }, 'processing failed: answered 96');
      return answer(msg, mti, ECHO_FINANCIAL, { 39: '96' });
    }
  }

  private async route(msg: IsoMessage, mti: string, force: string | undefined): Promise<IsoMessage | undefined> {
    const forced = force !== undefined && force !== '00' ? force : undefined;
    switch (msg.mti.slice(0, 3)) {
      case '010':
      case '020':
      case '022':
        return this.financial(msg, mti, forced);
      case '040':
        return this.reversal(msg, mti, forced);
      case '050':
        return this.hostStep(msg, mti, forced, [11, 41, 60, 63, 70], settle);
      case '032':
        return this.hostStep(msg, mti, forced, [3, 4, 11, 37, 41, 60, 61], upload);
      case '080':
        return this.simple(msg, mti, forced, [11, 41, 70], () => networkManagement(msg, this.ctx.now()));
      case '082':
        return this.status(msg, mti, forced);
      default:
        this.logAnswer(msg, '12', 'unsupported message type');
        return answer(msg, mti, ECHO_NETWORK, { 39: '12' });
    }
  }

  private async financial(msg: IsoMessage, mti: string, forced: string | undefined): Promise<IsoMessage | undefined> {
    const qr = text(msg, 3) === '000000' ? qrRequest(msg) : undefined;
    const kind = qr ? (qr.mode === 'scan' ? 'qr-sale' : 'qr-present') : financialKind(msg);
    if (!kind) return this.refuse(msg, mti, '12', 'unsupported processing code');
    // QR payments carry no card; a QR payment's void or refund names the wallet order (48) instead.
    const problem = problemWith(msg, requiredFor(kind), { card: !qr && !fields48(msg).order });
    if (problem) return this.refuse(msg, mti, '30', problem);
    const key = duplicateKey(msg);
    const stored = this.ctx.ledger.answer(key);
    if (stored) {
      if (stored.fingerprint !== fingerprint(msg)) return this.refuse(msg, mti, '94', 'same TID/STAN/date as an earlier request with other content');
      this.logAnswer(msg, stored.response.fields['39'] ?? '', 'duplicate: original answer replayed');
      return { mti, fields: { ...stored.response.fields } };
    }
    const wallet = qr && !forced ? decideQr(qr) : undefined;
    const decision: Decision = forced ? { rc: forced, post: true, ...this.identity(msg) } : wallet ? { rc: wallet.rc, post: true, maskedPan: null, pan: null } : authorise(this.ctx, msg, kind);
    if (!decision.post) return this.refuse(msg, mti, decision.rc, 'card data unreadable');
    const now = this.ctx.now();
    const seq = this.ctx.ledger.nextSeq();
    const approved = decision.rc === '00';
    const entry: LedgerEntry = {
      id: pad(seq, 12),
      terminalId: text(msg, 41).trimEnd(),
      merchantId: text(msg, 42).trimEnd(),
      stan: text(msg, 11),
      mti: msg.mti,
      processingCode: text(msg, 3),
      posCondition: text(msg, 25),
      entryMode: text(msg, 22),
      kind,
      amount: Number(text(msg, 4) || '0'),
      currency: text(msg, 49),
      rrn: makeRrn(now, seq),
      authCode: approved ? makeAuthCode() : null,
      responseCode: decision.rc,
      reference: text(msg, 62).trim() || null,
      maskedPan: decision.maskedPan,
      panSealed: decision.pan ? this.ctx.ledger.sealPan(decision.pan) : null,
      batch: text(msg, 60),
      localDate: text(msg, 13),
      transmissionDateTime: text(msg, 7) || null,
      status: wallet?.status ?? (approved ? 'approved' : 'declined'),
      originalId: decision.original?.id ?? null,
      refundedAmount: 0,
      completedAmount: 0,
      voidedBy: null,
      reversedAt: null,
      createdAt: now.toISOString(),
      ...(qr ? { qr: qrDetails(qr, `${qr.wallet.slice(0, 2).toUpperCase()}${entry_order(now, seq)}`) } : {}),
    };
    const extra: Record<number, string> = qr ? qrAnswer(entry) : { 37: entry.rrn, 39: entry.responseCode };
    if (entry.authCode) extra[38] = entry.authCode;
    if (approved && decision.balance !== undefined) extra[54] = formatBalance(entry.currency || '156', decision.balance);
    const effects = approved && decision.effects ? decision.effects(entry.id) : [];
    // The card's entries through the vault's in-memory index (the PAN is in memory only for this request).
    const points = decision.pan ? pointsField(this.ctx.ledger.byCard(decision.pan), entry, effects, decision.pan === BIRTHDAY_PAN) : undefined;
    if (points) extra[48] = points;
    const response = answer(msg, mti, ECHO_FINANCIAL, extra);
    const stored2: StoredAnswer = { fingerprint: fingerprint(msg), response: { mti: response.mti, fields: response.fields as Record<string, string> }, entryId: entry.id, at: entry.createdAt };
    await this.ctx.ledger.commit({ entries: [entry, ...effects], answers: [{ key, answer: stored2 }] });
    this.logAnswer(msg, entry.responseCode, forced ? 'forced by fault injection' : `${kind} ${entry.status}`, entry.maskedPan);
    // …0091: the wallet never answers (the terminal must query, then revoke).
    return wallet?.silent ? undefined : response;
  }

  private async reversal(msg: IsoMessage, mti: string, forced: string | undefined): Promise<IsoMessage> {
    const problem = problemWith(msg, [3, 11, 41, 90]);
    if (problem) return this.refuse(msg, mti, '30', problem);
    if (forced) return this.refuse(msg, mti, forced, 'forced by fault injection; nothing reversed');
    const r = reverse(this.ctx.ledger, msg, this.ctx.now());
    if (r.updates.length > 0) await this.ctx.ledger.commit({ entries: r.updates });
    const amount = Number(text(msg, 4) || '0');
    if (r.target && has(msg, 4) && r.target.amount !== amount) this.log.warn({ stan: r.target.stan, entry: r.target.id }, 'reversal amount differs from the original; whole original reversed');
    // 21 "no action taken": the host never posted the original, so nothing stands (a positive answer in our profile);
    // a repeat of a reversal already done is acknowledged 00 again.
    const rc = r.note === 'unknown original' ? '21' : '00';
    this.logAnswer(msg, rc, r.target ? `reversed entry ${r.target.id} (${r.target.kind})` : r.note);
    return answer(msg, mti, ECHO_FINANCIAL, { 39: rc });
  }

  private async hostStep(msg: IsoMessage, mti: string, forced: string | undefined, required: number[], step: (l: HostContext['ledger'], m: IsoMessage, now: Date) => HostResult): Promise<IsoMessage> {
    const problem = problemWith(msg, required);
    if (problem) return this.refuse(msg, mti, '30', problem);
    if (msg.mti.startsWith('050') && !['201', '202'].includes(text(msg, 70))) return this.refuse(msg, mti, '12', 'unknown settlement code (70)');
    if (forced) return this.refuse(msg, mti, forced, 'forced by fault injection; nothing done');
    const r = step(this.ctx.ledger, msg, this.ctx.now());
    await this.ctx.ledger.commit(r.changes);
    this.logAnswer(msg, r.rc, r.note);
    return answer(msg, mti, msg.mti.startsWith('032') ? ECHO_FINANCIAL : ECHO_NETWORK, { 39: r.rc });
  }

  /** 0820: status query (371) of any transaction, and for QR orders the query that moves them on, or a close (372). */
  private async status(msg: IsoMessage, mti: string, forced: string | undefined): Promise<IsoMessage | undefined> {
    const problem = problemWith(msg, [11, 41, 61, 70]);
    if (problem) return this.refuse(msg, mti, '30', problem);
    if (forced) return this.refuse(msg, mti, forced, 'forced by fault injection');
    const code = text(msg, 70);
    const entry = findByOriginalData(this.ctx.ledger, msg);
    if (!entry?.qr || (code !== '371' && code !== '372')) return this.simple(msg, mti, undefined, [11, 41, 61, 70], () => statusQuery(this.ctx.ledger, msg));
    if (silentOrder(entry) && code === '371') {
      this.logAnswer(msg, '--', 'wallet silent: no answer');
      return undefined;
    }
    const now = this.ctx.now();
    const next = code === '372' ? closeQr(entry, now) : queryQr(entry, now).entry;
    if (next !== entry) await this.ctx.ledger.commit({ entries: [next] });
    const extra = qrAnswer(next);
    this.logAnswer(msg, extra[39], code === '372' ? `order closed: ${next.status}` : `order ${next.status}`);
    return answer(msg, mti, ECHO_NETWORK, { 61: text(msg, 61), ...extra });
  }

  private simple(msg: IsoMessage, mti: string, forced: string | undefined, required: number[], fields: () => Record<number, string>): IsoMessage {
    const problem = problemWith(msg, required);
    if (problem) return this.refuse(msg, mti, '30', problem);
    if (forced) return this.refuse(msg, mti, forced, 'forced by fault injection');
    const extra = fields();
    this.logAnswer(msg, extra[39], 'answered');
    return answer(msg, mti, ECHO_NETWORK, extra);
  }

  /** An answer that posts nothing. */
  private refuse(msg: IsoMessage, mti: string, rc: string, why: string): IsoMessage {
    this.logAnswer(msg, rc, why);
    const echo = msg.mti.startsWith('08') || msg.mti.startsWith('05') ? ECHO_NETWORK : ECHO_FINANCIAL;
    return answer(msg, mti, echo, { 39: rc });
  }

  /** Masked PAN and PAN of a request's card, whatever its state. */
  private identity(msg: IsoMessage): Pick<Decision, 'maskedPan' | 'pan'> {
    const pan = readCard(msg)?.pan ?? (/^\d{12,19}$/.test(text(msg, 2)) ? text(msg, 2) : undefined);
    return pan ? { maskedPan: maskPan(pan), pan } : { maskedPan: null, pan: null };
  }

  private logAnswer(msg: IsoMessage, rc: string, note: string, maskedPan?: string | null): void {
    this.received.push({ mti: msg.mti, stan: text(msg, 11), terminalId: text(msg, 41).trimEnd(), reference: text(msg, 62).trim() || null, responseCode: rc, note });
    if (this.received.length > RECEIVED_KEPT) this.received.splice(0, this.received.length - RECEIVED_KEPT);
    this.log.info({ mti: msg.mti, stan: text(msg, 11), tid: text(msg, 41).trimEnd(), proc: text(msg, 3) || undefined, amount: text(msg, 4) || undefined, maskedPan: maskedPan ?? undefined, rc, note }, 'request answered');
  }
}
