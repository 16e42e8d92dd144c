// The keypad UI as one machine: idle, menus, procedures (input, confirm, act), running transaction, notices; one idle timer.
import { assign, fromPromise, raise, setup } from 'xstate';
import type { Key } from '../common/keys';
import { entryValue, editEntry } from './input';
import { MENUS, type MenuId } from './menu-tree';
import { LONG_NOTICES } from './notices';
import { nextStep, PROCEDURES, type ProcId, type Step } from './procedures';
import type { KeypadStart, UiAction, UiOutcome } from './ports';
import { absorb, advance, beginProc, chosen, currentStep, effectiveProc, keyOf, outcomeOf, stepContext, stepKind, type UiContext, type UiEvent, type UiInput } from './ui-context';

export type { KeypadStart };
export { currentStep, operatorActivity, stateName, stepContext, type UiContext, type UiEvent, type UiInput } from './ui-context';

const notProvided = (name: string) => () => {
  throw new Error(`ui actor ${name} was not provided`);
};

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
