// DLE EOT real-time status: request bytes and reply decoding into PrinterStatus (Epson ESC/POS reference). Pure.
import { DeviceError } from '../device';
import type { PrinterStatus } from './printer';

/** DLE EOT n: 1 printer status, 2 offline cause, 3 error cause, 4 roll paper sensor. */
export type StatusKind = 1 | 2 | 3 | 4;

/** Bytes of DLE EOT n. Throws RangeError for n outside 1..4. */
export function statusRequest(n: StatusKind): Buffer {
  if (n !== 1 && n !== 2 && n !== 3 && n !== 4) throw new RangeError(`DLE EOT n: expected 1, 2, 3 or 4, got ${String(n)}`);
  return Buffer.from([0x10, 0x04, n]);
}

/** The queries a status check sends, in order; the printer answers one byte each. */
export const STATUS_QUERY_KINDS: readonly StatusKind[] = [1, 2, 4];
/** DLE EOT 1, DLE EOT 2, DLE EOT 4 in one write. */
export const STATUS_QUERY = Buffer.concat(STATUS_QUERY_KINDS.map(statusRequest));

/**
 * Every reply byte has bit 0 off, bit 1 on, bit 4 on, bit 7 off ("fixed" in every table of the reference).
 * A byte that breaks this is not a status reply.
 */
export function isStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

function check(b: number, n: StatusKind): number {
  if (!Number.isInteger(b) || b < 0 || b > 255 || !isStatusByte(b)) {
    throw new DeviceError('EPROTO', `DLE EOT ${n}: reply 0x${Number(b).toString(16).padStart(2, '0')} is not a status byte (fixed bits 1 and 4 on, 0 and 7 off)`);
  }
  return b;
}

export interface PrinterStatusBits {
  /** Bit 2: drawer kick-out connector pin 3 high. */
  drawerPinHigh: boolean;
  /** Bit 3: off-line. */
  offline: boolean;
}
/** n = 1, printer status. Throws DeviceError EPROTO for a byte that is not a status reply. */
export function decodePrinterStatus(b: number): PrinterStatusBits {
  check(b, 1);
  return { drawerPinHigh: (b & 0x04) !== 0, offline: (b & 0x08) !== 0 };
}

export interface OfflineCauseBits {
  /** Bit 2: cover open. */
  coverOpen: boolean;
  /** Bit 3: paper being fed by the FEED button. */
  feedButton: boolean;
  /** Bit 5: printing stopped because the paper ran out. */
  paperEndStop: boolean;
  /** Bit 6: an error occurred (see n = 3). */
  error: boolean;
}
/** n = 2, off-line cause. Throws DeviceError EPROTO for a byte that is not a status reply. */
export function decodeOfflineCause(b: number): OfflineCauseBits {
  check(b, 2);
  return { coverOpen: (b & 0x04) !== 0, feedButton: (b & 0x08) !== 0, paperEndStop: (b & 0x20) !== 0, error: (b & 0x40) !== 0 };
}

export interface ErrorCauseBits {
  /** Bit 3: autocutter error (jam); recoverable with DLE ENQ. */
  cutterError: boolean;
  /** Bit 5: unrecoverable error. */
  unrecoverable: boolean;
  /** Bit 6: automatically recoverable error (print head too hot). */
  autoRecoverable: boolean;
}
/** n = 3, error cause. Throws DeviceError EPROTO for a byte that is not a status reply. */
export function decodeErrorCause(b: number): ErrorCauseBits {
  check(b, 3);
  return { cutterError: (b & 0x08) !== 0, unrecoverable: (b & 0x20) !== 0, autoRecoverable: (b & 0x40) !== 0 };
}

export interface PaperSensorBits {
  /** Bits 2 and 3: roll paper near-end sensor reports near end. */
  nearEnd: boolean;
  /** Bits 5 and 6: roll paper end sensor reports no paper. */
  paperOut: boolean;
}
/** n = 4, roll paper sensor. Either bit of a pair counts (some models set only one). */
export function decodePaperSensor(b: number): PaperSensorBits {
  check(b, 4);
  return { nearEnd: (b & 0x0c) !== 0, paperOut: (b & 0x60) !== 0 };
}

/**
 * Combines the replies to DLE EOT 1, 2 and 4 (STATUS_QUERY order). Cover open wins over paper out (an open cover
 * also uncovers the paper sensor), paper out over other off-line causes. Throws DeviceError EPROTO on a bad byte.
 */
export function decodeStatusReplies(reply: Buffer): PrinterStatus {
  if (reply.length !== STATUS_QUERY_KINDS.length) {
    throw new DeviceError('EPROTO', `status reply: expected ${STATUS_QUERY_KINDS.length} bytes, got ${reply.length}`);
  }
  const printer = decodePrinterStatus(reply[0]);
  const cause = decodeOfflineCause(reply[1]);
  const paper = decodePaperSensor(reply[2]);
  const paperNearEnd = paper.nearEnd;
  if (cause.coverOpen) return { state: 'cover-open', paperNearEnd };
  if (paper.paperOut || cause.paperEndStop) return { state: 'paper-out', paperNearEnd };
  if (printer.offline || cause.error) return { state: 'offline', paperNearEnd };
  return { state: 'online', paperNearEnd };
}

/** Status bytes a printer in this state answers (DLE EOT 1, 2, 3, 4), for emulators and tests. */
export function encodeStatusReply(n: StatusKind, s: { coverOpen?: boolean; paperOut?: boolean; nearEnd?: boolean; error?: boolean }): number {
  const offline = !!(s.coverOpen || s.paperOut || s.error);
  switch (n) {
    case 1:
      return 0x12 | (offline ? 0x08 : 0);
    case 2:
      return 0x12 | (s.coverOpen ? 0x04 : 0) | (s.paperOut ? 0x20 : 0) | (s.error ? 0x40 : 0);
    case 3:
      return 0x12;
    case 4:
      return 0x12 | (s.nearEnd ? 0x0c : 0) | (s.paperOut ? 0x60 : 0);
    default:
      throw new RangeError(`DLE EOT n: expected 1, 2, 3 or 4, got ${String(n)}`);
  }
}

/** Two statuses are the same for listeners (state and near-end). */
export function sameStatus(a: PrinterStatus | undefined, b: PrinterStatus): boolean {
  return !!a && a.state === b.state && a.paperNearEnd === b.paperNearEnd;
}
