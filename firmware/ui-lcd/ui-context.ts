// The UI machine's context and events, and the pure functions its transitions use (choosing, beginning and advancing procedures).
import type { Key } from '../common/keys';
import type { SwipedCard } from '../hal/magstripe/magstripe';
import type { Prompt } from '../flows/prompts';
import { digitPick, MENUS, type MenuId } from './menu-tree';
import { nextStep, PROCEDURES, type ProcId, type Step, type StepContext } from './procedures';
import type { BatchTotals, Found, KeypadStart, KeypadType, OperatorRef, SupervisorAction, UiNotice, UiOutcome } from './ports';
import type { PrinterPause } from './texts';
import type { Lang } from './words';

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

export const keyOf = (e: UiEvent) => (e.type === 'KEY' ? e.key : undefined);
const FUNCTION_KEYS: Partial<Record<Key, ProcId>> = { F1: 'sale', F2: 'qr-sale', F3: 'void', F4: 'reprint-last' };

/** What the steps see of the context. */
export const stepContext = (c: UiContext): StepContext => ({ values: c.values, operator: c.operator, supervisorFor: c.supervisorFor, found: c.found, batch: c.batch, card: c.card });
export const currentStep = (c: UiContext): Step | undefined => (c.proc ? PROCEDURES[c.proc].steps[c.step] : undefined);

/** The menu item or function a key (or swipe) chooses here: a procedure, a submenu, or a pending first digit. */
export function chosen(state: 'idle' | 'menu', c: UiContext, e: UiEvent): { proc: ProcId } | { menu: MenuId } | { pending: string } | undefined {
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
export function effectiveProc(c: UiContext, proc: ProcId): ProcId {
  return PROCEDURES[proc].needsLogin && c.loginRequired && !c.operator ? 'login' : proc;
}

export function beginProc(c: UiContext, proc: ProcId, card?: SwipedCard): Partial<UiContext> {
  const p = effectiveProc(c, proc);
  const base: UiContext = { ...c, proc: p, values: {}, found: undefined, batch: undefined, card: p === proc ? card : undefined, pending: undefined };
  return { proc: p, values: {}, found: undefined, batch: undefined, card: base.card, pending: undefined, step: nextStep(PROCEDURES[p], 0, stepContext(base)), entry: '' };
}

/** The context after a successful step: the next step that applies. */
export function advance(c: UiContext, patch: Partial<UiContext> = {}): Partial<UiContext> {
  const next = { ...c, ...patch };
  return { ...patch, step: nextStep(PROCEDURES[c.proc!], c.step + 1, stepContext(next)), entry: '' };
}

/** What an act outcome changes besides the step: who is logged in, what was looked up, the language. */
export function absorb(o: UiOutcome): Partial<UiContext> {
  const p: Partial<UiContext> = {};
  if (o.session !== undefined) p.operator = o.session ?? undefined;
  if (o.found) p.found = o.found;
  if (o.batch) p.batch = o.batch;
  if (o.lang) p.lang = o.lang;
  return p;
}

export const outcomeOf = (e: unknown) => (e as { output: UiOutcome }).output;
export const stepKind = (c: UiContext) => currentStep(c)?.kind;

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
