// HID POS scanned-data reports (usage page 0x8C, Scanned Data Report 0x12) to codes, and the inverse for emulators.
import type { ScanReject } from './scanner';
import { aimSymbology } from './scanner-decode-aim';
import { checkCode, type ScanResult } from './scanner-decode';

/**
 * Report layout, as sent by Honeywell, Zebra and Datalogic heads in "HID POS" mode (USB HID Point of Sale Usage
 * Tables 1.02, Barcode Scanner page 0x8C), 64 bytes with the report ID first:
 *
 * | byte  | field                                                                 |
 * |-------|-----------------------------------------------------------------------|
 * | 0     | report ID 0x02 (Scanned Data Report)                                  |
 * | 1     | number of decoded-data bytes in this report (0-56)                    |
 * | 2-4   | Symbology Identifier 1-3: the AIM identifier (`]Q1`), or zeros        |
 * | 5-60  | Decoded Data (56 bytes, zero padded)                                  |
 * | 61-62 | vendor specific (Honeywell: its own code id)                          |
 * | 63    | bit 0: Decoded Data Continued (more reports follow for this code)     |
 */
export const HIDPOS_REPORT_ID = 0x02;
export const HIDPOS_REPORT_SIZE = 64;
export const HIDPOS_DATA_SIZE = 56;
const DATA_OFFSET = 5;
const FLAGS_OFFSET = 63;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reassembles codes from scanned-data reports. Holds at most maxLength bytes; longer codes are rejected once. */
export class HidPosDecoder {
  private parts: Buffer[] = [];
  private held = 0;
  private aim: string | undefined;
  private overflowed = false;

  constructor(private readonly maxLength: number) {
    if (!Number.isInteger(maxLength) || maxLength < 1) throw new Error('HidPosDecoder: expected maxLength to be a positive integer');
  }

  /** Feeds one input report. Reports with another report ID (status, vendor) are ignored. */
  push(report: Uint8Array): ScanResult[] {
    if (report.length === 0 || report[0] !== HIDPOS_REPORT_ID) return [];
    if (report.length < HIDPOS_REPORT_SIZE) return this.fail({ reason: 'garbled', detail: `scanned-data report of ${report.length} bytes (expected ${HIDPOS_REPORT_SIZE})` });
    const n = report[1] as number;
    if (n > HIDPOS_DATA_SIZE) return this.fail({ reason: 'garbled', detail: `scanned-data report claims ${n} bytes (at most ${HIDPOS_DATA_SIZE})` });
    if (this.parts.length === 0 && !this.overflowed) this.aim = aimOf(report.subarray(2, 5));
    const continued = ((report[FLAGS_OFFSET] as number) & 0x01) !== 0;
    const out: ScanResult[] = [];
    if (!this.overflowed) {
      if (this.held + n > this.maxLength) {
        this.overflowed = true;
        this.parts = [];
        this.held = 0;
        out.push({ kind: 'reject', reject: { reason: 'overlong', detail: `code exceeds ${this.maxLength} bytes` } });
      } else {
        this.parts.push(Buffer.from(report.subarray(DATA_OFFSET, DATA_OFFSET + n)));
        this.held += n;
      }
    }
    if (!continued) {
      if (!this.overflowed) out.push(this.finish());
      this.reset();
    }
    return out;
  }

  reset(): void {
    this.parts = [];
    this.held = 0;
    this.aim = undefined;
    this.overflowed = false;
  }

  private finish(): ScanResult {
    let data: string;
    try {
      data = utf8.decode(Buffer.concat(this.parts));
    } catch {
      return { kind: 'reject', reject: { reason: 'garbled', detail: 'code is not valid UTF-8' } };
    }
    const reject = checkCode(data, this.maxLength);
    if (reject) return { kind: 'reject', reject };
    return { kind: 'scan', scan: this.aim ? { data, symbology: aimSymbology(this.aim) } : { data } };
  }

  private fail(reject: ScanReject): ScanResult[] {
    this.reset();
    return [{ kind: 'reject', reject }];
  }
}

function aimOf(bytes: Uint8Array): string | undefined {
  const s = Buffer.from(bytes).toString('latin1');
  return /^\][A-Za-z][0-9A-Za-z]$/.test(s) ? s : undefined;
}

/** Encodes a code as scanned-data reports (the layout above); `aim` like `]Q1` or undefined. For emulators and tests. */
export function encodeHidPosReports(data: string | Uint8Array, aim?: string): Buffer[] {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  if (aim !== undefined && !/^\][A-Za-z][0-9A-Za-z]$/.test(aim)) throw new Error(`encodeHidPosReports: expected an AIM identifier like "]Q1", got ${JSON.stringify(aim)}`);
  const reports: Buffer[] = [];
  const count = Math.max(1, Math.ceil(bytes.length / HIDPOS_DATA_SIZE));
  for (let i = 0; i < count; i++) {
    const chunk = bytes.subarray(i * HIDPOS_DATA_SIZE, (i + 1) * HIDPOS_DATA_SIZE);
    const r = Buffer.alloc(HIDPOS_REPORT_SIZE);
    r[0] = HIDPOS_REPORT_ID;
    r[1] = chunk.length;
    if (aim) r.write(aim, 2, 'latin1');
    chunk.copy(r, DATA_OFFSET);
    r[FLAGS_OFFSET] = i < count - 1 ? 1 : 0;
    reports.push(r);
  }
  return reports;
}
