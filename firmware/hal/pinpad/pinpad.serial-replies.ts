// Matches PIN pad replies to requests by REF; maps pad ERROR replies and protocol violations to DeviceError.
import { DeviceError, type DeviceErrorCode } from '../device';
import { PadErrorCode, type PinPadMessage, type PinPadMessageName } from './pinpad-protocol';
import type { Clock, TimerHandle } from '../../common/clock';

type Reply<N extends PinPadMessageName> = Extract<PinPadMessage, { cmd: N }>;

export interface ReplyWaiter<N extends PinPadMessageName> {
  readonly promise: Promise<Reply<N>>;
  /** Starts the reply deadline (once the request was ACKed); ETIMEOUT when it passes. */
  arm(timeoutMs: number): void;
  /** Forgets the waiter without settling it (the caller settled otherwise). */
  cancel(): void;
}

interface Entry {
  expect: readonly PinPadMessageName[];
  resolve(m: PinPadMessage): void;
  reject(err: DeviceError): void;
  timer: TimerHandle;
}

const PAD_ERRORS: Record<number, { code: DeviceErrorCode; what: string }> = {
  [PadErrorCode.UNKNOWN_COMMAND]: { code: 'EPROTO', what: 'unknown command' },
  [PadErrorCode.BAD_FIELD]: { code: 'EPROTO', what: 'bad field' },
  [PadErrorCode.BUSY]: { code: 'EBUSY', what: 'busy' },
  [PadErrorCode.NO_KEY]: { code: 'EIO', what: 'no key loaded' },
  [PadErrorCode.KEY_EXHAUSTED]: { code: 'EIO', what: 'key exhausted (KSN counter at its limit)' },
  [PadErrorCode.BAD_KEY]: { code: 'EIO', what: 'key refused' },
  [PadErrorCode.INTERNAL]: { code: 'EIO', what: 'internal error' },
};

/** DeviceError for a pad ERROR reply: BUSY → EBUSY, BAD_FIELD/UNKNOWN_COMMAND → EPROTO, the rest → EIO. */
export function padErrorToDeviceError(code: number, text: string): DeviceError {
  const known = PAD_ERRORS[code] ?? { code: 'EIO' as const, what: `error 0x${code.toString(16)}` };
  return new DeviceError(known.code, `PIN pad refused the request: ${known.what}${text ? ` (${text})` : ''}`);
}

/** Pending requests by REF. At most one waiter per REF. */
export class ReplyTable {
  private readonly waiting = new Map<number, Entry>();

  constructor(private readonly clock: Clock) {}

  /** Registers interest in a reply to `ref` (before sending, so a fast reply is not missed). */
  wait<N extends PinPadMessageName>(ref: number, expect: readonly N[]): ReplyWaiter<N> {
    let entry!: Entry;
    const promise = new Promise<Reply<N>>((resolve, reject) => {
      entry = { expect, resolve: resolve as (m: PinPadMessage) => void, reject, timer: undefined };
    });
    promise.catch(() => undefined); // settled by whoever awaits it; never an unhandled rejection
    this.waiting.set(ref, entry);
    return {
      promise,
      arm: (timeoutMs) => {
        if (this.waiting.get(ref) !== entry) return;
        entry.timer = this.clock.setTimeout(() => {
          this.settle(ref, entry)?.reject(new DeviceError('ETIMEOUT', `PIN pad did not reply to request ${ref} within ${timeoutMs} ms`));
        }, timeoutMs);
      },
      cancel: () => void this.settle(ref, entry),
    };
  }

  /** Routes a decoded message. Returns false when no request waits for its REF (a late or stray reply). */
  deliver(m: PinPadMessage): boolean {
    const entry = this.waiting.get(m.ref);
    if (!entry) return false;
    this.settle(m.ref, entry);
    if (m.cmd === 'error') entry.reject(padErrorToDeviceError(m.code, m.text));
    else if (entry.expect.includes(m.cmd)) entry.resolve(m);
    else entry.reject(new DeviceError('EPROTO', `PIN pad answered request ${m.ref} with ${m.cmd}, expected ${entry.expect.join(' or ')}`));
    return true;
  }

  /** Fails the waiter for `ref`, if any. */
  fail(ref: number, err: DeviceError): boolean {
    const entry = this.waiting.get(ref);
    if (!entry) return false;
    this.settle(ref, entry);
    entry.reject(err);
    return true;
  }

  /** Fails every waiter (line down, device closed). */
  failAll(err: DeviceError): void {
    for (const [ref, entry] of [...this.waiting]) {
      this.settle(ref, entry);
      entry.reject(err);
    }
  }

  private settle(ref: number, entry: Entry): Entry | undefined {
    if (this.waiting.get(ref) !== entry) return undefined;
    this.waiting.delete(ref);
    this.clock.clearTimeout(entry.timer);
    return entry;
  }
}
