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
}

export type FlowErrorCode = AdmissionCode | 'busy' | 'duplicate-reference';

export class FlowError extends Error {
  constructor(
    readonly code: FlowErrorCode,
    message: string,
    /** JSON path of the request field at fault, when one is. */
    readonly field?: string,
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
}

export class FlowController {
  private active: Active | undefined;
  private readonly log: Logger;
  private readonly machine: ReturnType<typeof provideTxnMachine>;
  private readonly prompts = new Listeners<Prompt>();
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

  /** Admits and journals the transaction (state created), then starts its machine. Throws FlowError. */
  async start(req: StartRequest): Promise<Running> {
    if (this.active) throw new FlowError('busy', `terminal is busy with transaction ${this.active.reference}`);
    const doing = req.origin === 'ecr' ? this.operatorActivity() : undefined;
    if (doing) throw new FlowError('busy', `the cashier is ${doing} at the terminal`);
    // Reserve the slot before any await can let a second request in (looking up an original awaits the journal).
    const slot: Active = { reference: req.reference ?? '(keypad)' };
    this.active = slot;
    try {
      return await this.journalAndRun(req, slot);
    } catch (err) {
      if (this.active === slot) this.active = undefined;
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
    // Not synced: a created record has sent nothing; the `sending` write (synced) makes it durable with everything.
    const record = await journal.create(
      {
        reference: req.reference ?? `T${terminal.terminalId}-${batch}-${stan}`,
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
      },
      { sync: false },
    );
    slot.reference = record.reference;
    slot.record = record;
    return this.run(record, slot, req.card);
  }

  /**
   * How the transaction gets its card: the original's stored card data (void, refund, completion in the same batch),
   * or a swipe — with PIN for sales, pre-auths and balance inquiries; without, and matching the original's masked PAN,
   * for a follow-up whose original's card data went with its settled batch.
   */
  private inputFor(record: TxnRecord, card?: SwipedCard): TxnInput {
    if (record.original && record.sealed) return { rec: record, capture: 'stored' };
    const { policy } = this.deps;
    const t = policy.timeouts;
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
          if (this.active === slot) this.active = undefined;
          decide(out);
          resolve(out);
        },
        error: (err: unknown) => {
          this.log.error({ err, reference: record.reference }, 'flow failed');
          if (this.active === slot) this.active = undefined;
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

  /** Cancels the active flow if nothing was sent yet. */
  async cancel(reference: string): Promise<'cancelled' | 'too-late' | 'not-active'> {
    const a = this.active;
    if (!a || a.reference !== reference || !a.actor || !a.record) return 'not-active';
    const rec = await this.deps.journal.get(a.record.id);
    if (!rec || rec.state !== 'created') return 'too-late';
    // A machine past the point of no return (a void or refund already on its way) ignores CANCEL: say so.
    if (!a.actor.getSnapshot().can({ type: 'CANCEL', by: 'ecr' })) return 'too-late';
    a.actor.send({ type: 'CANCEL', by: 'ecr' });
    return 'cancelled';
  }

  /** Runs `fn` (settlement) with the terminal marked busy, so no transaction starts meanwhile. */
  async exclusive<T>(label: string, fn: () => Promise<T>): Promise<T> {
    if (this.active) throw new FlowError('busy', `terminal is busy with transaction ${this.active.reference}`);
    const slot: Active = { reference: label };
    this.active = slot;
    try {
      return await fn();
    } finally {
      if (this.active === slot) this.active = undefined;
    }
  }
}
