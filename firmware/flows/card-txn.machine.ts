// Card-present transactions (sale, pre-authorisation, balance inquiry) as XState machines with injected actors.
import { assign, fromCallback, fromPromise, setup } from 'xstate';
import type { SwipedCard } from '../hal/magstripe/magstripe';
import type { PinResult } from '../hal/pinpad/pinpad';
import type { TxnRecord } from '../journal/types';
import { badReadMessage, checkCard } from './card-checks';

export interface CardTxnInput {
  rec: TxnRecord;
  /** A card already swiped (keypad: swiped at idle). */
  card?: SwipedCard;
  chipCardSwiped: 'fallback' | 'refuse';
  /** Balance inquiries need a PIN; sales and pre-auths allow bypass (OK with no digits). */
  pinRequired: boolean;
  /** Only sales ask about possible duplicates. */
  duplicateGuard: boolean;
  now: () => Date;
}

export interface CardTxnContext extends CardTxnInput {
  fallback: boolean;
  pin?: PinResult;
  message?: string;
}

export type CardTxnEvent =
  | { type: 'CARD'; card: SwipedCard }
  | { type: 'BAD_READ'; reason: string }
  | { type: 'CONFIRM' }
  | { type: 'CANCEL' };

export type Prompt = 'swipe' | 'swipe-again' | 'duplicate' | 'pin' | 'pin-required' | 'processing' | 'printing';

const notProvided = (name: string) => () => {
  throw new Error(`flow actor ${name} was not provided`);
};

