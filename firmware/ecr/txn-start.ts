// Starting a transaction for the ECR: normalised idempotent requests, concurrent repeats joined, a printing predecessor waited for.
import { createHash } from 'node:crypto';
import type { Clock } from '../common/clock';
import { FlowError, type Doing, type FlowController, type Running } from '../flows/controller';
import type { PromptKind } from '../flows/prompts';
import type { Journal } from '../journal/journal';
import type { TxnRecord, TxnState } from '../journal/types';
import { HttpError } from './http';
import type { TxnBody } from './schemas';

/** Canonical hash of what the ECR asked for (everything but `wait`), independent of key order. */
export function requestHash(body: Partial<TxnBody>): string {
  const { wait: _wait, ...rest } = body;
  const canonical = JSON.stringify(rest, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

/** The request with the terminal's defaults filled in (currency; trace numbers as 6 digits), so equal intents hash alike. */
export function normaliseRequest(body: TxnBody, currency: string): Omit<TxnBody, 'wait'> {
  const { wait: _wait, ...rest } = body;
  const original = rest.original ? { ...rest.original, ...(rest.original.stan !== undefined ? { stan: rest.original.stan.padStart(6, '0') } : {}) } : undefined;
  return { ...rest, currency: rest.currency ?? currency, ...(original ? { original } : {}) };
}

/** Whether a journaled record was started by this request (records of earlier versions hashed the body as sent). */
export function sameRequest(rec: TxnRecord, body: TxnBody, currency: string): boolean {
  return rec.requestHash === requestHash(normaliseRequest(body, currency)) || rec.requestHash === requestHash(body);
}

const FLOW_STATUS: Record<FlowError['code'], number> = {
  busy: 409,
  'bad-request': 400,
  'original-not-found': 404,
  'original-not-allowed': 422,
  'amount-exceeds': 422,
  'original-wrong-type': 422,
  'duplicate-reference': 409,
  'settlement-in-progress': 409,
};

/** Seconds after which a busy terminal is worth asking again, by what it is doing. */
export function retryAfterSec(doing: Doing | undefined): number {
  if (!doing) return 1;
  if (doing.kind === 'settlement') return 15;
  if (doing.kind === 'operator') return 10;
  if (doing.step === 'printing' || doing.step === 'finished') return 2;
  return doing.step === 'authorising' ? 5 : 10;
}

const STEP_NAMES: Partial<Record<PromptKind, string>> = {
  'present-card': 'awaiting-card',
  'enter-pin': 'awaiting-pin',
  'confirm-duplicate': 'awaiting-confirmation',
  authorising: 'authorising',
  printing: 'printing',
  finished: 'printing',
};

/** What the terminal is doing as the API names it: `{kind: "transaction", reference, state: "awaiting-card"}` and so on. */
export function publicDoing(doing: Doing): Record<string, unknown> {
  if (doing.kind !== 'transaction') return { ...doing };
  return { kind: 'transaction', reference: doing.reference, ...(doing.step && STEP_NAMES[doing.step] ? { state: STEP_NAMES[doing.step] } : {}) };
}

/** A busy answer: what the terminal is doing (`doing`), and when to retry (`Retry-After`). */
export function busyError(message: string, doing: Doing | undefined): HttpError {
  const retry = retryAfterSec(doing);
  return new HttpError(409, 'busy', message, undefined, { 'Retry-After': String(retry) }, doing ? { doing: publicDoing(doing) } : {});
}

export function flowHttpError(err: FlowError): HttpError {
  if (err.code === 'busy') return busyError(err.message, err.doing);
  return new HttpError(FLOW_STATUS[err.code], err.code, err.message, err.field);
}

export interface StarterDeps {
  controller: FlowController;
  journal: Journal;
  clock: Clock;
  /** The terminal's currency (the request default). */
  currency: string;
  /** How long a new request waits for the previous transaction to finish printing. */
  printWaitMs: number;
}

/**
 * Starts ECR transactions. Repeats of one reference arriving together all wait for the first and get its
 * transaction; a request arriving while the last transaction only prints waits for it (bounded) instead of busy.
 */
export class TxnStarter {
  /** Runs started here, by reference, until their flow finished. */
  readonly running = new Map<string, Running>();
  private readonly starting = new Map<string, Promise<unknown>>();
  private readonly decided = new Set<string>();

  constructor(private readonly d: StarterDeps) {}

  /** The record of `body.reference`: found in the journal (same request) or started now. Throws HttpError. */
  async startOrFind(body: TxnBody): Promise<TxnRecord> {
    // Bounded: each turn waits for a start of this reference that began before it.
    for (let turn = 0; turn < 1000; turn++) {
      const pending = this.starting.get(body.reference);
      if (pending) {
        await pending.catch(() => undefined);
        continue;
      }
      const attempt = this.findOrStart(body);
      this.starting.set(body.reference, attempt);
      try {
        return await attempt;
      } finally {
        if (this.starting.get(body.reference) === attempt) this.starting.delete(body.reference);
      }
    }
    throw new HttpError(503, 'overloaded', `too many requests for reference "${body.reference}" at once`);
  }

  private async findOrStart(body: TxnBody): Promise<TxnRecord> {
    const existing = await this.d.journal.byReference(body.reference);
    if (existing) {
      if (!sameRequest(existing, body, this.d.currency)) throw conflict(body.reference, existing);
      return existing;
    }
    await this.waitForPrinting();
    const normal = normaliseRequest(body, this.d.currency);
    let run: Running;
    try {
      run = await this.d.controller.start({ type: normal.type, amount: normal.amount, currency: normal.currency, reference: normal.reference, origin: 'ecr', requestHash: requestHash(normal), original: normal.original, wallet: normal.wallet, expiresInSec: normal.expiresInSec, operator: normal.operator });
    } catch (err) {
      if (err instanceof FlowError) throw flowHttpError(err);
      if ((err as { code?: string }).code === 'EDUPREF') {
        const again = await this.d.journal.byReference(body.reference);
        if (again && sameRequest(again, body, this.d.currency)) return again;
        throw again ? conflict(body.reference, again) : new HttpError(409, 'reference-conflict', (err as Error).message);
      }
      throw err;
    }
    const ref = run.record.reference;
    this.running.set(ref, run);
    void run.decided.then(() => this.decided.add(ref));
    void run.finished.then(() => (this.running.delete(ref), this.decided.delete(ref)));
    return run.record;
  }

  /**
   * The running transaction is decided and only prints (or finishes), or a settlement only prints its report: wait
   * for it, bounded, instead of answering busy.
   */
  private async waitForPrinting(): Promise<void> {
    const doing = this.d.controller.doing();
    if (doing?.kind === 'settlement' && doing.step === 'printing') return void (await this.d.controller.whenIdle(this.d.printWaitMs));
    if (doing?.kind !== 'transaction') return;
    const onlyPrinting = doing.step === 'printing' || doing.step === 'finished' || this.decided.has(doing.reference);
    if (onlyPrinting) await this.d.controller.whenIdle(this.d.printWaitMs);
  }

  /**
   * Waits up to `seconds` (on the clock) for the running transaction `rec` to be decided: a first request and its
   * repeats alike, while the outcome is open (the card or PIN awaited, the request out, a QR customer paying).
   */
  async decidedWithin(rec: TxnRecord, seconds: number): Promise<void> {
    const run = this.running.get(rec.reference);
    if (!run || !OPEN_STATES.has(rec.state)) return;
    await new Promise<void>((resolve) => {
      const t = this.d.clock.setTimeout(resolve, seconds * 1000);
      void run.decided.then(() => (this.d.clock.clearTimeout(t), resolve()));
    });
  }
}

/** Journal states whose outcome is still open. */
const OPEN_STATES: ReadonlySet<TxnState> = new Set<TxnState>(['created', 'sending', 'awaiting-customer']);

function conflict(reference: string, existing: TxnRecord): HttpError {
  return new HttpError(409, 'reference-conflict', `reference "${reference}" was already used for a different request (${existing.type} of ${existing.amount} ${existing.currency})`);
}
