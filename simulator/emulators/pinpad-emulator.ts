// Emulated serial PIN pad: speaks the PIN pad protocol on a serial path (a pty end), does real DUKPT, driven by a control surface.
import { systemClock, type Clock, type TimerHandle } from '../../firmware/common/clock';
import { DukptError } from '../../firmware/crypto/errors';
import type { Logger } from '../../firmware/log';
import type { InitialKey } from '../../firmware/hal/pinpad/pinpad';
import { PinPadLink } from '../../firmware/hal/pinpad/pinpad-link';
import { ANY_REF, PadErrorCode, ProtocolViolation, decodeMessage, encodeMessage, type PinPadMessage } from '../../firmware/hal/pinpad/pinpad-protocol';
import { SerialLine } from '../../firmware/hal/serial/serial-line';
import { EmulatorKeys } from './pinpad-emulator-keys';
import { FaultInjector, type LineFault, type LineStats } from './pinpad-emulator-faults';
import { formatAmount } from './pinpad-emulator-screen';

export type { LineFault, LineStats } from './pinpad-emulator-faults';

export const EMULATOR_VERSION = 'posfw-pinpad-emulator 1.0';

export interface PinPadEmulatorOptions {
  /** Serial path of the pad's end of the line (the other end of the driver's pty). */
  path: string;
  /** Factory key; a `stateFile` that exists wins over it (the pad's own memory). */
  key: InitialKey;
  log: Logger;
  /** Keeps the injected key and KSN counter across restarts. */
  stateFile?: string;
  baudRate?: number;
  ackTimeoutMs?: number;
  retries?: number;
  reconnectMs?: number;
  /** How long enterPin/bypass/cancel wait for the pad to prompt. Default 5000. */
  promptWaitMs?: number;
  /** The pad's own timers (its PIN entry timeout, ACK timeouts, reconnects, prompt waits). Default the system clock. */
  clock?: Clock;
}

/** The pad's little screen. Never shows digits: typed digits appear as `*`. */
export interface EmulatorScreen {
  prompting: boolean;
  lines: string[];
  label?: string;
  amount?: string;
}

/** Control surface of the emulated pad (the cardholder's side) plus line fault injection. */
export interface PinPadEmulator {
  /** Waits for a prompt, types `pin` and OK; resolves once the encrypted result was ACKed. Rejects if no prompt, or the PIN length is refused. */
  enterPin(pin: string): Promise<void>;
  /** Waits for a prompt, presses OK with no digits; rejects when the request does not allow bypass. */
  bypass(): Promise<void>;
  /** Waits for a prompt, presses CANCEL. */
  cancel(): Promise<void>;
  screen(): EmulatorScreen;
  /** Resolves true once the pad prompts (at once if it does), false after `timeoutMs`. */
  waitForPrompt(timeoutMs: number): Promise<boolean>;
  /** Scheme and KSN of the last PIN block (initial KSN before the first). */
  keyState(): { scheme: InitialKey['scheme']; ksn: Buffer };
  inject(fault: LineFault): void;
  stats(): LineStats;
  close(): Promise<void>;
}

type EntryMsg = Extract<PinPadMessage, { cmd: 'pinEntry' }>;

class EmulatedPad implements PinPadEmulator {
  private readonly log: Logger;
  private readonly keys: EmulatorKeys;
  private readonly line: SerialLine;
  private readonly link: PinPadLink;
  private readonly faults: FaultInjector;
  private readonly lineStats: LineStats = { messages: 0, duplicates: 0, badFrames: 0, naksSent: 0, retransmits: 0, noiseBytes: 0 };
  private entry: { msg: EntryMsg; timer: TimerHandle; typed: number } | undefined;
  private readonly clock: Clock;
  private readonly promptWaiters = new Set<() => void>();

