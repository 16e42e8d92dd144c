// What each keypad function asks, checks, confirms and does, as data: steps the UI machine walks one at a time.
import type { SwipedCard } from '../hal/magstripe/magstripe';
import type { TxnType } from '../journal/types';
import type { BatchTotals, Found, KeypadStart, KeypadType, OperatorRef, SupervisorAction, UiAction } from './ports';
import type { WordKey } from './words';

export type ProcId =
  | 'sale' | 'qr-sale' | 'qr-present' | 'preauth' | 'completion' | 'preauth-cancel' | 'completion-void' | 'void' | 'refund'
  | 'balance' | 'reprint-last' | 'reprint-trace' | 'reprint-settlement' | 'query' | 'settlement' | 'reports'
  | 'login' | 'first-password' | 'logout' | 'change-password' | 'settings' | 'lang-zh' | 'lang-en' | 'date-time'
  | 'comm-test' | 'printer-test' | 'device-status' | 'paper-status';

export type MenuId = 'main' | 'preauth' | 'reprint' | 'operator' | 'settings' | 'language';

/** What an input screen accepts (input.ts applies keys). */
export type InputKind = 'amount' | 'trace' | 'trace-or-rrn' | 'operator' | 'password' | 'datetime';

/** What the steps can see: the answers so far, who is logged in, the board's rules, what was looked up. */
export interface StepContext {
  values: Readonly<Record<string, string>>;
  operator?: OperatorRef;
  supervisorFor: readonly SupervisorAction[];
  found?: Found;
  batch?: BatchTotals;
  card?: SwipedCard;
}

/** A confirmation before money moves: "VOID CNY 12.34 / TRACE 000123?". */
export interface ConfirmView {
  verb: WordKey;
  amount?: number;
  currency?: string;
  stan?: string;
  maskedPan?: string;
  batch?: BatchTotals;
}

type When = (c: StepContext) => boolean;

export type Step =
  | { kind: 'ask'; input: InputKind; field: string; label: WordKey; initial?: (c: StepContext) => string; when?: When }
  | { kind: 'confirm'; view: (c: StepContext) => ConfirmView; when?: When }
  | { kind: 'act'; action: (c: StepContext) => UiAction; when?: When }
  | { kind: 'start'; request: (c: StepContext) => KeypadStart; when?: When }
  | { kind: 'menu'; menu: MenuId; when?: When };

export interface Procedure {
  title: WordKey;
  /** Selling functions: a cashier must be logged in first where the board requires it. */
  needsLogin?: boolean;
  /** The transaction type this function starts (refused cleanly while the controller does not take it). */
  starts?: KeypadType;
  steps: readonly Step[];
}

const needsSupervisor = (action: SupervisorAction): When => (c) => c.supervisorFor.includes(action) && c.operator?.role !== 'supervisor';

/** The supervisor password, checked, unless the board does not ask for it here or the supervisor is logged in. */
const supervisor = (action: SupervisorAction): Step[] => [
  { kind: 'ask', input: 'password', field: 'supervisor', label: 'supervisorPassword', when: needsSupervisor(action) },
  { kind: 'act', action: (c) => ({ kind: 'authorise', action, password: c.values.supervisor }), when: needsSupervisor(action) },
];

/** `stan` for up to 6 digits, `rrn` for 12. */
export function selector(entry: string): { stan?: string; rrn?: string } {
  return entry.length === 12 ? { rrn: entry } : { stan: entry.padStart(6, '0') };
}

const amount = (label: WordKey = 'enterAmount', initial?: (c: StepContext) => string): Step => ({ kind: 'ask', input: 'amount', field: 'amount', label, initial });
const sell = (type: TxnType | KeypadType): Step => ({ kind: 'start', request: (c) => ({ type, amount: Number(c.values.amount), card: c.card }) });

/** Ask for the original, look it up, confirm, and start `type` against it (with an amount for refund and completion). */
function onOriginal(type: TxnType, verb: WordKey, input: 'trace' | 'trace-or-rrn', amountLabel?: WordKey): Step[] {
  const withAmount = amountLabel !== undefined;
  return [
    { kind: 'ask', input, field: 'original', label: input === 'trace' ? 'traceNo' : 'traceOrRef' },
    { kind: 'act', action: (c) => ({ kind: 'find-original', purpose: type, ...selector(c.values.original) }) },
    ...(withAmount ? [amount(amountLabel, (c: StepContext) => String(c.found?.remaining ?? ''))] : []),
    {
      kind: 'confirm',
      view: (c) => ({ verb, amount: withAmount ? Number(c.values.amount) : c.found!.amount, currency: c.found!.currency, stan: c.found!.stan, maskedPan: c.found!.maskedPan }),
    },
    {
      kind: 'start',
      request: (c) => ({ type, original: c.found!.rrn && c.values.original.length === 12 ? { rrn: c.found!.rrn } : { stan: c.found!.stan }, ...(withAmount ? { amount: Number(c.values.amount) } : {}) }),
    },
  ];
}

