// Splits what the emulated ESC/POS printer printed into receipts: ESC @ starts one, a cut ends it, paper out cuts it off.

/** One slip as it came out of the emulated printer (the shape /sim/receipts serves). */
export interface EmulatedReceipt {
  seq: number;
  /** Printed rows joined with '\n'. */
  text: string;
  /** The ESC/POS bytes of this slip as received (DLE EOT status requests left out). */
  bytes: Buffer;
  /** False when the slip was cut off (paper ran out, cover opened) or a new job started before its cut. */
  complete: boolean;
}

interface Entry {
  seq: number;
  rowStart: number;
  rowEnd?: number;
  bytes: Buffer[];
  complete?: boolean;
}

/**
 * Bookkeeping only: the emulator tells it where jobs start (`begin`), which bytes belong to the job in progress
 * (`bytes`), where the cutter fired (`cut`) and where printing stopped (`stop`); rows are the emulator's.
 */
export class ReceiptLog {
  private readonly entries: Entry[] = [];
  private open: Entry | undefined;
  private seq = 0;

  /** ESC @ at row `row`: a new job. A job still open there never got its cut: it is cut off. */
  begin(row: number): void {
    this.close(row, false);
    this.open = { seq: ++this.seq, rowStart: row, bytes: [] };
    this.entries.push(this.open);
  }

  /** Bytes of the job in progress; bytes outside a job (before any ESC @) start one. */
  bytes(raw: Buffer, row: number): void {
    if (!this.open) this.begin(row);
    this.open!.bytes.push(raw);
  }

  /** The cutter fired after row `row`: the job is a complete slip. */
  cut(row: number): void {
    this.close(row, true);
  }

  /** Printing stopped at row `row` (paper ran out): the job is a cut-off slip. */
  stop(row: number): void {
    this.close(row, false);
  }

  /**
   * Finished slips, oldest first, plus the job in progress as a cut-off slip when the printer has `stopped`
   * (paper out or cover open with the job not finished).
   */
  list(rows: readonly string[], stopped: boolean): EmulatedReceipt[] {
    return this.entries
      .filter((e) => e.complete !== undefined || (stopped && e === this.open && rows.length > e.rowStart))
      .map((e) => ({
        seq: e.seq,
        text: rows.slice(e.rowStart, e.rowEnd ?? rows.length).join('\n'),
        bytes: Buffer.concat(e.bytes),
        complete: e.complete === true,
      }));
  }

  private close(row: number, complete: boolean): void {
    if (!this.open) return;
    this.open.rowEnd = row;
    this.open.complete = complete;
    this.open = undefined;
  }
}
