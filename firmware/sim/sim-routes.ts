// Simulator control API under /sim: swipe, scan, keys, PIN, LCD, receipts, printer paper, over simulated devices or bench emulators.
import { isKey, KEYS, type Key } from '../common/keys';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError, parseBody } from '../ecr/http';
import { maskPan } from '../log';
import type { SwipeEvent } from '../hal/magstripe/magstripe';
import type { PrinterStatus } from '../hal/printer/printer';
import type { SimMagstripe } from '../hal/magstripe/magstripe.sim';
import type { SimScanner } from '../hal/scanner/scanner.sim';
import type { SimKeypad } from '../hal/keypad/keypad.sim';
import type { SimPinPad } from '../hal/pinpad/pinpad.sim';
import type { SimPrinter } from '../hal/printer/printer.sim';
import type { SimDisplay } from '../hal/display/display.sim';

export interface SimDevices {
  magstripe?: SimMagstripe;
  scanner?: SimScanner;
  keypad?: SimKeypad;
  pinpad?: SimPinPad;
  printer?: SimPrinter;
  display?: SimDisplay;
}

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
}

/** Control surface over a sim board's simulated devices (what `posfw sim` serves). */
export function simControlsOf(sim: SimDevices): SimControls {
  const { magstripe, scanner, keypad, pinpad, printer, display } = sim;
  return {
    swipe: magstripe && ((tracks) => magstripe.swipe(tracks)),
    scan: scanner && ((data) => scanner.scan(data)),
    keypad: keypad && { keys: KEYS, press: (key) => keypad.press(key) },
    pin: pinpad && {
      waitForPrompt: (ms) => pinpad.waitForPrompt(ms),
      enterPin: (pin) => pinpad.enterPin(pin),
      bypass: () => pinpad.bypass(),
      cancel: () => pinpad.cancel(),
    },
    lcd: display && (() => ({ ...display.snapshot(), text: display.framed() })),
    receipts: printer && (() => printer.receipts()),
    printer:
      printer &&
      (async (change) => {
        if (change.cover) printer.setCover(change.cover);
        if (change.paper) printer.setPaper(change.paper, change.lines);
        return await printer.status();
      }),
  };
}

/** True when at least one device can be driven (the routes are worth registering). */
export function hasControls(controls: SimControls): boolean {
  return Object.values(controls).some(Boolean);
}

const cardBody = z.strictObject({ track1: z.string().max(79).optional(), track2: z.string().min(1).max(40) });
const scanBody = z.strictObject({ data: z.string().max(8192) });
const keysBody = z.strictObject({ keys: z.array(z.string()).min(1).max(64) });
const pinBody = z.union([z.strictObject({ pin: z.string().regex(/^\d{4,12}$/, 'expected 4 to 12 digits') }), z.strictObject({ bypass: z.literal(true) }), z.strictObject({ cancel: z.literal(true) })]);
const printerBody = z.strictObject({ paper: z.enum(['out', 'ok']).optional(), lines: z.number().int().min(1).max(10000).optional(), cover: z.enum(['open', 'closed']).optional() });

function need<T>(device: T | undefined, name: string): T {
  if (!device) throw new HttpError(409, 'not-simulated', `this board's ${name} is not a simulated device`);
  return device;
}

/** Key presses are spaced so that each screen's handler is in place before the next key arrives. */
const KEY_GAP_MS = 25;

/** The /sim routes over a sim board's simulated devices. */
export function registerSimRoutes(app: FastifyInstance, sim: SimDevices): void {
  registerSimControlRoutes(app, simControlsOf(sim));
}

/** The /sim routes over any control surface. */
export function registerSimControlRoutes(app: FastifyInstance, controls: SimControls): void {
  app.post('/sim/card', async (req) => {
    const body = parseBody(cardBody, req.body);
    const event = await need(controls.swipe, 'magstripe reader')(body);
    return event.kind === 'card' ? { swiped: 'card', maskedPan: maskPan(event.card.pan) } : { swiped: 'bad-read', reason: event.reason };
  });

  app.post('/sim/scan', async (req) => {
    const body = parseBody(scanBody, req.body);
    await need(controls.scan, 'scan head')(body.data);
    return { scanned: body.data.length };
  });

  app.post('/sim/keys', async (req) => {
    const { keys } = parseBody(keysBody, req.body);
    const bad = keys.filter((k) => !isKey(k));
    if (bad.length) throw new HttpError(400, 'bad-request', `$.keys: unknown key(s) ${bad.map((k) => `"${k}"`).join(', ')}; expected one of ${KEYS.join(' ')}`);
    const keypad = need(controls.keypad, 'keypad');
    const missing = keys.filter((k) => !keypad.keys.includes(k as Key));
    if (missing.length) throw new HttpError(400, 'bad-request', `$.keys: this board's keypad has no ${missing.map((k) => `"${k}"`).join(', ')} key${missing.length > 1 ? 's' : ''}; it has ${keypad.keys.join(' ')}`);
    for (const k of keys as Key[]) {
      await keypad.press(k);
      await new Promise((r) => setTimeout(r, KEY_GAP_MS));
    }
    return { pressed: keys.length };
  });

  app.post('/sim/pin', async (req) => {
    const body = parseBody(pinBody, req.body);
    const pad = need(controls.pin, 'PIN pad');
    if (!(await pad.waitForPrompt(5000))) throw new HttpError(409, 'not-prompting', 'the PIN pad is not asking for a PIN');
    try {
      if ('pin' in body) await pad.enterPin(body.pin);
      else if ('bypass' in body) await pad.bypass();
      else await pad.cancel();
    } catch (err) {
      throw new HttpError(409, 'pin-refused', (err as Error).message);
    }
    return { accepted: true };
  });

  app.get('/sim/lcd', async () => need(controls.lcd, 'display')());

  app.get('/sim/receipts', async () => ({
    receipts: need(controls.receipts, 'printer')().map((r) => ({ seq: r.seq, complete: r.complete, text: r.text, bytes: r.bytes.toString('base64') })),
  }));

  app.post('/sim/printer', async (req) => {
    const body = parseBody(printerBody, req.body);
    if (!body.paper && !body.cover) throw new HttpError(400, 'bad-request', '$: expected "paper" and/or "cover"');
    return await need(controls.printer, 'printer')(body);
  });
}