  constructor(private readonly opts: PinPadEmulatorOptions) {
    this.log = opts.log.child({ ns: 'hal.pinpad-emulator' });
    this.keys = new EmulatorKeys(opts.key, opts.stateFile);
    this.clock = opts.clock ?? systemClock;
    this.line = new SerialLine({ path: opts.path, baudRate: opts.baudRate ?? 9600, reconnectMs: opts.reconnectMs ?? 200, log: this.log, clock: this.clock, hupcl: false });
    this.line.onData((chunk) => this.link.receive(chunk));
    this.line.onDown(() => this.onDown());
    this.line.onUp(() => this.log.info('emulated PIN pad line back'));
    this.faults = new FaultInjector(this.line, this.lineStats, this.clock);
    this.link = new PinPadLink({
      write: (bytes) => this.faults.write(bytes),
      onBody: (body) => this.onBody(body),
      onEvent: (e) => {
        if (e.type === 'duplicate') this.lineStats.duplicates++;
        else if (e.type === 'bad-frame') this.lineStats.badFrames++;
        else if (e.type === 'retransmit') this.lineStats.retransmits++;
        else if (e.type === 'noise') this.lineStats.noiseBytes += e.bytes;
      },
      ackTimeoutMs: opts.ackTimeoutMs ?? 500,
      retries: opts.retries ?? 3,
      answerFrame: () => this.faults.answerFrame(),
      acceptAck: () => this.faults.acceptAck(),
      clock: this.clock,
    });
  }

  async start(): Promise<void> {
    await this.line.open();
    this.log.info({ path: this.opts.path, scheme: this.keys.scheme }, 'emulated PIN pad on line');
  }

  async enterPin(pin: string): Promise<void> {
    const entry = await this.prompted('enterPin');
    const { minLength, maxLength, pan } = entry.msg;
    if (!/^\d*$/.test(pin) || pin.length < minLength || pin.length > maxLength) {
      throw new RangeError(`the pad takes ${minLength}-${maxLength} digits; OK is ignored for ${pin.length}`);
    }
    entry.typed = pin.length;
    const { format, pinBlock, ksn } = this.keys.encrypt(pin, pan);
    await this.finish({ cmd: 'pinResult', ref: entry.msg.ref, status: 'pin', format, pinBlock, ksn });
  }

  async bypass(): Promise<void> {
    const entry = await this.prompted('bypass');
    if (!entry.msg.allowBypass) throw new Error('PIN bypass is not allowed for this entry; OK with no digits is ignored');
    await this.finish({ cmd: 'pinResult', ref: entry.msg.ref, status: 'bypass' });
  }

  async cancel(): Promise<void> {
    const entry = await this.prompted('cancel');
    await this.finish({ cmd: 'pinResult', ref: entry.msg.ref, status: 'cancelled' });
  }

  screen(): EmulatorScreen {
    if (!this.entry) return { prompting: false, lines: ['READY'] };
    const { label, amount } = this.entry.msg;
    const amountText = amount ? formatAmount(amount.minor, amount.currency) : undefined;
    const lines = [label, ...(amountText ? [amountText] : []), 'ENTER PIN', '*'.repeat(this.entry.typed)];
    return { prompting: true, lines, label, ...(amountText ? { amount: amountText } : {}) };
  }

