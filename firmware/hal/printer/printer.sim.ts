// Simulated thermal printer: keeps every receipt as text and ESC/POS bytes; paper and cover can be taken away.
import { Listeners, type Unsubscribe } from '../../common/listeners';
import { DeviceError } from '../device';
import { SimDevice } from '../sim-device';
import { encodeReceipt } from './escpos';
import { layoutLine, type ReceiptDoc } from './receipt-doc';
import type { PrinterStatus, ReceiptPrinter } from './printer';
import type { PrinterConfig } from '../../board/devices';
import type { SimControllable, SimControls } from '../sim-controls';

export interface PrintedReceipt {
  seq: number;
  /** What the paper shows, one row per line. */
  text: string;
  /** The ESC/POS bytes a real printer of this board would have been sent. */
  bytes: Buffer;
  /** False when the paper ran out part-way: the slip is cut off. */
  complete: boolean;
}

/** How many printed slips the simulated printer remembers. */
export const SIM_PRINTER_KEEPS = 200;

export class SimPrinter extends SimDevice implements ReceiptPrinter, SimControllable {
  readonly deviceClass = 'printer';
  readonly columns: number;
  readonly supportsChinese: boolean;
  private readonly codepage: 'cp437' | 'cp858';
  private paper: 'ok' | 'out' = 'ok';
  private cover: 'closed' | 'open' = 'closed';
  /** Lines left on the roll; undefined = plenty. */
  private linesLeft: number | undefined;
  private readonly printed: PrintedReceipt[] = [];
  private readonly statuses = new Listeners<PrinterStatus>();
  private seq = 0;

  constructor(config: Extract<PrinterConfig, { driver: 'sim' }>) {
    super();
    this.columns = config.columns;
    this.supportsChinese = config.chinese;
    this.codepage = config.codepage;
  }

  async status(): Promise<PrinterStatus> {
    this.requireOpen('status()');
    return this.currentStatus();
  }

  onStatus(listener: (status: PrinterStatus) => void): Unsubscribe {
    return this.statuses.add(listener);
  }

  async print(doc: ReceiptDoc): Promise<void> {
    this.requireOpen('print()');
    if (this.cover === 'open') throw new DeviceError('ECOVER', 'printer cover is open');
    if (this.paper === 'out') throw new DeviceError('EPAPER', 'printer is out of paper');
    const rows: string[] = [];
    for (const line of doc.lines) {
      const laid = layoutLine(line, this.columns);
      for (const row of laid) {
        if (this.linesLeft !== undefined && this.linesLeft <= 0) {
          this.record(rows, encodeReceipt({ lines: doc.lines.slice(0, doc.lines.indexOf(line)) }, this.encoderOptions()), false);
          this.setPaper('out');
          throw new DeviceError('EPAPER', `printer ran out of paper after ${rows.length} lines`);
        }
        rows.push(row);
        if (this.linesLeft !== undefined) this.linesLeft--;
      }
    }
    this.record(rows, encodeReceipt(doc, this.encoderOptions()), true);
  }

  /** Control surface: take the paper out, or load a new roll (optionally only `lines` long). */
  setPaper(state: 'ok' | 'out', lines?: number): void {
    this.paper = state;
    this.linesLeft = state === 'ok' ? lines : undefined;
    this.statuses.emit(this.currentStatus());
  }

  setCover(state: 'open' | 'closed'): void {
    this.cover = state;
    this.statuses.emit(this.currentStatus());
  }

  paperState(): 'ok' | 'out' {
    return this.paper;
  }

  /** Control surface: the receipts printed since boot (the newest {@link SIM_PRINTER_KEEPS}), oldest first; `seq` counts every one. */
  receipts(): PrintedReceipt[] {
    return [...this.printed];
  }

  private record(rows: string[], bytes: Buffer, complete: boolean): void {
    this.printed.push({ seq: ++this.seq, text: rows.join('\n'), bytes, complete });
    // A terminal left running for days must not keep every slip in memory.
    if (this.printed.length > SIM_PRINTER_KEEPS) this.printed.splice(0, this.printed.length - SIM_PRINTER_KEEPS);
  }

  private encoderOptions() {
    return { columns: this.columns, codepage: this.codepage, chinese: this.supportsChinese };
  }

  private currentStatus(): PrinterStatus {
    const state = this.cover === 'open' ? 'cover-open' : this.paper === 'out' ? 'paper-out' : 'online';
    return { state, paperNearEnd: this.linesLeft !== undefined && this.linesLeft < 20 };
  }

  simControls(): SimControls {
    return {
      receipts: () => this.receipts(),
      paper: () => this.paperState(),
      printer: async (change) => {
        if (change.cover) this.setCover(change.cover);
        if (change.paper) this.setPaper(change.paper, change.lines);
        return await this.status();
      },
    };
  }
}

export function createSimPrinter(config: Extract<PrinterConfig, { driver: 'sim' }>): SimPrinter {
  return new SimPrinter(config);
}
