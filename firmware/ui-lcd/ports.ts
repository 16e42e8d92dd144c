// What the UI asks of the rest of the terminal, as data: transaction starts, operator actions, look-ups, and their outcomes.
import type { Unsubscribe } from '../common/listeners';
import type { SwipedCard } from '../hal/magstripe/magstripe';
import type { TxnType } from '../journal/types';
import type { Prompt } from '../flows/prompts';
import type { SupervisorAction } from '../board/schema';
import type { Lang } from './words';

export type { SupervisorAction };

/** Transaction types the keypad starts; `qr-sale` and `qr-present` only once the controller accepts them. */
export type KeypadType = TxnType | 'qr-sale' | 'qr-present';

/** What the keypad starts through the controller. */
export interface KeypadStart {
  type: KeypadType;
  amount?: number;
  /** A card swiped at idle. */
  card?: SwipedCard;
  /** The original of a void, refund or completion: trace number (current batch) or RRN. */
  original?: { stan?: string; rrn?: string };
  /** The operator logged in at the keypad (recorded on the journal record). */
  operator?: string;
}

export type Role = 'cashier' | 'supervisor';

export interface OperatorRef {
  id: string;
  role: Role;
}

/** An original transaction as the confirmation screens show it. */
export interface Found {
  type: TxnType;
  amount: number;
  currency: string;
  stan: string;
  batch: string;
  maskedPan?: string;
  rrn?: string;
  /** What is left to refund (sale, completion) or to complete (pre-auth). */
  remaining: number;
  /** Outcome as the query screen shows it: approved, declined, voided, reversed, cancelled, failed, in-progress. */
  status: string;
  operator: string;
}

export interface Totals {
  debitCount: number;
  debitAmount: number;
  creditCount: number;
  creditAmount: number;
}

/** A batch's totals, overall and per operator. */
export interface BatchTotals extends Totals {
  batch: string;
  currency: string;
  operators: Array<Totals & { operator: string }>;
}

export type PaperState = 'ok' | 'low' | 'out' | 'cover-open' | 'fault' | 'none';

/** What the UI asks the terminal to do (answered by {@link UiPorts.act}). Passwords travel only in these. */
export type UiAction =
  | { kind: 'login'; id: string; password: string }
  | { kind: 'logout' }
  | { kind: 'authorise'; action: SupervisorAction; password: string }
  | { kind: 'change-password'; id: string; current: string; next: string; repeat: string; login?: boolean }
  | { kind: 'find-original'; stan?: string; rrn?: string; purpose: KeypadType }
  | { kind: 'batch' }
  | { kind: 'settle' }
  | { kind: 'report' }
  | { kind: 'reprint'; stan?: string }
  | { kind: 'reprint-settlement' }
  | { kind: 'query'; stan?: string; rrn?: string }
  | { kind: 'set-language'; lang: Lang }
  | { kind: 'set-time'; at: number }
  | { kind: 'sign-on' }
  | { kind: 'printer-test' }
  | { kind: 'device-status' }
  | { kind: 'paper-status' }
  | { kind: 'not-available' };

/** A screen of information or refusal after an action (the UI words it). */
export type UiNotice =
  | { kind: 'not-available' }
  | { kind: 'refused'; code?: string; message: string }
  | { kind: 'wrong-password'; attemptsLeft: number }
  | { kind: 'locked'; forMs: number }
  | { kind: 'unknown-operator' }
  | { kind: 'logged-in'; id: string }
  | { kind: 'logged-out'; id?: string; auto?: boolean }
  | { kind: 'must-change' }
  | { kind: 'password-changed' }
  | { kind: 'password-weak'; why: string }
  | { kind: 'passwords-differ' }
  | { kind: 'not-found' }
  | { kind: 'settled'; totals: BatchTotals }
  | { kind: 'settle-failed'; reason: string }
  | { kind: 'nothing-to-settle'; batch: string }
  | { kind: 'report'; totals: BatchTotals }
  | { kind: 'printed' }
  | { kind: 'reprint-failed'; reason: string }
  | { kind: 'query'; found: Found }
  | { kind: 'host'; ok: boolean; responseCode?: string; error?: string }
  | { kind: 'devices'; devices: Array<{ name: string; ok: boolean; code?: string }> }
  | { kind: 'paper'; state: PaperState }
  | { kind: 'language'; lang: Lang }
  | { kind: 'time-set'; at: number }
  | { kind: 'time-refused'; reason: 'busy' | 'saf-pending' | 'invalid' };

/** The answer to a {@link UiAction}: go on (ok) or stop with a notice; may start or end a session, or chain a procedure. */
export interface UiOutcome {
  ok: boolean;
  notice?: UiNotice;
  /** A new session (login) or `null` (logged out). */
  session?: OperatorRef | null;
  found?: Found;
  batch?: BatchTotals;
  lang?: Lang;
  /** Continue with this procedure (login with a factory password: set a new one). */
  then?: 'first-password';
}

/** What the UI needs from the rest of the terminal (wired in main.ts). */
export interface UiPorts {
  /** Starts a keypad transaction; rejects with the reason it was refused (an Error, with `code` when the controller gave one). */
  start(req: KeypadStart): Promise<void>;
  /** CANCEL or OK for the running transaction. */
  press(key: 'CANCEL' | 'OK'): void;
  /** Reprints the last slip; resolves with the error when it could not. */
  reprintLast(): Promise<{ error?: string }>;
  /** Prompts of running transactions. */
  onPrompt(listener: (p: Prompt) => void): Unsubscribe;
  /** Everything else the keypad does (operators, look-ups, settlement, reports, settings). Never rejects for refusals. */
  act(action: UiAction): Promise<UiOutcome>;
  /** Whether the controller takes this transaction type (QR types arrive with their own issue). */
  accepts(type: KeypadType): boolean;
}
