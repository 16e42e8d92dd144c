// Shared device contract: lifecycle and typed device errors for every HAL class.
import type { Unsubscribe } from '../common/listeners';

/** Device classes a board can carry; one role-named interface each. */
export type DeviceClass = 'scanner' | 'magstripe' | 'pinpad' | 'printer' | 'display' | 'keypad';

export type DeviceErrorCode =
  | 'ENOTOPEN' // used before open() resolved, or after close()
  | 'ENODEV' // the device is not there (no port, no bus address answering)
  | 'EIO' // the transport failed (write error, unplugged)
  | 'ETIMEOUT' // the device did not answer in time
  | 'EPROTO' // the device answered with bytes that break its protocol
  | 'EPAPER' // printer: paper ran out (the job stopped part-way)
  | 'ECOVER' // printer: cover open
  | 'EBUSY' // a request is already in progress
  | 'ECANCELED' // cancelled by the caller or because the device was closed underneath
  | 'EDRIVER'; // the driver itself cannot load (missing native module)

/** Typed error that every driver rejects with. `canceled` is true when the device was closed or the caller aborted. */
export class DeviceError extends Error {
  readonly code: DeviceErrorCode;
  readonly canceled: boolean;
  constructor(code: DeviceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeviceError';
    this.code = code;
    this.canceled = code === 'ECANCELED';
  }
}

/** Lifecycle every driver shares. */
export interface Device {
  readonly deviceClass: DeviceClass;
  /** Driver name from the board config (`sim`, `serial`, ...). */
  readonly driver: string;
  /** Resolves when the device is usable; rejects with DeviceError (ENODEV, EIO, EDRIVER) otherwise. */
  open(): Promise<void>;
  /** Releases the device; pending operations reject with ECANCELED. Safe to call twice. */
  close(): Promise<void>;
  /** Subscribes to asynchronous device faults (unplug, protocol errors). Returns the unsubscribe function. */
  onError(listener: (err: DeviceError) => void): Unsubscribe;
}
