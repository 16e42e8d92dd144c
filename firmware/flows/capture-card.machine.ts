// Card capture (swipe + PIN) as a child machine of the transaction machine: card checks, duplicate guard, PIN, timeouts.
import { assign, fromCallback, fromPromise, sendParent, setup, type DoneActorEvent } from 'xstate';
import type { SwipedCard } from '../hal/magstripe/magstripe';
import type { PinResult } from '../hal/pinpad/pinpad';
import type { CardEntry, Secrets } from '../host/messages';
import type { TxnRecord } from '../journal/types';
import { maskPan } from '../log';
import type { CardCheck } from './card-checks';
import { summaryOf, type CancelReason, type CardRetry, type Prompt } from './prompts';

/** How long a person is waited for, per step (board config `policy.timeouts`). */
export interface PersonTimeouts {
  cardMs: number;
  pinMs: number;
  confirmMs: number;
}

export interface CardCaptureInput {
  rec: TxnRecord;
  /** A card swiped before the transaction started (keypad: swiped at idle), already checked. */
  preswiped?: { card: SwipedCard; check: CardCheck };
  /** Balance inquiries need a PIN; sales and pre-auths allow bypass (OK with no digits). */
  pinRequired: boolean;
  /** Only sales ask about possible duplicates. */
  duplicateGuard: boolean;
  timeouts: PersonTimeouts;
  readerMissing: boolean;
  /** The card must be this one (masked PAN of the original: a refund or completion after settlement). */
  match?: string;
  /** No PIN is asked (a refund or completion with the card presented again). */
  skipPin?: boolean;
}

interface CardCaptureContext extends CardCaptureInput {
  card?: SwipedCard;
  fallback: boolean;
  retry?: CardRetry;
  pinRetry?: 'pin-required';
  result?: CaptureResult;
}

/** What a capture hands the transaction machine: the card data to send, never stored, or why it stopped. */
export type CaptureResult =
  | { outcome: 'captured'; rec: TxnRecord; entry: CardEntry; secrets: Secrets }
  | { outcome: 'cancelled'; rec: TxnRecord; reason: CancelReason; detail?: string };

export type CardCaptureEvent = { type: 'CARD'; card: SwipedCard; check: CardCheck } | { type: 'BAD_READ'; retry: CardRetry } | { type: 'CONFIRM' };

/** What the capture tells its parent: a prompt to show, or the record with the card read (masked PAN, sealed data in memory). */
export type CaptureToParent = { type: 'PROMPT'; prompt: Prompt } | { type: 'CARD_READ'; rec: TxnRecord };

const notProvided = (name: string) => () => {
  throw new Error(`card capture actor ${name} was not provided`);
};

type PinDone = DoneActorEvent<PinResult>;
const pinOutput = (event: unknown) => (event as PinDone).output;
const errorText = (event: unknown) => {
  const error = (event as { error?: unknown }).error;
  return error instanceof Error ? error.message : String(error);
};
type Cancel = { reason: CancelReason; detail?: string };

