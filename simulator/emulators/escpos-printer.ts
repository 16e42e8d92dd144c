// Emulated ESC/POS receipt printer: parses the byte stream into printed rows (code pages, GB18030), QR payloads and
// barcodes, answers DLE EOT with its state, and can run out of paper after N rows or have its cover opened.
import iconv from 'iconv-lite';
import { align, textWidth, type Align } from '../../firmware/hal/printer/receipt-doc';
import { encodeStatusReply, type StatusKind } from '../../firmware/hal/printer/printer-status';
import { ean13CheckDigit } from '../../firmware/hal/printer/escpos-symbols';
import { EscposParser, type EscposEvent } from './escpos-printer-parser';
import { ReceiptLog, type EmulatedReceipt } from './escpos-receipt-log';

export type { EmulatedReceipt } from './escpos-receipt-log';

/** ESC t n tables the emulator knows (Epson numbering). */
const CODEPAGES: Record<number, string> = { 0: 'cp437', 2: 'cp850', 16: 'windows1252', 17: 'cp866', 19: 'cp858' };
const ALIGNS: Align[] = ['left', 'center', 'right'];
const SYMBOLOGY: Record<number, string> = { 67: 'EAN13', 69: 'CODE39', 73: 'CODE128', 2: 'EAN13', 4: 'CODE39' };

export interface EmulatorOptions {
  /** Characters per line in the normal font (32 for 58 mm paper). */
  columns?: number;
  /** Paper runs out after this many printed rows (undefined: never). */
  paperRows?: number;
}

export class EscposPrinterEmulator {
  readonly columns: number;
  /** Every byte received, in order. */
  private readonly raw: Buffer[] = [];
  /** Printed rows (aligned like renderText, right-trimmed). */
  readonly rows: string[] = [];
  readonly qrPayloads: string[] = [];
  readonly barcodes: { symbology: string; data: string }[] = [];
  readonly images: { width: number; height: number }[] = [];
  /** Commands the emulator did not understand (hex), so tests can insist there are none. */
  readonly unknown: string[] = [];
  cuts = 0;
  statusRequests = 0;
  paperOut = false;
  coverOpen = false;
  nearEnd = false;
  /** False: the printer ignores DLE EOT (powered off, wrong baud rate), so status requests time out. */
  answersStatus = true;
  /** Rows left before the paper runs out; undefined = endless roll. */
  paperRowsLeft: number | undefined;

  private readonly parser = new EscposParser();
  private readonly slips = new ReceiptLog();
  private line = '';
  private modes = { align: 'left' as Align, bold: false, underline: false, width: 1, height: 1, codepage: 'cp437', chinese: false };
  private qrData = '';

  constructor(opts: EmulatorOptions = {}) {
    this.columns = opts.columns ?? 32;
    this.paperRowsLeft = opts.paperRows;
  }

  /** Feeds bytes from the host; returns the bytes the printer answers (DLE EOT replies), possibly empty. */
  receive(data: Buffer): Buffer {
    this.raw.push(Buffer.from(data));
    const replies: number[] = [];
    for (const { event: ev, raw } of this.parser.pushSteps(data)) {
      if (ev?.type === 'status') {
        if (this.answersStatus) replies.push(this.statusByte(ev.n));
        continue;
      }
      // What an offline printer is sent never reaches paper: it belongs to no slip.
      const printing = this.printing;
      if (printing && ev?.type === 'init') this.slips.begin(this.rows.length);
      if (printing) this.slips.bytes(raw, this.rows.length);
      if (ev) this.apply(ev);
      if (ev?.type === 'cut' && printing && this.printing) this.slips.cut(this.rows.length);
    }
    return Buffer.from(replies);
  }

  /** The slips printed so far, oldest first; a job the printer stopped in the middle shows as cut off. */
  receipts(): EmulatedReceipt[] {
    return this.slips.list(this.rows, !this.printing);
  }

  /** Every byte received so far. */
  rawBytes(): Buffer {
    return Buffer.concat(this.raw);
  }

  /** Everything printed so far as plain text rows, joined with '\n' (like renderText). */
  printedText(): string {
    return this.rows.join('\n');
  }

