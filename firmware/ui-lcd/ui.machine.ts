// The keypad UI as one machine: idle, menus, procedures (input, confirm, act), running transaction, notices; one idle timer.
import { assign, fromPromise, raise, setup } from 'xstate';
import type { Key } from '../common/keys';
import type { SwipedCard } from '../hal/magstripe/magstripe';
import type { Prompt } from '../flows/prompts';
import { entryValue, editEntry } from './input';
import { digitPick, MENUS, type MenuId } from './menu-tree';
import { LONG_NOTICES } from './notices';
import { nextStep, PROCEDURES, type ProcId, type Step, type StepContext } from './procedures';
import type { BatchTotals, Found, KeypadStart, KeypadType, OperatorRef, SupervisorAction, UiAction, UiNotice, UiOutcome } from './ports';
import type { PrinterPause } from './texts';
import type { Lang } from './words';

export type { KeypadStart };

export interface UiInput {
  /** Devices failed at boot: the fault screen shows first. */
  faults: boolean;
  promptMs: number;
  /** How long outcome and refusal messages stay before idle. */
  messageMs: number;
  /** A cashier logs in before selling (board `operators.loginRequired`). */
  loginRequired: boolean;
  /** Idle time before the cashier is logged out; 0 = never. */
  autoLogoutMs: number;
  /** Largest amount the keypad accepts (minor units). */
  maxAmount: number;
  supervisorFor: readonly SupervisorAction[];
  /** Transaction types the controller takes (QR types only once they exist). */
  accepts: readonly KeypadType[];
  /** Language of the screens (Chinese only on graphic panels). */
  lang: Lang;
}

export interface UiContext extends UiInput {
  operator?: OperatorRef;
  menu: MenuId;
  cursor: number;
  /** First digit of a two-digit menu shortcut. */
  pending?: string;
  proc?: ProcId;
  step: number;
  values: Record<string, string>;
  entry: string;
  found?: Found;
  batch?: BatchTotals;
  start?: KeypadStart;
  card?: SwipedCard;
  prompt?: Prompt;
  paused?: PrinterPause;
  resumed: boolean;
  /** Why a start was refused (and the controller's code). */
  message?: string;
  code?: string;
  notice?: UiNotice;
  scroll: number;
}

export type UiEvent =
  | { type: 'KEY'; key: Key }
  /** A card swiped while the terminal is idle (or while a sale's amount is typed). */
  | { type: 'SWIPE'; card: SwipedCard }
  /** A prompt of the running transaction (ECR- or keypad-started). */
  | { type: 'PROMPT'; prompt: Prompt }
  | { type: 'PRINTER_PAUSED'; why: PrinterPause }
  | { type: 'PRINTER_RESUMED' };

const notProvided = (name: string) => () => {
  throw new Error(`ui actor ${name} was not provided`);
};

const keyOf = (e: UiEvent) => (e.type === 'KEY' ? e.key : undefined);
const FUNCTION_KEYS: Partial<Record<Key, ProcId>> = { F1: 'sale', F2: 'qr-sale', F3: 'void', F4: 'reprint-last' };

/** What the steps see of the context. */
export const stepContext = (c: UiContext): StepContext => ({ values: c.values, operator: c.operator, supervisorFor: c.supervisorFor, found: c.found, batch: c.batch, card: c.card });
export const currentStep = (c: UiContext): Step | undefined => (c.proc ? PROCEDURES[c.proc].steps[c.step] : undefined);

/** The menu item or function a key (or swipe) chooses here: a procedure, a submenu, or a pending first digit. */
function chosen(state: 'idle' | 'menu', c: UiContext, e: UiEvent): { proc: ProcId } | { menu: MenuId } | { pending: string } | undefined {
  if (state === 'idle') {
    if (e.type === 'SWIPE') return { proc: 'sale' };
    const k = keyOf(e);
    const fn = k && FUNCTION_KEYS[k];
    if (fn) return { proc: fn };
    if (k === 'OK' && c.loginRequired && !c.operator) return { proc: 'login' };
    return undefined;
  }
  const menu = MENUS[c.menu];
  const k = keyOf(e);
  let index: number | undefined;
  if (k === 'OK') index = c.pending !== undefined ? Number(c.pending) - 1 : c.cursor;
  else if (k && /^[0-9]$/.test(k)) {
    const pick = digitPick(menu, k, c.pending);
    if (pick && 'pending' in pick) return pick;
    index = pick?.index;
  }
  const item = index === undefined ? undefined : menu.items[index];
  return item?.proc ? { proc: item.proc } : item?.menu ? { menu: item.menu } : undefined;
}

/** The procedure that actually runs: login first where the board requires it. */
function effectiveProc(c: UiContext, proc: ProcId): ProcId {
  return PROCEDURES[proc].needsLogin && c.loginRequired && !c.operator ? 'login' : proc;
}