  waitForPrompt(timeoutMs: number): Promise<boolean> {
    if (this.entry) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (v: boolean) => {
        this.clock.clearTimeout(timer);
        this.promptWaiters.delete(wake);
        resolve(v);
      };
      const wake = () => done(true);
      const timer = this.clock.setTimeout(() => done(false), timeoutMs);
      this.promptWaiters.add(wake);
    });
  }

  keyState(): { scheme: InitialKey['scheme']; ksn: Buffer } {
    return { scheme: this.keys.scheme, ksn: this.keys.ksn };
  }

  inject(fault: LineFault): void {
    this.faults.inject(fault);
  }

  stats(): LineStats {
    return { ...this.lineStats };
  }

  async close(): Promise<void> {
    this.endEntry();
    this.link.reset();
    await this.line.close();
    for (const w of [...this.promptWaiters]) w();
  }

  private async prompted(what: string): Promise<NonNullable<EmulatedPad['entry']>> {
    if (!(await this.waitForPrompt(this.opts.promptWaitMs ?? 5000)) || !this.entry) {
      throw new Error(`${what}(): the PIN pad is not prompting for a PIN`);
    }
    return this.entry;
  }

  private onBody(body: Buffer): void {
    this.lineStats.messages++;
    let m: PinPadMessage;
    try {
      m = decodeMessage(body);
    } catch (err) {
      const v = err as ProtocolViolation;
      const code = v.cmd === undefined || v.message.startsWith('unknown command') ? PadErrorCode.UNKNOWN_COMMAND : PadErrorCode.BAD_FIELD;
      this.reply({ cmd: 'error', ref: v.ref ?? 0, code, text: v.message.slice(0, 200) });
      return;
    }
    switch (m.cmd) {
      case 'pinEntry':
        return this.startEntry(m);
      case 'pinCancel':
        if (this.entry && (m.ref === ANY_REF || m.ref === this.entry.msg.ref)) void this.finish({ cmd: 'pinResult', ref: this.entry.msg.ref, status: 'cancelled' }).catch(() => undefined);
        return;
      case 'loadKey':
        if (this.entry) return this.reply({ cmd: 'error', ref: m.ref, code: PadErrorCode.BUSY, text: 'PIN entry in progress' });
        this.keys.load({ scheme: m.scheme, initialKey: m.initialKey, ksn: m.ksn });
        this.log.info({ scheme: m.scheme }, 'initial key loaded');
        return this.reply({ cmd: 'keyLoaded', ref: m.ref, ksn: m.ksn });
      case 'status':
        return this.reply({ cmd: 'statusReply', ref: m.ref, state: this.entry ? 'prompting' : 'idle', scheme: this.keys.scheme, ksn: this.keys.ksn, version: EMULATOR_VERSION });
      case 'echo':
        return this.reply({ cmd: 'echoReply', ref: m.ref, data: m.data });
      default:
        return this.reply({ cmd: 'error', ref: m.ref, code: PadErrorCode.UNKNOWN_COMMAND, text: `${m.cmd} is not a request` });
    }
  }

  private startEntry(m: EntryMsg): void {
    if (this.entry) return this.reply({ cmd: 'error', ref: m.ref, code: PadErrorCode.BUSY, text: 'already prompting' });
    try {
      this.keys.checkUsable();
    } catch (err) {
      const code = err instanceof DukptError && err.reason === 'exhausted' ? PadErrorCode.KEY_EXHAUSTED : PadErrorCode.NO_KEY;
      return this.reply({ cmd: 'error', ref: m.ref, code, text: err instanceof DukptError ? err.reason : 'key unusable' });
    }
    const timer = this.clock.setTimeout(() => void this.finish({ cmd: 'pinResult', ref: m.ref, status: 'timeout' }).catch(() => undefined), m.timeoutMs);
    this.entry = { msg: m, timer, typed: 0 };
    for (const w of [...this.promptWaiters]) w();
  }

  /** Ends the entry on the pad at once, then reports the outcome. */
  private finish(result: Extract<PinPadMessage, { cmd: 'pinResult' }>): Promise<void> {
    this.endEntry();
    return this.link.send(encodeMessage(result));
  }

  private endEntry(): void {
    if (this.entry) this.clock.clearTimeout(this.entry.timer);
    this.entry = undefined;
  }

  private reply(m: PinPadMessage): void {
    this.link.send(encodeMessage(m)).catch((err: Error) => this.log.warn({ cmd: m.cmd, err: err.message }, 'reply not acknowledged'));
  }

  private onDown(): void {
    // Unplugged: the prompt goes away with the cable; nothing can be reported.
    this.endEntry();
    this.link.reset();
  }
}

/**
 * Starts an emulated PIN pad on `path`: resolves once the port is open, rejects ENODEV if it cannot
 * be opened. Throws synchronously on missing options or an unreadable state file.
 */
export function startPinPadEmulator(opts: PinPadEmulatorOptions): Promise<PinPadEmulator> {
  if (!opts || typeof opts.path !== 'string' || !opts.key || !opts.log) throw new TypeError('startPinPadEmulator(): expected { path, key, log }');
  const pad = new EmulatedPad(opts);
  return pad.start().then(() => pad);
}
