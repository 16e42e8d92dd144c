// ReceiptPrinter: the thermal-printer contract (print a receipt document, report paper and cover status).
import type { Unsubscribe } from '../../common/listeners';
import type { Device } from '../device';
import type { ReceiptDoc } from './receipt-doc';

export type PrinterState = 'online' | 'paper-out' | 'cover-open' | 'offline' | 'unknown';

export interface PrinterStatus {
  state: PrinterState;
  /** Paper near-end sensor; false when the printer cannot tell. */
  paperNearEnd: boolean;
}

export interface ReceiptPrinter extends Device {
  readonly deviceClass: 'printer';
  /** Characters per line in the normal font (58 mm paper: 32; 80 mm: 42 or 48). */
  readonly columns: number;
  /** True when the printer prints Chinese (GB18030); receipts fall back to English otherwise. */
  readonly supportsChinese: boolean;
  /**
   * Current status. Two-way transports ask the printer (DLE EOT); one-way transports answer
   * `unknown`, never `online`.
   */
  status(): Promise<PrinterStatus>;
  /**
   * Prints one receipt. Resolves when the whole job was printed (or handed to a one-way
   * transport). Rejects with DeviceError `EPAPER` / `ECOVER` when the printer stopped part-way:
   * the caller decides whether to reprint (as a copy) once status is back to online.
   */
  print(doc: ReceiptDoc): Promise<void>;
  /** Status changes the driver notices on its own (paper out, refilled, cover closed). */
  onStatus(listener: (status: PrinterStatus) => void): Unsubscribe;
}
