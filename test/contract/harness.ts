// Contract-suite harnesses: what a driver under test plus its peer (simulator control or bus/pty emulator) must offer.
import type { BarcodeScanner } from '../../firmware/hal/scanner/scanner';
import type { MagstripeReader } from '../../firmware/hal/magstripe/magstripe';
import type { PinPad } from '../../firmware/hal/pinpad/pinpad';
import type { ReceiptPrinter } from '../../firmware/hal/printer/printer';
import type { Display } from '../../firmware/hal/display/display';
import type { Keypad } from '../../firmware/hal/keypad/keypad';
import type { Key } from '../../firmware/common/keys';

/** Every harness: a fresh, unopened device and a teardown that frees its peer (pty, emulator). */
export interface BaseHarness<D> {
  device: D;
  teardown(): Promise<void>;
}

export interface ScannerHarness extends BaseHarness<BarcodeScanner> {
  /** Makes the peer (simulated head, pty emulator, HID emulator) read this code. */
  scan(data: string): Promise<void>;
  /** Makes the peer send a code longer than the driver's limit. */
  scanOverlong(): Promise<void>;
}

export interface MagstripeHarness extends BaseHarness<MagstripeReader> {
  swipe(tracks: { track1?: string; track2: string }): Promise<void>;
  /** A damaged swipe (bad LRC/sentinels/garbage) that must come out as a bad read. */
  swipeDamaged(): Promise<void>;
}

export interface PinPadHarness extends BaseHarness<PinPad> {
  /** The cardholder types these digits then OK, once the pad prompts. */
  enterPin(pin: string): Promise<void>;
  /** The cardholder presses OK with no digits. */
  bypass(): Promise<void>;
  /** The cardholder presses CANCEL. */
  cancel(): Promise<void>;
  /** Decrypts a PIN result the way the host would (BDK + KSN) and returns the PIN digits. */
  decryptPin(pinBlock: Buffer, ksn: Buffer, pan: string, format: 0 | 4): string;
}

export interface PrinterHarness extends BaseHarness<ReceiptPrinter> {
  /** Everything printed so far, as plain text rows (commands stripped). */
  printedText(): string;
  setPaper(state: 'out' | 'ok'): Promise<void>;
  setCover(state: 'open' | 'closed'): Promise<void>;
  /** False for one-way transports (status is `unknown`). */
  twoWay: boolean;
}

export interface DisplayHarness extends BaseHarness<Display> {
  /** The rows the panel shows now, as text (right-trimmed). */
  screenText(): string[];
}

export interface KeypadHarness extends BaseHarness<Keypad> {
  press(key: Key): Promise<void>;
}