  /** What the printer would answer to DLE EOT n right now. */
  statusByte(n: number): number {
    this.statusRequests++;
    if (n < 1 || n > 4) return 0x12;
    return encodeStatusReply(n as StatusKind, { coverOpen: this.coverOpen, paperOut: this.paperOut, nearEnd: this.nearEnd });
  }

  setPaper(state: 'out' | 'ok', rowsLeft?: number): void {
    this.paperOut = state === 'out';
    this.paperRowsLeft = state === 'ok' ? rowsLeft : undefined;
  }

  setCover(state: 'open' | 'closed'): void {
    this.coverOpen = state === 'open';
  }

  /** Offline printers (paper out, cover open) drop what they are sent; a real one would buffer until its buffer fills. */
  private get printing(): boolean {
    return !this.paperOut && !this.coverOpen;
  }

  private get width(): number {
    return Math.floor(this.columns / this.modes.width);
  }

  private pushRow(text: string): void {
    if (!this.printing) return;
    this.rows.push(align(text, this.width, this.modes.align).trimEnd());
    if (this.paperRowsLeft !== undefined && --this.paperRowsLeft <= 0) {
      this.paperOut = true;
      this.slips.stop(this.rows.length);
    }
  }

  private flushLine(): void {
    this.pushRow(this.line);
    this.line = '';
  }

  private addText(bytes: Buffer): void {
    const text = iconv.decode(bytes, this.modes.chinese ? 'gb18030' : this.modes.codepage);
    for (const ch of text) {
      // The print head wraps on its own when a row is full.
      if (textWidth(this.line + ch) > this.width) this.flushLine();
      this.line += ch;
    }
  }

  private apply(ev: EscposEvent): void {
    switch (ev.type) {
      case 'text':
        return this.addText(ev.bytes);
      case 'lf':
        return this.flushLine();
      case 'feed': {
        let n = ev.lines;
        if (this.line) {
          this.flushLine();
          n--;
        }
        for (let k = 0; k < n; k++) this.pushRow('');
        return;
      }
      case 'init':
        this.modes = { align: 'left', bold: false, underline: false, width: 1, height: 1, codepage: 'cp437', chinese: false };
        this.line = '';
        return;
      case 'bold':
      case 'underline':
        this.modes[ev.type] = ev.on;
        return;
      case 'kanjiUnderline':
        return;
      case 'align':
        this.modes.align = ALIGNS[ev.n] ?? 'left';
        return;
      case 'codepage':
        if (!CODEPAGES[ev.n]) this.unknown.push(`ESC t ${ev.n}`);
        this.modes.codepage = CODEPAGES[ev.n] ?? 'cp437';
        return;
      case 'chinese':
        this.modes.chinese = ev.on;
        return;
      case 'size':
        this.modes.width = ev.width;
        this.modes.height = ev.height;
        return;
      case 'cut':
        if (this.line) this.flushLine();
        if (this.printing) this.cuts++;
        return;
      case 'qr':
        return this.qr(ev.fn, ev.params);
      case 'barcodeSetting':
        return;
      case 'barcode':
        return this.barcode(ev.m, ev.data);
      case 'raster':
        if (this.line) this.flushLine();
        if (this.printing) this.images.push({ width: ev.widthBytes * 8, height: ev.height });
        return;
      case 'unknown':
        this.unknown.push(ev.bytes.toString('hex'));
        return;
      case 'status':
        return;
    }
  }

  private qr(fn: number, params: Buffer): void {
    if (fn === 0x50) this.qrData = params.subarray(1).toString('utf8');
    if (fn !== 0x51) return;
    if (this.line) this.flushLine();
    if (!this.printing) return;
    this.qrPayloads.push(this.qrData);
    this.pushRow(`[QR ${this.qrData}]`);
  }

  private barcode(m: number, data: Buffer): void {
    if (this.line) this.flushLine();
    const symbology = SYMBOLOGY[m] ?? `BARCODE${m}`;
    let text = data.toString('latin1');
    if (symbology === 'CODE128') text = text.replace(/^\{[ABC]/, '').replace(/\{\{/g, '{');
    if (symbology === 'EAN13' && text.length === 12) text += String(ean13CheckDigit(text));
    if (!this.printing) return;
    this.barcodes.push({ symbology, data: text });
    this.pushRow(`[${symbology} ${text}]`);
  }
}
