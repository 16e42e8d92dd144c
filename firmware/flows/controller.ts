// Runs one transaction at a time: validates the request, journals it, and drives its flow machine to the end.
import { createActor, type AnyActorRef } from 'xstate';
import type { SwipedCard } from '../hal/magstripe/magstripe';
import type { TerminalConfig, PolicyConfig } from '../board/schema';
import type { TxnRecord, TxnType } from '../journal/types';
import type { Logger } from '../log';
import type { StanCounter } from '../host/stan';
import { REFERENCED } from '../host/messages';
import { cardTxnMachine } from './card-txn.machine';
import { referencedTxnMachine } from './referenced-txn.machine';
import { flowActors, type ActorDeps } from './actors';
import { checkOriginal } from './original-rules';

export interface OriginalSelector {
  reference?: string;
  rrn?: string;
  stan?: string;
}

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

export type FlowErrorCode = 'busy' | 'bad-request' | 'original-not-found' | 'original-not-allowed' | 'amount-exceeds' | 'original-wrong-type' | 'duplicate-reference';

export class FlowError extends Error {
  constructor(
    readonly code: FlowErrorCode,
    message: string,
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

export interface ControllerDeps extends Omit<ActorDeps, 'onDecided'> {
  terminal: TerminalConfig;
  policy: PolicyConfig;
  stan: StanCounter;
  log: Logger;
}

interface Active {
  record: TxnRecord;
  actor: AnyActorRef;
}

export class FlowController {
  private active: Active | undefined;
  private readonly log: Logger;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: ControllerDeps) {
    this.log = deps.log.child({ ns: 'flows' });
  }

  get busy(): boolean {
    return this.active !== undefined;
  }

  get activeReference(): string | undefined {
    return this.active?.record.reference;
  }

  /** Looks an original up by reference, RRN or trace number (current batch). */
  async findOriginal(sel: OriginalSelector): Promise<TxnRecord | undefined> {
    const j = this.deps.journal;
    if (sel.reference) return j.byReference(sel.reference);
    if (sel.rrn) return j.byRrn(sel.rrn);
    if (sel.stan) return j.byStan(await j.batchNumber(), sel.stan.padStart(6, '0'));
    return undefined;
  }

  /** Validates and journals the transaction (state created), then starts its flow. Throws FlowError. */
  async start(req: StartRequest): Promise<Running> {
    if (this.active) throw new FlowError('busy', `terminal is busy with transaction ${this.active.record.reference}`);
    // Reserve the slot before any await can let a second request in (looking up an original awaits the journal).
    const placeholder = { record: { reference: req.reference ?? '(keypad)' } as TxnRecord, actor: undefined as unknown as AnyActorRef };
    this.active = placeholder;
    try {
      return await this.journalAndRun(req);
    } catch (err) {
      if (this.active === placeholder) this.active = undefined;
      throw err;
    }
  }

  private async journalAndRun(req: StartRequest): Promise<Running> {
    const { journal, terminal } = this.deps;
    const currency = req.currency ?? terminal.currency;
    if (currency !== terminal.currency) throw new FlowError('bad-request', `currency ${currency} is not this terminal's currency (${terminal.currency})`);
    let amount = req.amount ?? 0;
    let original: TxnRecord | undefined;
    if (REFERENCED.has(req.type)) {
      if (!req.original || !(req.original.reference || req.original.rrn || req.original.stan)) throw new FlowError('bad-request', `a ${req.type} needs original.reference, original.rrn or original.stan`);
      original = await this.findOriginal(req.original);
      if (!original) throw new FlowError('original-not-found', `no original transaction matching ${JSON.stringify(req.original)}`);
      if (req.type === 'void' && req.amount === undefined) amount = original.amount;
      const check = checkOriginal(req.type, original, amount, await journal.batchNumber());
      if (!check.ok) throw new FlowError(check.code, check.message);
    }
    if (req.type !== 'balance' && !(Number.isInteger(amount) && amount > 0)) throw new FlowError('bad-request', `a ${req.type} needs a positive amount in minor units`);
    if (req.type === 'balance' && req.amount) throw new FlowError('bad-request', 'a balance inquiry takes no amount');
    const stan = await this.deps.stan.next();
    const batch = await journal.batchNumber();
    const card = original ? journal.cardOf(original) : undefined;
    if (original && !card) throw new FlowError('original-not-allowed', `card data of ${original.reference} was purged at settlement: refund it with the card`);
    const record = await journal.create({
      reference: req.reference ?? `T${terminal.terminalId}-${batch}-${stan}`,
      origin: req.origin,
      requestHash: req.requestHash,
      type: req.type,
      stan,
      batch,
      amount,
      currency,
      currencyNumeric: terminal.currencyNumeric,
      operator: req.operator ?? '01',
      original: original
        ? { id: original.id, reference: original.reference, stan: original.stan, batch: original.batch, localDate: original.request?.localDate ?? '', rrn: original.rrn, authCode: original.authCode }
        : undefined,
      card,
    });
    return this.run(record, req.card);
  }

  private run(record: TxnRecord, card?: SwipedCard): Running {
    let decide!: (r: TxnRecord) => void;
    const decided = new Promise<TxnRecord>((r) => (decide = r));
    const actors = flowActors({ ...this.deps, onDecided: (r) => decide(r) });
    const { policy } = this.deps;
    const actor: AnyActorRef = REFERENCED.has(record.type)
      ? createActor(referencedTxnMachine.provide({ actors: actors.referenced }), { input: { rec: record } })
      : createActor(cardTxnMachine.provide({ actors: actors.card }), {
          input: {
            rec: record,
            card,
            chipCardSwiped: policy.chipCardSwiped,
            pinRequired: record.type === 'balance',
            duplicateGuard: record.type === 'sale' && policy.duplicateWindowSec > 0,
            now: this.deps.now,
          },
        });
    this.active = { record, actor };
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const finished = new Promise<TxnRecord>((resolve) => {
      actor.subscribe({
        complete: () => {
          const out = (actor.getSnapshot() as { output?: TxnRecord }).output ?? record;
          this.active = undefined;
          decide(out);
          this.idleTimer = setTimeout(() => !this.active && void this.deps.ui.showIdle(), 3000);
          this.idleTimer.unref(); // a screen refresh never keeps the process (or a stopped terminal) alive
          resolve(out);
        },
        error: (err: unknown) => {
          this.log.error({ err, reference: record.reference }, 'flow failed');
          this.active = undefined;
          void this.deps.ui.showIdle();
          void this.deps.journal.get(record.id).then((r) => (decide(r ?? record), resolve(r ?? record)));
        },
      });
    });
    this.log.info({ reference: record.reference, type: record.type, stan: record.stan }, 'flow started');
    actor.start();
    return { record, decided, finished };
  }

  /** Cancels the active flow if nothing was sent yet. */
  async cancel(reference: string): Promise<'cancelled' | 'too-late' | 'not-active'> {
    const a = this.active;
    if (!a || a.record.reference !== reference || !a.actor) return 'not-active';
    const rec = await this.deps.journal.get(a.record.id);
    if (!rec || rec.state !== 'created') return 'too-late';
    // A machine past the point of no return (a void or refund already on its way) ignores CANCEL: say so.
    if (!a.actor.getSnapshot().can({ type: 'CANCEL' })) return 'too-late';
    a.actor.send({ type: 'CANCEL' });
    return 'cancelled';
  }

  /** Runs `fn` (settlement) with the terminal marked busy, so no transaction starts meanwhile. */
  async exclusive<T>(label: string, fn: () => Promise<T>): Promise<T> {
    if (this.active) throw new FlowError('busy', `terminal is busy with transaction ${this.active.record.reference}`);
    const slot = { record: { reference: label } as TxnRecord, actor: undefined as unknown as AnyActorRef };
    this.active = slot;
    try {
      return await fn();
    } finally {
      if (this.active === slot) this.active = undefined;
    }
  }
}
