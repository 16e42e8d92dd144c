// Runs one transaction at a time: admits the request, journals it, and drives the transaction machine to the end.
import { createActor, type AnyActorRef } from 'xstate';
import type { SwipedCard } from '../hal/magstripe/magstripe';
import type { TerminalConfig, PolicyConfig } from '../board/schema';
import type { TxnRecord, TxnType } from '../journal/types';
import type { Logger } from '../log';
import type { StanCounter } from '../host/stan';
import { Listeners, type Unsubscribe } from '../common/listeners';
import { dateOf } from '../common/clock';
import { AdmissionError, type AdmissionCode, type OriginalSelector } from '../money/admission';
import type { DuplicateGuard } from '../money/duplicate-guard';
import { checkCard } from './card-checks';
import { provideTxnMachine, type TxnActorDeps } from './txn-actors';
import type { TxnEmitted, TxnInput } from './txn.machine';
import type { Prompt, PromptKind } from './prompts';
import type { Wallet } from '../qr/payment-code';
import { MAX_QR_REFERENCE, presentedQr } from './qr-order';

export type { OriginalSelector };

export interface StartRequest {
  type: TxnType;
  amount?: number;
  currency?: string;
  reference?: string;
  origin: 'ecr' | 'keypad';
  requestHash?: string;
  original?: OriginalSelector;
  /** A card swiped before the flow started (keypad: swiped at idle). */
  card?: SwipedCard;
  operator?: string;
  /** C扫B: the wallet the presented QR is for (board default otherwise), and how long it stays open. */
  wallet?: Wallet;
  expiresInSec?: number;
}

export type FlowErrorCode = AdmissionCode | 'busy' | 'duplicate-reference';

/** What the terminal is doing when it answers busy. */
export type Doing =
  | { kind: 'transaction'; reference: string; step?: PromptKind }
  | { kind: 'settlement'; step?: 'printing' }
  | { kind: 'operator'; activity: string };

export class FlowError extends Error {
  constructor(
    readonly code: FlowErrorCode,
    message: string,
    /** JSON path of the request field at fault, when one is. */
    readonly field?: string,
    /** For `busy`: what the terminal is doing. */
    readonly doing?: Doing,
  ) {
    super(message);
    this.name = 'FlowError';
  }
}

export interface Running {
  record: TxnRecord;
  /** Resolves once the outcome is journaled (before printing), or the flow was cancelled. */
  decided: Promise<TxnRecord>;
  /** Resolves when the flow is over (slips printed or given up). */
  finished: Promise<TxnRecord>;
}

export interface ControllerDeps extends TxnActorDeps {
  terminal: TerminalConfig;
  policy: PolicyConfig;
  stan: StanCounter;
  duplicates: DuplicateGuard;
  log: Logger;
  /** The operator logged in at the keypad: recorded on requests that name none (an ECR that names no operator). */
  currentOperator?: () => string | undefined;
}

interface Active {
  reference: string;
  actor?: AnyActorRef;
  record?: TxnRecord;
  step?: PromptKind;
  /** Settlement (exclusive) rather than a transaction. */
  exclusive?: boolean;
  /** An exclusive slot whose work is done but for printing (the settlement report). */
  printing?: boolean;
}

/** What an exclusive job may tell the controller while it runs. */
export interface ExclusiveSlot {
  /** The decision is made (journaled); only printing is left: a new transaction waits for it instead of busy. */
  printing(): void;
}

export class FlowController {
  private active: Active | undefined;
  private readonly log: Logger;
  private readonly machine: ReturnType<typeof provideTxnMachine>;
  private readonly prompts = new Listeners<Prompt>();
  private readonly idle = new Listeners<void>();
  private operatorActivity: () => string | undefined = () => undefined;

  constructor(private readonly deps: ControllerDeps) {
    this.log = deps.log.child({ ns: 'flows' });
    this.machine = provideTxnMachine(deps);
  }

  get busy(): boolean {
    return this.active !== undefined;
  }

  get activeReference(): string | undefined {
    return this.active?.reference;
  }

  /** What the running transaction waits for (the last prompt it sent). */
  get step(): PromptKind | undefined {
    return this.active?.step;
  }

  /** Prompts of the running transaction, in order (the UI draws them). */
  onPrompt(listener: (prompt: Prompt) => void): Unsubscribe {
    return this.prompts.add(listener);
  }

  /** The UI tells what the cashier is in the middle of (amount entry, a menu): an ECR request then gets `busy`. */
  setOperatorActivity(activity: () => string | undefined): void {
    this.operatorActivity = activity;
  }

  /** The running transaction's last prompt, when `reference` is the one running. */
  stepOf(reference: string): PromptKind | undefined {
    return this.active?.reference === reference ? this.active.step : undefined;
  }

