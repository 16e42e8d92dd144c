// Control surfaces of simulated and emulated devices: what /sim and the console drive (the cardholder's and the cashier's hands).
import type { Unsubscribe } from '../common/listeners';
import type { Key } from '../common/keys';
import type { SwipeEvent } from './magstripe/magstripe';
import type { PrinterStatus } from './printer/printer';

/** What the LCD shows: the lines, the highlighted row (if any), and the panel drawn as a framed block of text. */
export interface LcdView {
  cols: number;
  rows: number;
  lines: string[];
  highlight?: number;
  qr?: string;
  text: string;
}

/** One slip as it came out of the printer. */
export interface PrintedSlip {
  seq: number;
  /** False when the slip was cut off part-way (paper out). */
  complete: boolean;
  text: string;
  bytes: Buffer;
}

/** Paper and cover changes: `paper: "ok"` loads a roll, `lines` long when given (so it runs out part-way). */
export interface PrinterChange {
  paper?: 'out' | 'ok';
  lines?: number;
  cover?: 'open' | 'closed';
}

/** The cardholder's side of the PIN pad. */
export interface PinPadControl {
  /** Resolves true once the pad asks for a PIN (at once if it does), false after `timeoutMs`. */
  waitForPrompt(timeoutMs: number): Promise<boolean>;
  /** Types `pin` and OK. Throws/rejects when the pad refuses it (length, not prompting). */
  enterPin(pin: string): void | Promise<void>;
  /** OK with no digits. Throws/rejects when this entry does not allow bypass. */
  bypass(): void | Promise<void>;
  cancel(): void | Promise<void>;
}

/** The keypad's keys as an operator presses them. */
export interface KeypadControl {
  /** The keys this keypad has (a board's matrix may lack some logical keys). */
  readonly keys: readonly Key[];
  /** Presses and releases one key; resolves once the press is over. */
  press(key: Key): void | Promise<void>;
}

/**
 * What the /sim routes drive: the simulated devices of a sim board ({@link simControlsOf}), or the emulated
 * devices behind a bench board's real drivers. A missing member answers 409 `not-simulated`.
 */
export interface SimControls {
  /** Swipes a card; resolves with what the reader reports. */
  swipe?(tracks: { track1?: string; track2: string }): SwipeEvent | Promise<SwipeEvent>;
  /** The scan head reads `data`. */
  scan?(data: string): void | Promise<void>;
  keypad?: KeypadControl;
  pin?: PinPadControl;
  lcd?(): LcdView;
  /** Every slip printed since boot, oldest first. */
  receipts?(): PrintedSlip[];
  /** Applies the change and resolves with the printer's status afterwards. */
  printer?(change: PrinterChange): Promise<PrinterStatus>;
  /** Paper in the simulated printer now (the console toggles it). */
  paper?(): 'ok' | 'out';
  /** Calls `fn` after every screen the display draws. */
  watchLcd?(fn: () => void): Unsubscribe;
  /** What the PIN pad shows the cardholder. */
  pinScreen?(): { prompting: boolean; label?: string; amount?: string };
}

/** A simulated driver that offers part of the control surface. */
export interface SimControllable {
  simControls(): SimControls;
}

export function isSimControllable<T>(device: T): device is T & SimControllable {
  return typeof (device as Partial<SimControllable> | undefined)?.simControls === 'function';
}

/** True when at least one device can be driven (the routes are worth registering). */
export function hasControls(controls: SimControls): boolean {
  return Object.values(controls).some(Boolean);
}

