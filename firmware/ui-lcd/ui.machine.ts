// The keypad UI as one machine: idle, menu, amount entry, running transaction, paused printer, messages; one idle timer.
import { assign, fromPromise, raise, setup } from 'xstate';
import type { Key } from '../common/keys';
import type { SwipedCard } from '../hal/magstripe/magstripe';
import type { Prompt } from '../flows/prompts';
import { amountKey } from './amount';
import { MENU_ITEMS, type PrinterPause } from './texts';

/** What the keypad starts: a sale or pre-auth with the amount typed (and the card swiped at idle), or a balance inquiry. */
export interface KeypadStart {
  type: 'sale' | 'preauth' | 'balance';
  amount?: number;
  card?: SwipedCard;
}

export interface UiInput {
  /** Devices failed at boot: the fault screen shows first. */
  faults: boolean;
  promptMs: number;
  /** How long outcome and refusal messages stay before idle. */
  messageMs: number;
}

export interface UiContext extends UiInput {
  cursor: number;
  digits: string;
  startType: KeypadStart['type'];
  card?: SwipedCard;
  prompt?: Prompt;
  paused?: PrinterPause;
  resumed: boolean;
  message?: string;
}

export type UiEvent =
  | { type: 'KEY'; key: Key }
  /** A card swiped while the terminal is idle. */
  | { type: 'SWIPE'; card: SwipedCard }
  /** A prompt of the running transaction (ECR- or keypad-started). */
  | { type: 'PROMPT'; prompt: Prompt }
  | { type: 'PRINTER_PAUSED'; why: PrinterPause }
  | { type: 'PRINTER_RESUMED' };

const notProvided = (name: string) => () => {
  throw new Error(`ui actor ${name} was not provided`);
};

const isDigit = (k: Key) => /^[0-9]$/.test(k);
const keyOf = (e: UiEvent) => (e.type === 'KEY' ? e.key : undefined);
const pickOf = (c: UiContext, e: UiEvent): number | undefined => {
  const k = keyOf(e);
  if (k === 'OK') return c.cursor;
  if (k && /^[1-9]$/.test(k) && Number(k) <= MENU_ITEMS.length) return Number(k) - 1;
  return undefined;
};