function beginProc(c: UiContext, proc: ProcId, card?: SwipedCard): Partial<UiContext> {
  const p = effectiveProc(c, proc);
  const base: UiContext = { ...c, proc: p, values: {}, found: undefined, batch: undefined, card: p === proc ? card : undefined, pending: undefined };
  return { proc: p, values: {}, found: undefined, batch: undefined, card: base.card, pending: undefined, step: nextStep(PROCEDURES[p], 0, stepContext(base)), entry: '' };
}

/** The context after a successful step: the next step that applies. */
function advance(c: UiContext, patch: Partial<UiContext> = {}): Partial<UiContext> {
  const next = { ...c, ...patch };
  return { ...patch, step: nextStep(PROCEDURES[c.proc!], c.step + 1, stepContext(next)), entry: '' };
}

/** What an act outcome changes besides the step: who is logged in, what was looked up, the language. */
function absorb(o: UiOutcome): Partial<UiContext> {
  const p: Partial<UiContext> = {};
  if (o.session !== undefined) p.operator = o.session ?? undefined;
  if (o.found) p.found = o.found;
  if (o.batch) p.batch = o.batch;
  if (o.lang) p.lang = o.lang;
  return p;
}

const outcomeOf = (e: unknown) => (e as { output: UiOutcome }).output;
const stepKind = (c: UiContext) => currentStep(c)?.kind;