export const cardTxnMachine = setup({
  types: {
    input: {} as CardTxnInput,
    context: {} as CardTxnContext,
    events: {} as CardTxnEvent,
    output: {} as TxnRecord,
  },
  actors: {
    /** Sends CARD / BAD_READ back as swipes arrive. */
    waitCard: fromCallback<CardTxnEvent, { rec: TxnRecord; message?: string }>(notProvided('waitCard')),
    /** Sends CONFIRM or CANCEL back from the operator's answer. */
    confirmDuplicate: fromCallback<CardTxnEvent, { rec: TxnRecord }>(notProvided('confirmDuplicate')),
    isDuplicate: fromPromise<boolean, { rec: TxnRecord; card: SwipedCard }>(notProvided('isDuplicate')),
    requestPin: fromPromise<PinResult, { rec: TxnRecord; card: SwipedCard; allowBypass: boolean; message?: string }>(notProvided('requestPin')),
    attachCard: fromPromise<TxnRecord, { rec: TxnRecord; card: SwipedCard }>(notProvided('attachCard')),
    authorise: fromPromise<TxnRecord, { rec: TxnRecord; card: SwipedCard; pin?: PinResult; fallback: boolean }>(notProvided('authorise')),
    printSlips: fromPromise<TxnRecord, { rec: TxnRecord }>(notProvided('printSlips')),
    finish: fromPromise<TxnRecord, { rec: TxnRecord; cancelled: boolean; reason?: string }>(notProvided('finish')),
  },
  guards: {
    hasCard: ({ context }) => context.card !== undefined,
  },
}).createMachine({
  id: 'card-txn',
  context: ({ input }) => ({ ...input, fallback: false }),
  initial: 'start',
  states: {
    start: { always: [{ guard: 'hasCard', target: 'checkingCard' }, { target: 'awaitingCard' }] },
    awaitingCard: {
      invoke: { id: 'waitCard', src: 'waitCard', input: ({ context }) => ({ rec: context.rec, message: context.message }) },
      on: {
        CARD: { target: 'checkingCard', actions: assign({ card: ({ event }) => event.card, message: undefined }) },
        BAD_READ: { target: 'awaitingCard', reenter: true, actions: assign({ message: ({ event }) => badReadMessage(event.reason) }) },
        CANCEL: { target: 'cancelling', actions: assign({ message: () => 'cancelled before the card was read' }) },
      },
    },
    checkingCard: {
      always: [
        {
          guard: ({ context }) => !checkCard(context.card!, context.now(), context.chipCardSwiped).ok,
          target: 'awaitingCard',
          actions: assign(({ context }) => {
            const c = checkCard(context.card!, context.now(), context.chipCardSwiped);
            return { card: undefined, message: c.ok ? undefined : c.message };
          }),
        },
        { target: 'attachingCard', actions: assign({ fallback: ({ context }) => (checkCard(context.card!, context.now(), context.chipCardSwiped) as { fallback: boolean }).fallback }) },
      ],
    },
    attachingCard: {
      invoke: {
        id: 'attachCard',
        src: 'attachCard',
        input: ({ context }) => ({ rec: context.rec, card: context.card! }),
        onDone: { target: 'duplicateCheck', actions: assign({ rec: ({ event }) => event.output }) },
        onError: { target: 'cancelling', actions: assign({ message: ({ event }) => String(event.error) }) },
      },
      on: { CANCEL: { target: 'cancelling', actions: assign({ message: () => 'cancelled after the card was read' }) } },
    },
    duplicateCheck: {
      always: [{ guard: ({ context }) => !context.duplicateGuard, target: 'pinEntry' }],
      invoke: {
        id: 'isDuplicate',
        src: 'isDuplicate',
        input: ({ context }) => ({ rec: context.rec, card: context.card! }),
        onDone: [{ guard: ({ event }) => event.output, target: 'confirmingDuplicate' }, { target: 'pinEntry' }],
        onError: { target: 'pinEntry' },
      },
      on: { CANCEL: { target: 'cancelling', actions: assign({ message: () => 'cancelled after the card was read' }) } },
    },
    confirmingDuplicate: {
      invoke: { id: 'confirmDuplicate', src: 'confirmDuplicate', input: ({ context }) => ({ rec: context.rec }) },
      on: {
        CONFIRM: 'pinEntry',
        CANCEL: { target: 'cancelling', actions: assign({ message: () => 'operator declined a possible duplicate' }) },
      },
    },
    pinEntry: {
      invoke: {
        id: 'requestPin',
        src: 'requestPin',
        input: ({ context }) => ({ rec: context.rec, card: context.card!, allowBypass: !context.pinRequired, message: context.message }),
        onDone: [
          { guard: ({ event }) => event.output.kind === 'pin', target: 'authorising', actions: assign({ pin: ({ event }) => event.output, message: undefined }) },
          { guard: ({ event, context }) => event.output.kind === 'bypass' && !context.pinRequired, target: 'authorising', actions: assign({ pin: undefined, message: undefined }) },
          { guard: ({ event }) => event.output.kind === 'bypass', target: 'pinEntry', reenter: true, actions: assign({ message: () => 'PIN REQUIRED' }) },
          { target: 'cancelling', actions: assign({ message: ({ event }) => `PIN entry ${event.output.kind}` }) },
        ],
        onError: { target: 'cancelling', actions: assign({ message: ({ event }) => `PIN pad fault: ${(event.error as Error).message}` }) },
      },
      on: { CANCEL: { target: 'cancelling', actions: assign({ message: () => 'cancelled at PIN entry' }) } },
    },
    authorising: {
      // No CANCEL here: once the request may leave, only the host's answer or a reversal ends it.
      invoke: {
        id: 'authorise',
        src: 'authorise',
        input: ({ context }) => ({ rec: context.rec, card: context.card!, pin: context.pin, fallback: context.fallback }),
        onDone: { target: 'printing', actions: assign({ rec: ({ event }) => event.output, card: undefined, pin: undefined }) },
        onError: { target: 'failedLocally', actions: assign({ message: ({ event }) => (event.error as Error).message }) },
      },
    },
    printing: {
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
        input: ({ context }) => ({ rec: context.rec, cancelled: false }),
        onDone: { target: 'done', actions: assign({ rec: ({ event }) => event.output }) },
        onError: { target: 'done' },
      },
    },
    cancelling: {
      invoke: {
        id: 'cancel',
        src: 'finish',
        input: ({ context }) => ({ rec: context.rec, cancelled: true, reason: context.message }),
        onDone: { target: 'done', actions: assign({ rec: ({ event }) => event.output, card: undefined, pin: undefined }) },
        onError: { target: 'done' },
      },
    },
    /** The authoriser itself threw (a bug or the journal failing): the record keeps its journaled state. */
    failedLocally: { always: 'finishing' },
    done: { type: 'final' },
  },
  output: ({ context }) => context.rec,
});