const act = (action: UiAction | ((c: StepContext) => UiAction)): Step => ({ kind: 'act', action: typeof action === 'function' ? action : () => action });
const newPassword = (login: boolean): Step[] => [
  { kind: 'ask', input: 'password', field: 'next', label: 'newPassword' },
  { kind: 'ask', input: 'password', field: 'repeat', label: 'repeatPassword' },
  act((c) => ({ kind: 'change-password', id: c.values.operator ?? c.operator!.id, current: c.values.password, next: c.values.next, repeat: c.values.repeat, login })),
];

export const PROCEDURES: Readonly<Record<ProcId, Procedure>> = {
  sale: { title: 'sale', needsLogin: true, starts: 'sale', steps: [amount(), sell('sale')] },
  'qr-sale': { title: 'qrSale', needsLogin: true, starts: 'qr-sale', steps: [amount(), sell('qr-sale')] },
  'qr-present': { title: 'qrPresent', needsLogin: true, starts: 'qr-present', steps: [amount(), sell('qr-present')] },
  preauth: { title: 'preauth', needsLogin: true, starts: 'preauth', steps: [amount(), sell('preauth')] },
  completion: { title: 'completion', needsLogin: true, starts: 'completion', steps: onOriginal('completion', 'completion', 'trace-or-rrn', 'completionAmount') },
  'preauth-cancel': { title: 'preauthCancel', needsLogin: true, steps: [...supervisor('preauth-cancel'), ...onOriginal('void', 'preauthCancel', 'trace-or-rrn')] },
  'completion-void': { title: 'completionVoid', needsLogin: true, steps: [...supervisor('completion-void'), ...onOriginal('void', 'completionVoid', 'trace')] },
  void: { title: 'void', needsLogin: true, starts: 'void', steps: [...supervisor('void'), ...onOriginal('void', 'void', 'trace')] },
  refund: { title: 'refund', needsLogin: true, starts: 'refund', steps: [...supervisor('refund'), ...onOriginal('refund', 'refund', 'trace-or-rrn', 'refundAmount')] },
  balance: { title: 'balance', needsLogin: true, starts: 'balance', steps: [{ kind: 'start', request: (c) => ({ type: 'balance', card: c.card }) }] },
  'reprint-last': { title: 'reprintLast', steps: [act({ kind: 'reprint' })] },
  'reprint-trace': { title: 'reprintTrace', steps: [{ kind: 'ask', input: 'trace', field: 'stan', label: 'traceNo' }, act((c) => ({ kind: 'reprint', stan: c.values.stan.padStart(6, '0') }))] },
  'reprint-settlement': { title: 'reprintSettlement', steps: [act({ kind: 'reprint-settlement' })] },
  query: { title: 'query', steps: [{ kind: 'ask', input: 'trace-or-rrn', field: 'original', label: 'traceOrRef' }, act((c) => ({ kind: 'query', ...selector(c.values.original) }))] },
  settlement: {
    title: 'settlement',
    steps: [...supervisor('settlement'), act({ kind: 'batch' }), { kind: 'confirm', view: (c) => ({ verb: 'settleBatch', batch: c.batch }) }, act({ kind: 'settle' })],
  },
  reports: { title: 'reports', steps: [act({ kind: 'report' })] },
  login: {
    title: 'login',
    steps: [
      { kind: 'ask', input: 'operator', field: 'operator', label: 'operatorNo' },
      { kind: 'ask', input: 'password', field: 'password', label: 'password' },
      act((c) => ({ kind: 'login', id: c.values.operator, password: c.values.password })),
    ],
  },
  'first-password': { title: 'mustChange', steps: newPassword(true) },
  logout: { title: 'logout', steps: [act({ kind: 'logout' })] },
  'change-password': {
    title: 'changePassword',
    steps: [{ kind: 'ask', input: 'operator', field: 'operator', label: 'operatorNo', when: (c) => !c.operator }, { kind: 'ask', input: 'password', field: 'password', label: 'currentPassword' }, ...newPassword(false)],
  },
  settings: { title: 'settings', steps: [...supervisor('settings'), { kind: 'menu', menu: 'settings' }] },
  'lang-zh': { title: 'language', steps: [act({ kind: 'set-language', lang: 'zh' })] },
  'lang-en': { title: 'language', steps: [act({ kind: 'set-language', lang: 'en' })] },
  'date-time': { title: 'dateTime', steps: [{ kind: 'ask', input: 'datetime', field: 'at', label: 'dateTimeFormat' }, act((c) => ({ kind: 'set-time', at: Number(c.values.at) }))] },
  'comm-test': { title: 'commTest', steps: [act({ kind: 'sign-on' })] },
  'printer-test': { title: 'printerTest', steps: [act({ kind: 'printer-test' })] },
  'device-status': { title: 'deviceStatus', steps: [act({ kind: 'device-status' })] },
  'paper-status': { title: 'paperStatus', steps: [act({ kind: 'paper-status' })] },
};

/** The first step at or after `from` that applies in `c` (steps.length when none is left). */
export function nextStep(proc: Procedure, from: number, c: StepContext): number {
  let i = from;
  while (i < proc.steps.length && proc.steps[i].when && !proc.steps[i].when!(c)) i++;
  return i;
}
