// Simulated PIN pad: real DUKPT encryption of PINs typed through its control surface; key wrapped at rest, KSN counter kept.
import { existsSync, readFileSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DeviceError } from '../device';
import { SimDevice } from '../sim-device';
import { encryptPin, nextKsn } from '../../crypto/dukpt';
import { displayCheckValue } from '../../crypto/key-check-value';
import type { InitialKey, PinEntry, PinPad, PinPadKeyLoading, PinRequest, PinResult } from './pinpad';
import type { PinpadConfig } from '../../board/devices';
import type { DriverContext, SecretWrap } from '../driver-context';
import type { SimControllable, SimControls } from '../sim-controls';
import { systemClock, type Clock } from '../../common/clock';

/** KSNs saved ahead of use: a restart skips at most this many counters of the 2^21 (TDES) a key has. */
const KSN_RESERVE = 16;
/** What the wrapped initial key is bound to: the key cannot be moved into another file role. */
const WRAP_CONTEXT = 'sim-pinpad initial key';

/**
 * The pad's state file (`sim-pinpad.json`): the KSN to resume from, the key's check value, and the initial key
 * wrapped under the device key (never in the clear; without a wrapper it is not kept, and a restart goes back to the
 * board's key). Version 1 files kept `initialKey` in hex: read once, then rewritten wrapped.
 */
interface PadState {
  v: 2;
  scheme: InitialKey['scheme'];
  ksn: string;
  /** Check value of the initial key: says which key the counter belongs to. */
  keyCheck: string;
  wrappedKey?: string;
}

const checkOf = (k: InitialKey) => displayCheckValue(k.scheme === 'tdes' ? 'T' : 'A', k.initialKey) as string;

interface Pending {
  req: PinRequest;
  resolve(result: PinResult): void;
  cleanup(): void;
}

/** What the simulated pad's own little screen shows (never the PIN). */
export interface PadScreen {
  prompting: boolean;
  label?: string;
  amount?: string;
}

export class SimPinPad extends SimDevice implements PinPad, SimControllable {
  readonly deviceClass = 'pinpad';
  readonly entry: PinEntry = { requestPin: (req) => this.requestPin(req) };
  readonly keys: PinPadKeyLoading = { loadInitialKey: async (key) => this.loadKey(key) };
  private key: InitialKey;
  private pending: Pending | undefined;
  private readonly waiters = new Set<() => void>();
  /** PINs that may still use counters below the saved one. */
  private reserveLeft = 0;

  constructor(
    initial: InitialKey,
    private readonly stateFile: string | undefined,
    private readonly clock: Clock = systemClock,
    private readonly keyWrap?: SecretWrap,
  ) {
    super();
    this.key = initial;
  }

  override async open(): Promise<void> {
    if (this.stateFile && existsSync(this.stateFile)) this.restore(JSON.parse(readFileSync(this.stateFile, 'utf8')) as PadState | LegacyPadState);
    await super.open();
  }

  /** Like a real pad, an injected key and its counter survive power cycles (the key only where it can be wrapped). */
  private restore(saved: PadState | LegacyPadState): void {
    if ('initialKey' in saved) {
      // A version 1 file kept the key in the clear: take it, and rewrite the file at once without it.
      this.key = { scheme: saved.scheme, initialKey: Buffer.from(saved.initialKey, 'hex'), ksn: Buffer.from(saved.ksn, 'hex') };
      this.saveState();
      return;
    }
    const ksn = Buffer.from(saved.ksn, 'hex');
    if (saved.wrappedKey && this.keyWrap) {
      this.key = { scheme: saved.scheme, initialKey: this.keyWrap.unwrap(saved.wrappedKey, WRAP_CONTEXT), ksn };
    } else if (saved.scheme === this.key.scheme && saved.keyCheck === checkOf(this.key)) {
      this.key = { ...this.key, ksn };
    }
  }

  override async close(): Promise<void> {
    this.finish({ kind: 'cancelled' });
    await super.close();
  }

  /** Control surface: the cardholder types `pin` and OK. */
  enterPin(pin: string): void {
    const p = this.requirePrompt();
    const min = p.req.minLength ?? 4;
    const max = p.req.maxLength ?? 12;
    if (!/^\d+$/.test(pin) || pin.length < min || pin.length > max) {
      throw new DeviceError('EPROTO', `PIN must be ${min}-${max} digits`);
    }
    const ksn = nextKsn(this.key.ksn, this.key.scheme);
    // The counter is saved ahead: a restart resumes past every KSN handed out, with one file write per KSN_RESERVE PINs.
    if (this.reserveLeft-- <= 0) this.saveState(ksn);
    const { format, pinBlock } = encryptPin({ scheme: this.key.scheme, initialKey: this.key.initialKey, ksn, pin, pan: p.req.pan });
    this.key = { ...this.key, ksn };
    this.finish({ kind: 'pin', format, pinBlock, ksn });
  }

