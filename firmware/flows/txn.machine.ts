// The one transaction machine: capture (per type) → authorise → print → finish, every type; outcomes announced with emit.
import { assign, emit, fromPromise, sendTo, setup, type ActorLogic, type AnyActorRef } from 'xstate';
import type { CardEntry, Secrets } from '../host/messages';
import type { TxnRecord } from '../journal/types';
import type { CaptureResult, CardCaptureInput } from './capture-card.machine';
import { summaryOf, type CancelReason, type Prompt, type PromptKind } from './prompts';

/** How this transaction gets its card: swiped now (with PIN), or the original's stored card data. */
export type CaptureKind = 'card' | 'stored';

export interface TxnInput {
  /** Journaled as `created`. */
  rec: TxnRecord;
  capture: CaptureKind;
  /** Card capture settings (capture `card` only). */
  card?: Omit<CardCaptureInput, 'rec'>;
}

interface TxnContext extends TxnInput {
  /** Card data to send with the request; dropped as soon as the request is built. */
  captured?: { entry: CardEntry; secrets: Secrets };
  cancel?: { reason: CancelReason; detail?: string };
  /** The step the transaction was at (for where a CANCEL came). */
  step?: PromptKind;
}

export type TxnEvent =
  /** Operator (CANCEL key) or ECR: allowed until the request may leave. */
  | { type: 'CANCEL'; by: 'operator' | 'ecr' }
  /** The operator confirms a possible duplicate. */
  | { type: 'CONFIRM' }
  /** From a capture child: a prompt to show. */
  | { type: 'PROMPT'; prompt: Prompt }
  /** From a capture child: the record with the card read (a cancel from now on keeps its masked PAN). */
  | { type: 'CARD_READ'; rec: TxnRecord };

export type TxnEmitted =
  | { type: 'prompt'; prompt: Prompt }
  /** The outcome is journaled (synced): it may now be shown, printed and answered. */
  | { type: 'decided'; record: TxnRecord };

export interface AuthoriseInput {
  rec: TxnRecord;
  entry: CardEntry;
  secrets: Secrets;
}

export interface FinishInput {
  rec: TxnRecord;
  cancel?: { reason: CancelReason; step?: PromptKind; detail?: string };
}

const notProvided = (name: string) => () => {
  throw new Error(`transaction actor ${name} was not provided`);
};

export const txnMachine = setup({
  types: {
    input: {} as TxnInput,
    context: {} as TxnContext,
    events: {} as TxnEvent,
    output: {} as TxnRecord,
    emitted: {} as TxnEmitted,
  },
  actors: {
    /** A capture child machine (capture-card.machine.ts); its output is a CaptureResult. */
    captureCard: {} as ActorLogic<any, any, CardCaptureInput, any, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
    /** Journals `sending` (synced), sends, journals the outcome (synced). Never rejects for host trouble. */
    authorise: fromPromise<TxnRecord, AuthoriseInput>(notProvided('authorise')),
    printSlips: fromPromise<TxnRecord, { rec: TxnRecord }>(notProvided('printSlips')),
    /** Cancels a record still `created`, completes an approved or declined one; returns the record as it ends. */
    finish: fromPromise<TxnRecord, FinishInput>(notProvided('finish')),
  },
  guards: {
    capturesStoredCard: ({ context }) => context.capture === 'stored',
    captureCancelled: ({ event }) => (event as unknown as { output: CaptureResult }).output.outcome === 'cancelled',
  },
}).createMachine({
  id: 'txn',
  context: ({ input }) => ({ ...input }),
  initial: 'capturing',
  states: {
    capturing: {
      initial: 'choosing',
      on: {
        CANCEL: { target: 'cancelling', actions: assign({ cancel: ({ event }) => ({ reason: event.by }) }) },
        PROMPT: { actions: [assign({ step: ({ event }) => event.prompt.kind }), emit(({ event }) => ({ type: 'prompt' as const, prompt: event.prompt }))] },
        CONFIRM: { actions: sendTo('capture', { type: 'CONFIRM' }) },
        CARD_READ: { actions: assign({ rec: ({ event }) => event.rec }) },
      },
      states: {
        choosing: { always: [{ guard: 'capturesStoredCard', target: 'stored' }, { target: 'card' }] },
        stored: { always: { target: '#txn.authorising', actions: assign({ captured: () => ({ entry: { kind: 'stored' as const }, secrets: {} }) }) } },
        card: {
          invoke: {
            id: 'capture',
            src: 'captureCard',
            input: ({ context }) => ({ ...context.card!, rec: context.rec }),
            onDone: [
              {
                guard: 'captureCancelled',
                target: '#txn.cancelling',
                actions: assign(({ event }) => {
                  const out = event.output as Extract<CaptureResult, { outcome: 'cancelled' }>;
                  return { rec: out.rec, cancel: { reason: out.reason, detail: out.detail } };
                }),
              },
              {
                target: '#txn.authorising',
                actions: assign(({ event }) => {
                  const out = event.output as Extract<CaptureResult, { outcome: 'captured' }>;
                  return { rec: out.rec, captured: { entry: out.entry, secrets: out.secrets } };
                }),
              },
            ],
            onError: { target: '#txn.cancelling', actions: assign({ cancel: ({ event }) => ({ reason: 'pinpad-fault' as const, detail: String(event.error) }) }) },
          },
        },
      },
    },
    authorising: {
      // No CANCEL here: once the request may leave, only the host's answer or a reversal ends it.
      entry: emit(({ context }) => ({ type: 'prompt' as const, prompt: { kind: 'authorising' as const, txn: summaryOf(context.rec) } })),
      invoke: {
        id: 'authorise',
        src: 'authorise',
        input: ({ context }) => ({ rec: context.rec, entry: context.captured!.entry, secrets: context.captured!.secrets }),
        onDone: { target: 'printing', actions: assign({ rec: ({ event }) => event.output, captured: undefined }) },
        // The authoriser itself failed (a bug or the journal): the record keeps its journaled state; recovery settles it.
        onError: { target: 'finishing', actions: assign({ captured: undefined }) },
      },
    },
    printing: {
      entry: [
        emit(({ context }) => ({ type: 'decided' as const, record: context.rec })),
        emit(({ context }) => ({ type: 'prompt' as const, prompt: { kind: 'printing' as const, txn: summaryOf(context.rec), record: context.rec } })),
      ],
      invoke: {
        id: 'printSlips',
        src: 'printSlips',
        input: ({ context }) => ({ rec: context.rec }),
        onDone: { target: 'finishing', actions: assign({ rec: ({ event }) => event.output }) },
        onError: { target: 'finishing' },
      },
    },
    finishing: {
      invoke: {
        id: 'finish',
        src: 'finish',
        input: ({ context }) => ({ rec: context.rec }),
        onDone: { target: 'done', actions: assign({ rec: ({ event }) => event.output }) },
        onError: { target: 'done' },
      },
    },
    cancelling: {
      invoke: {
        id: 'cancel',
        src: 'finish',
        input: ({ context }) => ({ rec: context.rec, cancel: { ...context.cancel!, step: context.step } }),
        onDone: { target: 'done', actions: [assign({ rec: ({ event }) => event.output }), emit(({ event }) => ({ type: 'decided' as const, record: event.output }))] },
        onError: { target: 'done' },
      },
    },
    done: {
      type: 'final',
      entry: emit(({ context }) => ({ type: 'prompt' as const, prompt: { kind: 'finished' as const, txn: summaryOf(context.rec), record: context.rec } })),
    },
  },
  output: ({ context }) => context.rec,
});

export type TxnActor = AnyActorRef;