export const cardCaptureMachine = setup({
  types: {
    input: {} as CardCaptureInput,
    context: {} as CardCaptureContext,
    events: {} as CardCaptureEvent,
    output: {} as CaptureResult,
  },
  actors: {
    /** Sends CARD (with its checks) or BAD_READ back as swipes arrive. */
    waitCard: fromCallback<CardCaptureEvent, { rec: TxnRecord }>(notProvided('waitCard')),
    /** Seals PAN + expiry into the record (not synced: nothing was sent yet). */
    attachCard: fromPromise<TxnRecord, { rec: TxnRecord; card: SwipedCard }>(notProvided('attachCard')),
    isDuplicate: fromPromise<boolean, { rec: TxnRecord }>(notProvided('isDuplicate')),
    /** Aborted (the pad stops asking) when the state is left: CANCEL, timeout. */
    requestPin: fromPromise<PinResult, { rec: TxnRecord; card: SwipedCard; allowBypass: boolean; timeoutMs: number }>(notProvided('requestPin')),
  },
  actions: {
    promptCard: sendParent(({ context }) => ({ type: 'PROMPT', prompt: { kind: 'present-card', txn: summaryOf(context.rec), retry: context.retry, readerMissing: context.readerMissing } }) satisfies CaptureToParent),
    promptDuplicate: sendParent(({ context }) => ({ type: 'PROMPT', prompt: { kind: 'confirm-duplicate', txn: summaryOf(context.rec) } }) satisfies CaptureToParent),
    promptPin: sendParent(({ context }) => ({ type: 'PROMPT', prompt: { kind: 'enter-pin', txn: summaryOf(context.rec), bypassAllowed: !context.pinRequired, retry: context.pinRetry } }) satisfies CaptureToParent),
    cancelled: assign({ result: ({ context }, params: Cancel): CaptureResult => ({ outcome: 'cancelled', rec: context.rec, ...params }) }),
    captured: assign({ result: ({ context, event }) => captured(context, pinOutput(event)) }),
    capturedWithoutPin: assign({ result: ({ context }) => captured(context, { kind: 'bypass' }) }),
    tellCardRead: sendParent(({ context }) => ({ type: 'CARD_READ', rec: context.rec }) satisfies CaptureToParent),
  },
  guards: {
    hasPreswiped: ({ context }) => context.preswiped !== undefined,
    preswipedUsable: ({ context }) => context.preswiped?.check.ok === true,
    cardUsable: ({ event }) => event.type === 'CARD' && event.check.ok,
    wrongCard: ({ context, event }) => event.type === 'CARD' && context.match !== undefined && maskPan(event.card.pan) !== context.match,
    skipsPin: ({ context }) => context.skipPin === true,
    guardsDuplicates: ({ context }) => context.duplicateGuard,
    isDuplicate: ({ event }) => (event as unknown as DoneActorEvent<boolean>).output === true,
    pinEntered: ({ event }) => pinOutput(event).kind === 'pin',
    bypassAllowed: ({ event, context }) => pinOutput(event).kind === 'bypass' && !context.pinRequired,
    bypassRefused: ({ event }) => pinOutput(event).kind === 'bypass',
    padTimedOut: ({ event }) => pinOutput(event).kind === 'timeout',
  },
  delays: {
    cardTimeout: ({ context }) => context.timeouts.cardMs,
    pinTimeout: ({ context }) => context.timeouts.pinMs,
    confirmTimeout: ({ context }) => context.timeouts.confirmMs,
  },
}).createMachine({
  id: 'capture-card',
  context: ({ input }) => ({ ...input, fallback: false }),
  initial: 'start',
  states: {
    start: { always: [{ guard: 'hasPreswiped', target: 'preswiped' }, { target: 'awaitingCard' }] },
    preswiped: {
      always: [
        { guard: 'preswipedUsable', target: 'attachingCard', actions: assign(({ context }) => ({ card: context.preswiped!.card, fallback: context.preswiped!.check.ok && context.preswiped!.check.fallback })) },
        { target: 'awaitingCard', actions: assign(({ context }) => ({ retry: context.preswiped!.check.ok ? undefined : context.preswiped!.check.reason })) },
      ],
    },
    awaitingCard: {
      entry: 'promptCard',
      invoke: { id: 'waitCard', src: 'waitCard', input: ({ context }) => ({ rec: context.rec }) },
      after: { cardTimeout: { target: 'done', actions: { type: 'cancelled', params: { reason: 'timeout' } } } },
      on: {
        CARD: [
          { guard: 'wrongCard', target: 'awaitingCard', reenter: true, actions: assign({ retry: 'wrong-card' as const }) },
          { guard: 'cardUsable', target: 'attachingCard', actions: assign(({ event }) => ({ card: event.card, fallback: event.check.ok && event.check.fallback, retry: undefined })) },
          { target: 'awaitingCard', reenter: true, actions: assign({ retry: ({ event }) => (event.check.ok ? undefined : event.check.reason) }) },
        ],
        BAD_READ: { target: 'awaitingCard', reenter: true, actions: assign({ retry: ({ event }) => event.retry }) },
      },
    },
    attachingCard: {
      invoke: {
        id: 'attachCard',
        src: 'attachCard',
        input: ({ context }) => ({ rec: context.rec, card: context.card! }),
        onDone: { target: 'duplicateCheck', actions: [assign({ rec: ({ event }) => event.output }), 'tellCardRead'] },
        onError: { target: 'done', actions: { type: 'cancelled', params: ({ event }) => ({ reason: 'journal-fault', detail: errorText(event) }) } },
      },
    },
    duplicateCheck: {
      always: [{ guard: { type: 'guardsDuplicates' }, target: 'checkingDuplicate' }, { target: 'pinStep' }],
    },
    pinStep: {
      always: [{ guard: 'skipsPin', target: 'done', actions: 'capturedWithoutPin' }, { target: 'pinEntry' }],
    },
    checkingDuplicate: {
      invoke: {
        id: 'isDuplicate',
        src: 'isDuplicate',
        input: ({ context }) => ({ rec: context.rec }),
        onDone: [{ guard: 'isDuplicate', target: 'confirmingDuplicate' }, { target: 'pinStep' }],
        onError: { target: 'pinStep' },
      },
    },
    confirmingDuplicate: {
      entry: 'promptDuplicate',
      after: { confirmTimeout: { target: 'done', actions: { type: 'cancelled', params: { reason: 'timeout' } } } },
      on: { CONFIRM: 'pinStep' },
    },
    pinEntry: {
      entry: 'promptPin',
      invoke: {
        id: 'requestPin',
        src: 'requestPin',
        input: ({ context }) => ({ rec: context.rec, card: context.card!, allowBypass: !context.pinRequired, timeoutMs: context.timeouts.pinMs }),
        onDone: [
          { guard: 'pinEntered', target: 'done', actions: 'captured' },
          { guard: 'bypassAllowed', target: 'done', actions: 'captured' },
          { guard: 'bypassRefused', target: 'pinEntry', reenter: true, actions: assign({ pinRetry: () => 'pin-required' as const }) },
          { guard: 'padTimedOut', target: 'done', actions: { type: 'cancelled', params: { reason: 'timeout' } } },
          { target: 'done', actions: { type: 'cancelled', params: { reason: 'pin-cancelled' } } },
        ],
        onError: { target: 'done', actions: { type: 'cancelled', params: ({ event }) => ({ reason: 'pinpad-fault', detail: errorText(event) }) } },
      },
      after: { pinTimeout: { target: 'done', actions: { type: 'cancelled', params: { reason: 'timeout' } } } },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.result!,
});

function captured(c: CardCaptureContext, pin: PinResult): CaptureResult {
  const withPin = pin.kind === 'pin';
  return {
    outcome: 'captured',
    rec: c.rec,
    entry: { kind: 'swipe', pin: withPin, fallback: c.fallback },
    secrets: { track2: c.card!.track2, ...(withPin ? { pinBlock: pin.pinBlock, ksn: pin.ksn } : {}) },
  };
}