export const uiMachine = setup({
  types: { input: {} as UiInput, context: {} as UiContext, events: {} as UiEvent },
  actors: {
    /** Starts a transaction (the controller); rejects with the reason it was refused. */
    startTxn: fromPromise<void, KeypadStart>(notProvided('startTxn')),
    /** Everything else the keypad does; resolves with the outcome, never rejects for refusals. */
    act: fromPromise<UiOutcome, UiAction>(notProvided('act')),
  },
  actions: {
    /** CANCEL or OK for the running transaction. */
    forwardToTxn: (_, _params: { key: 'CANCEL' | 'OK' }) => undefined,
    /** Ends the operator session (auto-logout). */
    endSession: () => undefined,
    replayKey: raise(({ event }) => event),
    clearTask: assign({ card: undefined, values: {}, entry: '', found: undefined, batch: undefined, start: undefined, proc: undefined, pending: undefined, message: undefined, code: undefined, notice: undefined, scroll: 0 }),
  },
  guards: {
    hasFaults: ({ context }) => context.faults,
    isKey: ({ event }, key: Key) => keyOf(event) === key,
    choseUnavailable: ({ context, event }, state: 'idle' | 'menu') => {
      const ch = chosen(state, context, event);
      const starts = ch && 'proc' in ch ? PROCEDURES[effectiveProc(context, ch.proc)].starts : undefined;
      return starts !== undefined && !context.accepts.includes(starts);
    },
    choseProc: ({ context, event }, state: 'idle' | 'menu') => !!chosen(state, context, event) && 'proc' in chosen(state, context, event)!,
    choseMenu: ({ context, event }) => !!chosen('menu', context, event) && 'menu' in chosen('menu', context, event)!,
    chosePending: ({ context, event }) => !!chosen('menu', context, event) && 'pending' in chosen('menu', context, event)!,
    cancelToParent: ({ context, event }) => keyOf(event) === 'CANCEL' && MENUS[context.menu].parent !== undefined,
    autoLogoutDue: ({ context }) => context.autoLogoutMs > 0 && context.operator !== undefined,
    step: ({ context }, kind: Step['kind']) => stepKind(context) === kind,
    entryAccepted: ({ context, event }) => {
      const s = currentStep(context);
      return keyOf(event) === 'OK' && s?.kind === 'ask' && entryValue(s.input, context.entry) !== undefined;
    },
    editKey: ({ event }) => /^([0-9]|CLEAR)$/.test(keyOf(event) ?? ''),
    takesCard: ({ context }) => context.proc === 'sale' && context.card === undefined,
    refusedOutcome: ({ event }) => !outcomeOf(event).ok,
    chains: ({ event }) => outcomeOf(event).then !== undefined,
    moreSteps: ({ context, event }) => nextStep(PROCEDURES[context.proc!], context.step + 1, stepContext({ ...context, ...absorb(outcomeOf(event)) })) < PROCEDURES[context.proc!].steps.length,
    hasNotice: ({ event }) => outcomeOf(event).notice !== undefined,
    finished: ({ event }) => event.type === 'PROMPT' && event.prompt.kind === 'finished',
  },
  delays: {
    promptTimeout: ({ context }) => context.promptMs,
    messageTime: ({ context }) => context.messageMs,
    autoLogout: ({ context }) => context.autoLogoutMs,
    noticeTime: ({ context }) => (context.notice && LONG_NOTICES.has(context.notice.kind) ? context.promptMs : context.messageMs),
  },
}).createMachine({
  id: 'ui',
  context: ({ input }) => ({ ...input, menu: 'main', cursor: 0, step: 0, values: {}, entry: '', resumed: false, scroll: 0 }),
  initial: 'boot',
  on: {
    // An ECR transaction takes the screen from idle or a message; menus and procedures refuse it (the controller asks).
    PROMPT: [
      { guard: 'finished', target: '.finished', actions: assign({ prompt: ({ event }) => event.prompt, resumed: false, paused: undefined }) },
      { target: '.running', actions: assign({ prompt: ({ event }) => event.prompt, resumed: false, paused: undefined }) },
    ],
  },
  states: {
    boot: { always: [{ guard: 'hasFaults', target: 'faults' }, { target: 'idle' }] },
    faults: { after: { messageTime: 'idle' } },
    idle: {
      entry: 'clearTask',
      after: { autoLogout: { guard: 'autoLogoutDue', target: 'notice', actions: ['endSession', assign({ notice: ({ context }) => ({ kind: 'logged-out' as const, id: context.operator?.id, auto: true }), operator: undefined })] } },
      on: {
        KEY: [
          { guard: { type: 'choseUnavailable', params: 'idle' }, target: 'notice', actions: assign(({ context, event }) => ({ notice: { kind: 'not-available' as const }, proc: (chosen('idle', context, event) as { proc: ProcId }).proc })) },
          { guard: { type: 'choseProc', params: 'idle' }, target: 'task', actions: assign(({ context, event }) => beginProc(context, (chosen('idle', context, event) as { proc: ProcId }).proc)) },
          { guard: { type: 'isKey', params: 'MENU' }, target: 'menu', actions: assign({ menu: 'main', cursor: 0, pending: undefined }) },
        ],
        SWIPE: { target: 'task', actions: assign(({ context, event }) => beginProc(context, 'sale', event.card)) },
      },
    },
    menu: {
      after: { promptTimeout: 'idle' },
      on: {
        PROMPT: {},
        KEY: [
          { guard: { type: 'choseUnavailable', params: 'menu' }, target: 'notice', actions: assign(({ context, event }) => ({ notice: { kind: 'not-available' as const }, proc: (chosen('menu', context, event) as { proc: ProcId }).proc })) },
          { guard: { type: 'choseProc', params: 'menu' }, target: 'task', actions: assign(({ context, event }) => beginProc(context, (chosen('menu', context, event) as { proc: ProcId }).proc)) },
          { guard: 'choseMenu', target: 'menu', reenter: true, actions: assign(({ context, event }) => ({ menu: (chosen('menu', context, event) as { menu: MenuId }).menu, cursor: 0, pending: undefined })) },
          { guard: 'chosePending', target: 'menu', reenter: true, actions: assign(({ context, event }) => ({ pending: (chosen('menu', context, event) as { pending: string }).pending, cursor: Number(keyOf(event)) - 1 })) },
          { guard: 'cancelToParent', target: 'menu', reenter: true, actions: assign({ menu: ({ context }) => MENUS[context.menu].parent!, cursor: 0, pending: undefined }) },
          { guard: { type: 'isKey', params: 'CANCEL' }, target: 'idle' },
          { guard: { type: 'isKey', params: 'DOWN' }, target: 'menu', reenter: true, actions: assign({ pending: undefined, cursor: ({ context }) => (context.cursor + 1) % MENUS[context.menu].items.length }) },
          { guard: { type: 'isKey', params: 'UP' }, target: 'menu', reenter: true, actions: assign({ pending: undefined, cursor: ({ context }) => (context.cursor + MENUS[context.menu].items.length - 1) % MENUS[context.menu].items.length }) },
        ],
      },
    },
    task: {
      initial: 'next',
      on: { PROMPT: {} },
      states: {
        next: {
          always: [
            { guard: { type: 'step', params: 'ask' }, target: 'asking', actions: assign({ entry: ({ context }) => (currentStep(context) as Extract<Step, { kind: 'ask' }>).initial?.(stepContext(context)) ?? '' }) },
            { guard: { type: 'step', params: 'confirm' }, target: 'confirming' },
            { guard: { type: 'step', params: 'act' }, target: 'acting' },
            { guard: { type: 'step', params: 'start' }, target: '#ui.starting', actions: assign({ start: ({ context }) => ({ ...(currentStep(context) as Extract<Step, { kind: 'start' }>).request(stepContext(context)), operator: context.operator?.id }) }) },
            { guard: { type: 'step', params: 'menu' }, target: '#ui.menu', actions: assign({ menu: ({ context }) => (currentStep(context) as Extract<Step, { kind: 'menu' }>).menu, cursor: 0 }) },
            { target: '#ui.idle' },
          ],
        },
        asking: {
          after: { promptTimeout: '#ui.idle' },
          on: {
            SWIPE: { guard: 'takesCard', actions: assign({ card: ({ event }) => event.card }) },
            KEY: [
              { guard: { type: 'isKey', params: 'CANCEL' }, target: '#ui.idle' },
              { guard: 'entryAccepted', target: 'next', actions: assign(({ context }) => { const s = currentStep(context) as Extract<Step, { kind: 'ask' }>; return advance(context, { values: { ...context.values, [s.field]: entryValue(s.input, context.entry)! } }); }) },
              { guard: 'editKey', target: 'asking', reenter: true, actions: assign({ entry: ({ context, event }) => editEntry((currentStep(context) as Extract<Step, { kind: 'ask' }>).input, context.entry, keyOf(event)!, context.maxAmount) }) },
            ],
          },
        },
        confirming: {
          after: { promptTimeout: '#ui.idle' },
          on: {
            KEY: [
              { guard: { type: 'isKey', params: 'OK' }, target: 'next', actions: assign(({ context }) => advance(context)) },
              { guard: { type: 'isKey', params: 'CANCEL' }, target: '#ui.idle' },
            ],
          },
        },
        acting: {
          invoke: {
            id: 'act',
            src: 'act',
            input: ({ context }) => (currentStep(context) as Extract<Step, { kind: 'act' }>).action(stepContext(context)),
            onDone: [
              { guard: 'refusedOutcome', target: '#ui.notice', actions: assign(({ event }) => ({ ...absorb(event.output), notice: event.output.notice ?? { kind: 'refused', message: 'refused' } })) },
              { guard: 'chains', target: 'next', actions: assign(({ context, event }) => { const proc = event.output.then!; return { ...absorb(event.output), proc, step: nextStep(PROCEDURES[proc], 0, stepContext(context)), entry: '' }; }) },
              { guard: 'moreSteps', target: 'next', actions: assign(({ context, event }) => advance(context, absorb(event.output))) },
              { guard: 'hasNotice', target: '#ui.notice', actions: assign(({ event }) => ({ ...absorb(event.output), notice: event.output.notice })) },
              { target: '#ui.idle', actions: assign(({ event }) => absorb(event.output)) },
            ],
            onError: { target: '#ui.notice', actions: assign({ notice: ({ event }) => ({ kind: 'refused' as const, message: event.error instanceof Error ? event.error.message : String(event.error) }) }) },
          },
        },
      },
    },
    starting: {
      invoke: {
        id: 'startTxn',
        src: 'startTxn',
        input: ({ context }) => context.start!,
        onError: {
          target: 'refused',
          actions: assign({ message: ({ event }) => (event.error instanceof Error ? event.error.message : String(event.error)), code: ({ event }) => (event.error as { code?: string })?.code }),
        },
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
    notice: {
      after: { noticeTime: 'idle' },
      on: {
        KEY: [
          { guard: { type: 'isKey', params: 'DOWN' }, target: 'notice', reenter: true, actions: assign({ scroll: ({ context }) => context.scroll + 1 }) },
          { guard: { type: 'isKey', params: 'UP' }, target: 'notice', reenter: true, actions: assign({ scroll: ({ context }) => Math.max(0, context.scroll - 1) }) },
          { guard: { type: 'isKey', params: 'OK' }, target: 'idle' },
          { guard: { type: 'isKey', params: 'CANCEL' }, target: 'idle' },
          { target: 'idle', actions: 'replayKey' },
        ],
      },
    },
  },
});

/** The state as one name: `idle`, `menu`, `task.asking`, `running`, ... */
export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [k, v] = Object.entries(value)[0] ?? [];
    return k === undefined ? '' : `${k}.${stateName(v)}`;
  }
  return String(value);
}

/** What the cashier is in the middle of, when an ECR request must not take the screen from them. */
export function operatorActivity(state: string, c?: Pick<UiContext, 'proc' | 'step'>): string | undefined {
  if (state === 'menu') return 'in the menu';
  if (state === 'starting') return 'starting a transaction';
  if (state.startsWith('task.')) {
    const s = c?.proc ? PROCEDURES[c.proc].steps[c.step] : undefined;
    if (state === 'task.asking') return s?.kind === 'ask' && s.input === 'amount' ? 'entering an amount' : 'entering data';
    if (state === 'task.confirming') return 'confirming';
    return c?.proc === 'reprint-last' ? 'reprinting' : `busy (${c?.proc ?? 'keypad'})`;
  }
  return undefined;
}
