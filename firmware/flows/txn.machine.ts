// The one transaction machine: capture (per type) → authorise → print → finish, every type; outcomes announced with emit.
import { assign, emit, fromPromise, sendTo, setup, type ActorLogic, type AnyActorRef } from 'xstate';
import type { CardEntry, Secrets } from '../host/messages';
import type { TxnRecord } from '../journal/types';
import type { CaptureResult, CardCaptureInput } from './capture-card.machine';
import type { QrScanInput } from './capture-qr-scan.machine';
import { summaryOf, type CancelReason, type Prompt, type PromptKind } from './prompts';

/**
 * How this transaction gets what it sends: a card swiped now (with PIN), the original's stored card data, the
 * customer's payment code scanned (B扫C), or nothing from the customer before the request (C扫B: the QR is shown after).
 */
export type CaptureKind = 'card' | 'stored' | 'qr-scan' | 'qr-present';

export interface TxnInput {
  /** Journaled as `created`. */
  rec: TxnRecord;
  capture: CaptureKind;
  /** Card capture settings (capture `card` only). */
  card?: Omit<CardCaptureInput, 'rec'>;
  /** Payment-code capture settings (capture `qr-scan` only). */
  qrScan?: Omit<QrScanInput, 'rec'>;
}

interface TxnContext extends TxnInput {
  /** A CANCEL for a QR payment while its request was on its way: honoured once the customer is waited for. */
  cancelLater?: 'operator' | 'ecr';
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
    /** The B扫C capture child (capture-qr-scan.machine.ts); its output is a CaptureResult. */
    captureQrScan: {} as ActorLogic<any, any, QrScanInput, any, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
    /** Resolves with the record once a QR payment is final (the SAF queue's watch asks the host; this only waits). */
    awaitOutcome: fromPromise<TxnRecord, { rec: TxnRecord }>(notProvided('awaitOutcome')),
    /** Journals `sending` (synced), sends, journals the outcome (synced). Never rejects for host trouble. */
    authorise: fromPromise<TxnRecord, AuthoriseInput>(notProvided('authorise')),
    printSlips: fromPromise<TxnRecord, { rec: TxnRecord }>(notProvided('printSlips')),
    /** Cancels a record still `created`, completes an approved or declined one; returns the record as it ends. */
    finish: fromPromise<TxnRecord, FinishInput>(notProvided('finish')),
  },
  actions: {
    /** Asks the watch of a QR payment to stop waiting: revoke (B扫C) or close the order (C扫B) now. */
    stopWaiting: (_, _params: { rec: TxnRecord; by: 'operator' | 'ecr' }) => undefined,
    /** A capture child ended cancelled: its record (with the masked PAN once a card was read) and why. */
    takeCancelledCapture: assign(({ event }) => {
      const out = (event as unknown as { output: Extract<CaptureResult, { outcome: 'cancelled' }> }).output;
      return { rec: out.rec, cancel: { reason: out.reason, detail: out.detail } };
    }),
    /** A capture child captured: the record, how the payment was presented, and the secrets for the request only. */
    takeCapture: assign(({ event }) => {
      const out = (event as unknown as { output: Extract<CaptureResult, { outcome: 'captured' }> }).output;
      return { rec: out.rec, captured: { entry: out.entry, secrets: out.secrets } };
    }),
  },
  guards: {
    capturesStoredCard: ({ context }) => context.capture === 'stored',
    capturesQrScan: ({ context }) => context.capture === 'qr-scan',
    capturesNothing: ({ context }) => context.capture === 'qr-present',
    awaitsCustomer: ({ event }) => (event as unknown as { output: TxnRecord }).output.state === 'awaiting-customer',
    isQrPayment: ({ context }) => context.rec.type === 'qr-sale' || context.rec.type === 'qr-present',
    cancelPending: ({ context }) => context.cancelLater !== undefined,
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
        choosing: {
          always: [
            { guard: 'capturesStoredCard', target: 'stored' },
            { guard: 'capturesQrScan', target: 'qrScan' },
            { guard: 'capturesNothing', target: '#txn.authorising', actions: assign({ captured: () => ({ entry: { kind: 'qr' as const }, secrets: {} }) }) },
            { target: 'card' },
          ],
        },
        stored: { always: { target: '#txn.authorising', actions: assign({ captured: () => ({ entry: { kind: 'stored' as const }, secrets: {} }) }) } },
        qrScan: {
          invoke: {
            id: 'capture',
            src: 'captureQrScan',
            input: ({ context }) => ({ ...context.qrScan!, rec: context.rec }),
            onDone: [
              { guard: 'captureCancelled', target: '#txn.cancelling', actions: 'takeCancelledCapture' },
              { target: '#txn.authorising', actions: 'takeCapture' },
            ],
            onError: { target: '#txn.cancelling', actions: assign({ cancel: ({ event }) => ({ reason: 'scanner-fault' as const, detail: String(event.error) }) }) },
          },
        },
        card: {
          invoke: {
            id: 'capture',
            src: 'captureCard',
            input: ({ context }) => ({ ...context.card!, rec: context.rec }),
            onDone: [
              { guard: 'captureCancelled', target: '#txn.cancelling', actions: 'takeCancelledCapture' },
              { target: '#txn.authorising', actions: 'takeCapture' },
            ],
            onError: { target: '#txn.cancelling', actions: assign({ cancel: ({ event }) => ({ reason: 'pinpad-fault' as const, detail: String(event.error) }) }) },
          },
        },
      },
    },
    authorising: {
      // No CANCEL for cards: once the request may leave, only the host's answer or a reversal ends it. A QR payment's
      // CANCEL is kept for when the customer is waited for (then the order is revoked or closed).
      on: { CANCEL: { guard: 'isQrPayment', actions: assign({ cancelLater: ({ event }) => event.by }) } },
      entry: emit(({ context }) => ({ type: 'prompt' as const, prompt: { kind: 'authorising' as const, txn: summaryOf(context.rec) } })),
      invoke: {
        id: 'authorise',
        src: 'authorise',
        input: ({ context }) => ({ rec: context.rec, entry: context.captured!.entry, secrets: context.captured!.secrets }),
        onDone: [
          { guard: 'awaitsCustomer', target: 'awaitingCustomer', actions: assign({ rec: ({ event }) => event.output, captured: undefined }) },
          { target: 'printing', actions: assign({ rec: ({ event }) => event.output, captured: undefined }) },
        ],
        // The authoriser itself failed (a bug or the journal): the record keeps its journaled state; recovery settles it.
        onError: { target: 'finishing', actions: assign({ captured: undefined }) },
      },
    },
    awaitingCustomer: {
      // The customer confirms on the phone (B扫C) or scans the QR shown (C扫B); a CANCEL stops waiting (revoke / close).
      entry: emit(({ context }) => ({
        type: 'prompt' as const,
        prompt: {
          kind: 'awaiting-customer' as const,
          txn: summaryOf(context.rec),
          mode: context.rec.type === 'qr-present' ? ('present' as const) : ('scan' as const),
          wallet: context.rec.qr?.wallet ?? '',
          payload: context.rec.qr?.payload,
          deadline: context.rec.qr?.deadline,
        },
      })),
      invoke: { id: 'awaitOutcome', src: 'awaitOutcome', input: ({ context }) => ({ rec: context.rec }), onDone: { target: 'printing', actions: assign({ rec: ({ event }) => event.output }) }, onError: { target: 'finishing' } },
      always: { guard: 'cancelPending', actions: [{ type: 'stopWaiting', params: ({ context }) => ({ rec: context.rec, by: context.cancelLater! }) }, assign({ cancelLater: undefined })] },
      on: { CANCEL: { actions: { type: 'stopWaiting', params: ({ context, event }) => ({ rec: context.rec, by: event.by }) } } },
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