  /** Control surface: OK with no digits. Refused when the request does not allow bypass. */
  bypass(): void {
    const p = this.requirePrompt();
    if (!p.req.allowBypass) throw new DeviceError('EPROTO', 'PIN bypass is not allowed for this transaction');
    this.finish({ kind: 'bypass' });
  }

  /** Control surface: CANCEL on the pad. */
  cancel(): void {
    this.requirePrompt();
    this.finish({ kind: 'cancelled' });
  }

  screen(): PadScreen {
    if (!this.pending) return { prompting: false };
    const a = this.pending.req.amount;
    return { prompting: true, label: this.pending.req.label, amount: a ? `${a.currency} ${(a.minor / 100).toFixed(2)}` : undefined };
  }

  /** Resolves true once the pad prompts for a PIN (immediately if it already does), false after `timeoutMs` of real time (the simulated cardholder's patience). */
  waitForPrompt(timeoutMs: number): Promise<boolean> {
    if (this.pending) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (v: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(v);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.add(wake);
    });
  }

  private requestPin(req: PinRequest): Promise<PinResult> {
    this.requireOpen('requestPin()');
    if (this.pending) return Promise.reject(new DeviceError('EBUSY', 'PIN pad is already prompting'));
    if (!/^\d{12,19}$/.test(req.pan)) return Promise.reject(new DeviceError('EPROTO', 'PIN request needs a 12-19 digit PAN'));
    return new Promise<PinResult>((resolve) => {
      const timer = this.clock.setTimeout(() => this.finish({ kind: 'timeout' }), req.timeoutMs ?? 60000);
      const onAbort = () => this.finish({ kind: 'cancelled' });
      req.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending = { req, resolve, cleanup: () => (this.clock.clearTimeout(timer), req.signal?.removeEventListener('abort', onAbort)) };
      for (const w of [...this.waiters]) w();
    });
  }

  private loadKey(key: InitialKey): void {
    this.requireOpen('loadInitialKey()');
    // A copy: the loader wipes its buffers once the pad holds the key.
    this.key = { scheme: key.scheme, initialKey: Buffer.from(key.initialKey), ksn: Buffer.from(key.ksn) };
    this.reserveLeft = 0;
    this.saveState();
  }

  private requirePrompt(): Pending {
    this.requireOpen('PIN pad input');
    if (!this.pending) throw new DeviceError('EBUSY', 'PIN pad is not prompting for a PIN');
    return this.pending;
  }

  private finish(result: PinResult): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    p.cleanup();
    p.resolve(result);
  }

  /** Saves the key with a counter KSN_RESERVE steps past `from` (the key's own KSN when none): what a restart resumes from. */
  private saveState(from?: Buffer): void {
    if (!this.stateFile) return;
    let ahead = this.key.ksn;
    if (from) {
      ahead = from;
      for (let i = 0; i < KSN_RESERVE; i++) ahead = nextKsn(ahead, this.key.scheme);
      this.reserveLeft = KSN_RESERVE;
    }
    const state: PadState = { v: 2, scheme: this.key.scheme, ksn: ahead.toString('hex'), keyCheck: checkOf(this.key) };
    if (this.keyWrap) state.wrappedKey = this.keyWrap.wrap(this.key.initialKey, WRAP_CONTEXT);
    const tmp = `${this.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
    renameSync(tmp, this.stateFile);
  }

  simControls(): SimControls {
    return {
      pin: { waitForPrompt: (ms) => this.waitForPrompt(ms), enterPin: (pin) => this.enterPin(pin), bypass: () => this.bypass(), cancel: () => this.cancel() },
      pinScreen: () => this.screen(),
    };
  }
}

/** A state file written before the key was wrapped. */
interface LegacyPadState {
  scheme: InitialKey['scheme'];
  initialKey: string;
  ksn: string;
}

/**
 * The simulated pad of a board. Its config's clear `initialKey` is a development convenience (simulator boards only,
 * the schema refuses it elsewhere); a key loaded with `posfw keys load-pinpad` replaces it and is kept wrapped.
 */
export function createSimPinPad(config: Extract<PinpadConfig, { driver: 'sim' }>, ctx: Pick<DriverContext, 'dataDir' | 'clock' | 'keyWrap'>): SimPinPad {
  mkdirSync(ctx.dataDir, { recursive: true });
  return new SimPinPad(
    { scheme: config.scheme, initialKey: Buffer.from(config.initialKey, 'hex'), ksn: Buffer.from(config.ksn, 'hex') },
    join(ctx.dataDir, 'sim-pinpad.json'),
    ctx.clock,
    ctx.keyWrap,
  );
}