  /** What the terminal is doing (a transaction and its step, settlement, the cashier at the keypad), or undefined when idle. */
  doing(): Doing | undefined {
    const a = this.active;
    if (a) return a.exclusive ? { kind: 'settlement', ...(a.printing ? { step: 'printing' as const } : {}) } : { kind: 'transaction', reference: a.reference, step: a.step };
    const activity = this.operatorActivity();
    return activity ? { kind: 'operator', activity } : undefined;
  }

  /** Resolves true once no flow runs (at once when none does), false after `maxMs` on the clock. */
  whenIdle(maxMs: number): Promise<boolean> {
    if (!this.active) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = this.deps.clock.setTimeout(() => (off(), resolve(!this.active)), maxMs);
      const off = this.idle.add(() => {
        if (this.active) return;
        off();
        this.deps.clock.clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private release(slot: Active): void {
    if (this.active !== slot) return;
    this.active = undefined;
    this.idle.emit();
  }

  private busyError(a: Active): FlowError {
    if (a.exclusive) return new FlowError('busy', `terminal is busy with ${a.reference.replace(/^\((.*)\)$/, '$1')}`, undefined, { kind: 'settlement' });
    return new FlowError('busy', `terminal is busy with transaction ${a.reference}`, undefined, { kind: 'transaction', reference: a.reference, step: a.step });
  }

  /** Admits and journals the transaction (state created), then starts its machine. Throws FlowError. */
  async start(req: StartRequest): Promise<Running> {
    if (this.active) throw this.busyError(this.active);
    const doing = req.origin === 'ecr' ? this.operatorActivity() : undefined;
    if (doing) throw new FlowError('busy', `the cashier is ${doing} at the terminal`, undefined, { kind: 'operator', activity: doing });
    // Reserve the slot before any await can let a second request in (looking up an original awaits the journal).
    const slot: Active = { reference: req.reference ?? '(keypad)' };
    this.active = slot;
    try {
      return await this.journalAndRun(req, slot);
    } catch (err) {
      this.release(slot);
      if (err instanceof AdmissionError) throw new FlowError(err.code, err.message, err.field);
      throw err;
    }
  }

  private async journalAndRun(req: StartRequest, slot: Active): Promise<Running> {
    const { journal, terminal, admission } = this.deps;
    const admitted = await admission.admit(req);
    const stan = await this.deps.stan.next();
    const batch = await journal.batchNumber();
    const o = admitted.original;
    const reference = req.reference ?? `T${terminal.terminalId}-${batch}-${stan}`;
    // Not synced: a created record has sent nothing; the `sending` write (synced) makes it durable with everything.
    const record = await journal.create(
      {
        reference,
        origin: req.origin,
        requestHash: req.requestHash,
        type: admitted.type,
        stan,
        batch,
        amount: admitted.amount,
        currency: admitted.currency,
        currencyNumeric: terminal.currencyNumeric,
        operator: req.operator ?? this.deps.currentOperator?.() ?? '01',
        original: o
          ? { id: o.id, type: o.type, maskedPan: o.maskedPan, reference: o.reference, stan: o.stan, batch: o.batch, localDate: o.request?.localDate ?? '', rrn: o.rrn, authCode: o.authCode }
          : undefined,
        card: admitted.storedCard,
        qr: this.qrOf(req, admitted.type, reference, admitted.amount, o),
      },
      { sync: false },
    );
    slot.reference = record.reference;
    slot.record = record;
    return this.run(record, slot, req.card);
  }

  /** A QR payment's data at creation: C扫B builds the presented QR now; a follow-up of a QR payment names its order. */
  private qrOf(req: StartRequest, type: TxnType, reference: string, amount: number, original?: TxnRecord): TxnRecord['qr'] {
    if (original?.qr) return { wallet: original.qr.wallet, order: original.qr.order };
    if (type !== 'qr-present') return undefined;
    if (reference.length > MAX_QR_REFERENCE) throw new FlowError('bad-request', `a presented QR carries the reference as its bill number: at most ${MAX_QR_REFERENCE} characters, got ${reference.length}`, '$.reference');
    const wallet = req.wallet ?? this.deps.policy.qr.defaultWallet;
    const seconds = req.expiresInSec ?? this.deps.policy.qr.presentSec;
    return { wallet, payload: presentedQr(this.deps.terminal, { reference, amount, wallet }), deadline: new Date(this.deps.clock.now() + seconds * 1000).toISOString() };
  }

  /**
   * How the transaction gets its card: the original's stored card data (void, refund, completion in the same batch),
   * or a swipe — with PIN for sales, pre-auths and balance inquiries; without, and matching the original's masked PAN,
   * for a follow-up whose original's card data went with its settled batch.
   */
  private inputFor(record: TxnRecord, card?: SwipedCard): TxnInput {
    const { policy } = this.deps;
    const t = policy.timeouts;
    // A follow-up of a QR payment needs no card: the host knows the order.
    if (record.original && (record.sealed || record.qr)) return { rec: record, capture: 'stored' };
    if (record.type === 'qr-present') return { rec: record, capture: 'qr-present' };
    if (record.type === 'qr-sale') return { rec: record, capture: 'qr-scan', qrScan: { scanMs: t.cardSec * 1000, scannerMissing: !this.deps.scanner } };
    return {
      rec: record,
      capture: 'card',
      card: {
        preswiped: card ? { card, check: checkCard(card, dateOf(this.deps.clock), policy.chipCardSwiped) } : undefined,
        pinRequired: record.type === 'balance',
        duplicateGuard: record.type === 'sale' && this.deps.duplicates.enabled,
        timeouts: { cardMs: t.cardSec * 1000, pinMs: t.pinSec * 1000, confirmMs: t.confirmSec * 1000 },
        readerMissing: !this.deps.magstripe,
        ...(record.original ? { match: record.original.maskedPan, skipPin: true } : {}),
      },
    };
  }

  private run(record: TxnRecord, slot: Active, card?: SwipedCard): Running {
    let decide!: (r: TxnRecord) => void;
    const decided = new Promise<TxnRecord>((r) => (decide = r));
    const actor = createActor(this.machine, { input: this.inputFor(record, card), clock: this.deps.clock });
    slot.actor = actor;
    actor.on('prompt', (e: Extract<TxnEmitted, { type: 'prompt' }>) => {
      slot.step = e.prompt.kind;
      this.prompts.emit(e.prompt);
    });
    actor.on('decided', (e: Extract<TxnEmitted, { type: 'decided' }>) => {
      this.deps.duplicates.note(e.record);
      decide(e.record);
    });
    const finished = new Promise<TxnRecord>((resolve) => {
      actor.subscribe({
        complete: () => {
          const out = (actor.getSnapshot() as { output?: TxnRecord }).output ?? record;
          this.release(slot);
          decide(out);
          resolve(out);
        },
        error: (err: unknown) => {
          this.log.error({ err, reference: record.reference }, 'flow failed');
          this.release(slot);
          void this.deps.journal.get(record.id).then((r) => {
            const out = r ?? record;
            this.prompts.emit({ kind: 'finished', txn: { type: out.type, amount: out.amount, currency: out.currency, reference: out.reference }, record: out });
            decide(out);
            resolve(out);
          });
        },
      });
    });
    this.log.info({ reference: record.reference, type: record.type, stan: record.stan }, 'flow started');
    actor.start();
    return { record, decided, finished };
  }

  /** A key from the cashier for the running transaction: CANCEL, or OK to confirm a possible duplicate. */
  press(key: 'CANCEL' | 'OK'): void {
    const actor = this.active?.actor;
    if (!actor) return;
    if (key === 'CANCEL') actor.send({ type: 'CANCEL', by: 'operator' });
    else actor.send({ type: 'CONFIRM' });
  }

  /** The ECR confirms the possible duplicate `reference` waits for (as the cashier's OK would). */
  confirm(reference: string): 'confirmed' | 'not-awaiting' | 'not-active' {
    const a = this.active;
    if (!a || a.reference !== reference || !a.actor) return 'not-active';
    if (a.step !== 'confirm-duplicate') return 'not-awaiting';
    a.actor.send({ type: 'CONFIRM' });
    return 'confirmed';
  }

  /** Cancels the active flow if nothing was sent yet, or stops waiting for a QR customer (revoke or close). */
  async cancel(reference: string): Promise<'cancelled' | 'too-late' | 'not-active'> {
    const a = this.active;
    if (!a || a.reference !== reference || !a.actor || !a.record) return 'not-active';
    const rec = await this.deps.journal.get(a.record.id);
    // A QR payment on its way or waiting for the customer: its order is revoked or closed (as soon as it exists).
    if ((rec?.state === 'awaiting-customer' || rec?.state === 'sending') && a.actor.getSnapshot().can({ type: 'CANCEL', by: 'ecr' })) {
      a.actor.send({ type: 'CANCEL', by: 'ecr' });
      return 'cancelled';
    }
    if (!rec || rec.state !== 'created') return 'too-late';
    // A machine past the point of no return (a void or refund already on its way) ignores CANCEL: say so.
    if (!a.actor.getSnapshot().can({ type: 'CANCEL', by: 'ecr' })) return 'too-late';
    a.actor.send({ type: 'CANCEL', by: 'ecr' });
    return 'cancelled';
  }

  /** Runs `fn` (settlement) with the terminal marked busy, so no transaction starts meanwhile. */
  async exclusive<T>(label: string, fn: (slot: ExclusiveSlot) => Promise<T>): Promise<T> {
    if (this.active) throw this.busyError(this.active);
    const slot: Active = { reference: label, exclusive: true };
    this.active = slot;
    try {
      return await fn({ printing: () => void (slot.printing = true) });
    } finally {
      this.release(slot);
    }
  }
}
