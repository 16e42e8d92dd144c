// PIN pad contract, split the Tock way: PinEntry for flows, PinPadKeyLoading for key injection only.
import type { Device } from '../device';

export interface PinRequest {
  /** PAN the PIN block is bound to (ISO 9564 format 0/4). */
  pan: string;
  /** Amount shown on the PIN pad, in minor units, with its currency code (e.g. "CNY"). */
  amount?: { minor: number; currency: string };
  /** Text shown above the entry field, e.g. "SALE". */
  label: string;
  minLength?: number; // default 4
  maxLength?: number; // default 12
  /** OK with no digits returns `bypass` when allowed. */
  allowBypass: boolean;
  timeoutMs?: number; // default 60000
  signal?: AbortSignal;
}

export type PinResult =
  | { kind: 'pin'; format: 0 | 4; pinBlock: Buffer; ksn: Buffer }
  | { kind: 'bypass' }
  | { kind: 'cancelled' }
  | { kind: 'timeout' };

/** What a flow is given: PIN entry only. Resolves with the outcome; rejects with DeviceError on device faults. */
export interface PinEntry {
  requestPin(req: PinRequest): Promise<PinResult>;
}

export interface InitialKey {
  scheme: 'tdes' | 'aes128' | 'aes256';
  initialKey: Buffer;
  /** Initial KSN: 10 bytes (TDES) or 12 bytes (AES). */
  ksn: Buffer;
}

/** Key injection: used by the key-loading tool, never handed to a flow. */
export interface PinPadKeyLoading {
  loadInitialKey(key: InitialKey): Promise<void>;
}

export interface PinPad extends Device {
  readonly deviceClass: 'pinpad';
  readonly entry: PinEntry;
  readonly keys: PinPadKeyLoading;
}