export const uiMachine = setup({
  types: { input: {} as UiInput, context: {} as UiContext, events: {} as UiEvent },
  actors: {
    /** Starts a transaction (the controller); rejects with the reason it was refused. */
    startTxn: fromPromise<void, KeypadStart>(notProvided('startTxn')),
    /** Reprints the last slip; resolves with the error when it could not. */
    reprintLast: fromPromise<{ error?: string }, void>(notProvided('reprintLast')),
  },
  actions: {
    /** CANCEL or OK for the running transaction. */
    forwardToTxn: (_, _params: { key: 'CANCEL' | 'OK' }) => undefined,
    replayKey: raise(({ event }) => event),
  },
  guards: {
    hasFaults: ({ context }) => context.faults,
    isKey: ({ event }, key: Key) => keyOf(event) === key,
    isDigitOrClear: ({ event }) => {
      const k = keyOf(event);
      return k !== undefined && (isDigit(k) || k === 'CLEAR');
    },
    amountConfirmed: ({ context, event }) => keyOf(event) === 'OK' && Number(context.digits || '0') > 0,
    picked: ({ context, event }, item: (typeof MENU_ITEMS)[number]) => {
      const i = pickOf(context, event);
      return i !== undefined && MENU_ITEMS[i] === item;
    },
    finished: ({ event }) => event.type === 'PROMPT' && event.prompt.kind === 'finished',
    reprintFailed: ({ event }) => (event as unknown as { output: { error?: string } }).output.error !== undefined,
  },
  delays: {
    promptTimeout: ({ context }) => context.promptMs,
    messageTime: ({ context }) => context.messageMs,
  },
}).createMachine({
  id: 'ui',
  context: ({ input }) => ({ ...input, cursor: 0, digits: '', startType: 'sale', resumed: false }),
  initial: 'boot',
  on: {
    // An ECR transaction takes the screen from idle or a message; amount entry and menus refuse it (the controller asks).
    PROMPT: [
      { guard: 'finished', target: '.finished', actions: assign({ prompt: ({ event }) => event.prompt, resumed: false, paused: undefined }) },
      { target: '.running', actions: assign({ prompt: ({ event }) => event.prompt, resumed: false, paused: undefined }) },
    ],
  },
  states: {
    boot: { always: [{ guard: 'hasFaults', target: 'faults' }, { target: 'idle' }] },
    faults: { after: { messageTime: 'idle' } },
    idle: {
      entry: assign({ card: undefined, digits: '', message: undefined }),
      on: {
        KEY: [
          { guard: { type: 'isKey', params: 'F1' }, target: 'amount', actions: assign({ startType: 'sale' }) },
          { guard: { type: 'isKey', params: 'MENU' }, target: 'menu', actions: assign({ cursor: 0 }) },
        ],
        SWIPE: { target: 'amount', actions: assign({ startType: 'sale', card: ({ event }) => event.card }) },
      },
    },
    menu: {
      after: { promptTimeout: 'idle' },
      on: {
        PROMPT: {},
        KEY: [
          { guard: { type: 'picked', params: 'SALE' }, target: 'amount', actions: assign({ startType: 'sale' }) },
          { guard: { type: 'picked', params: 'PRE-AUTH' }, target: 'amount', actions: assign({ startType: 'preauth' }) },
          { guard: { type: 'picked', params: 'BALANCE' }, target: 'starting', actions: assign({ startType: 'balance' }) },
          { guard: { type: 'picked', params: 'REPRINT LAST' }, target: 'reprinting' },
          { guard: { type: 'isKey', params: 'CANCEL' }, target: 'idle' },
          { guard: { type: 'isKey', params: 'DOWN' }, target: 'menu', reenter: true, actions: assign({ cursor: ({ context }) => (context.cursor + 1) % MENU_ITEMS.length }) },
          { guard: { type: 'isKey', params: 'UP' }, target: 'menu', reenter: true, actions: assign({ cursor: ({ context }) => (context.cursor + MENU_ITEMS.length - 1) % MENU_ITEMS.length }) },
        ],
      },
    },
    amount: {
      after: { promptTimeout: 'idle' },
      on: {
        PROMPT: {},
        KEY: [
          { guard: 'amountConfirmed', target: 'starting' },
          { guard: { type: 'isKey', params: 'CANCEL' }, target: 'idle' },
          { guard: 'isDigitOrClear', target: 'amount', reenter: true, actions: assign({ digits: ({ context, event }) => amountKey(context.digits, (event as { key: Key }).key) as string }) },
        ],
      },
    },
    starting: {
      invoke: {
        id: 'startTxn',
        src: 'startTxn',
        input: ({ context }) => ({ type: context.startType, amount: context.startType === 'balance' ? undefined : Number(context.digits), card: context.card }),
        onError: { target: 'refused', actions: assign({ message: ({ event }) => (event.error instanceof Error ? event.error.message : String(event.error)) }) },
      },
    },
    running: {
      on: {
        PROMPT: [
          { guard: 'finished', target: 'finished', actions: assign({ prompt: ({ event }) => event.prompt, paused: undefined }) },
          { actions: assign({ prompt: ({ event }) => event.prompt, resumed: false }) },
        ],
        KEY: [
          { guard: { type: 'isKey', params: 'CANCEL' }, actions: { type: 'forwardToTxn', params: { key: 'CANCEL' } } },
          { guard: { type: 'isKey', params: 'OK' }, actions: { type: 'forwardToTxn', params: { key: 'OK' } } },
        ],
        PRINTER_PAUSED: { target: 'paused', actions: assign({ paused: ({ event }) => event.why }) },
      },
    },
    paused: {
      on: {
        PRINTER_PAUSED: { actions: assign({ paused: ({ event }) => event.why }) },
        PRINTER_RESUMED: { target: 'running', actions: assign({ paused: undefined, resumed: true }) },
        PROMPT: [{ guard: 'finished', target: 'finished', actions: assign({ prompt: ({ event }) => event.prompt, paused: undefined }) }, { actions: assign({ prompt: ({ event }) => event.prompt }) }],
      },
    },
    finished: {
      after: { messageTime: 'idle' },
      on: { KEY: { target: 'idle', actions: 'replayKey' } },
    },
    refused: {
      after: { messageTime: 'idle' },
      on: { KEY: { target: 'idle', actions: 'replayKey' } },
    },
    reprinting: {
      invoke: {
        id: 'reprintLast',
        src: 'reprintLast',
        onDone: [{ guard: 'reprintFailed', target: 'reprintFailed', actions: assign({ message: ({ event }) => event.output.error }) }, { target: 'idle' }],
        onError: { target: 'reprintFailed', actions: assign({ message: ({ event }) => String(event.error) }) },
      },
    },
    reprintFailed: { after: { messageTime: 'idle' } },
  },
});

/** What the cashier is in the middle of, when an ECR request must not take the screen from them. */
export function operatorActivity(state: string): string | undefined {
  if (state === 'menu') return 'in the menu';
  if (state === 'amount') return 'entering an amount';
  if (state === 'starting') return 'starting a transaction';
  if (state === 'reprinting') return 'reprinting';
  return undefined;
}
