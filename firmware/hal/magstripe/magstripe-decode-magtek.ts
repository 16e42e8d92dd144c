// HID raw swipe reports in the MagTek USB HID swipe-reader layout (337-byte input report) to swipes, and the inverse.
import type { SwipeEvent } from './magstripe';
import { parseSwipe } from './track';

/**
 * Input report of MagTek non-encrypting USB HID swipe readers (Mini Swipe, SureSwipe, Dynamag in HID mode; the
 * layout in MagTek's "USB HID Swipe Reader technical reference"), no report ID:
 *
 * | byte    | field                                                                 |
 * |---------|-----------------------------------------------------------------------|
 * | 0, 1, 2 | track 1, 2, 3 decode status: 0 = decoded, bit 0 set = decode error     |
 * | 3, 4, 5 | track 1, 2, 3 data length (0-110)                                     |
 * | 6       | card encode type: 0 ISO/ABA, 1 AAMVA, 3 blank, 4 other, 5 undetermined, 6 none |
 * | 7-116   | track 1 data, ASCII                                                   |
 * | 117-226 | track 2 data, ASCII                                                   |
 * | 227-336 | track 3 data, ASCII                                                   |
 */
export const MAGTEK_REPORT_SIZE = 337;
export const MAGTEK_TRACK_SIZE = 110;
const TRACK_OFFSET = [7, 117, 227] as const;

const badRead = (reason: string): SwipeEvent => ({ kind: 'bad-read', reason });

/** Header sanity check, used to find the start of a report when the transport delivers it in pieces. */
function plausibleHeader(b: Uint8Array): boolean {
  return b.length >= 7 && b[0]! <= 1 && b[1]! <= 1 && b[2]! <= 1 && b[3]! <= MAGTEK_TRACK_SIZE && b[4]! <= MAGTEK_TRACK_SIZE && b[5]! <= MAGTEK_TRACK_SIZE && b[6]! <= 6;
}

/** One complete 337-byte report to one swipe. A track with an error status and no data counts as absent. */
export function decodeMagtekReport(report: Uint8Array): SwipeEvent {
  if (report.length < MAGTEK_REPORT_SIZE) return badRead(`swipe report of ${report.length} bytes (expected ${MAGTEK_REPORT_SIZE})`);
  if (!plausibleHeader(report)) return badRead('swipe report header is not valid');
  const encodeType = report[6];
  if (encodeType === 3 || encodeType === 6) return badRead('no card data (blank stripe)');
  if (encodeType === 1) return badRead('not a payment card (AAMVA encoding)');
  const track = (i: 0 | 1): { error: boolean; text: string } => {
    const len = report[3 + i] as number;
    const start = TRACK_OFFSET[i];
    return { error: ((report[i] as number) & 1) === 1, text: Buffer.from(report.subarray(start, start + len)).toString('latin1') };
  };
  const t1 = track(0);
  const t2 = track(1);
  if (t2.error) return badRead('track 2: reader reported a read error');
  if (t2.text === '') return badRead('track 2: no data (partial read)');
  if (t1.error && t1.text !== '') return badRead('track 1: reader reported a read error');
  if (/[^\x20-\x7e]/.test(t1.text + t2.text)) return badRead('swipe data contains non-printable characters');
  return parseSwipe({ track1: t1.error ? undefined : t1.text || undefined, track2: t2.text });
}

/** Reassembles 337-byte reports from whatever sizes the HID transport delivers (whole reports or 64-byte pieces). */
export class MagtekReportAssembler {
  private parts: Buffer[] = [];
  private held = 0;

  push(chunk: Uint8Array): SwipeEvent[] {
    if (this.held === 0) {
      if (chunk.length >= MAGTEK_REPORT_SIZE) return [decodeMagtekReport(chunk)];
      if (!plausibleHeader(chunk)) return []; // a piece of a report we joined late: wait for the next header
    }
    this.parts.push(Buffer.from(chunk));
    this.held += chunk.length;
    if (this.held < MAGTEK_REPORT_SIZE) return [];
    const whole = Buffer.concat(this.parts);
    this.reset();
    return [decodeMagtekReport(whole.subarray(0, MAGTEK_REPORT_SIZE))];
  }

  reset(): void {
    this.parts = [];
    this.held = 0;
  }
}

/** Builds a report in the layout above; `errors` sets a track's decode-error bit. For emulators and tests. */
export function encodeMagtekReport(tracks: { track1?: string; track2?: string; track3?: string }, opts: { errors?: (1 | 2 | 3)[]; encodeType?: number } = {}): Buffer {
  const r = Buffer.alloc(MAGTEK_REPORT_SIZE);
  const list = [tracks.track1 ?? '', tracks.track2 ?? '', tracks.track3 ?? ''];
  list.forEach((t, i) => {
    const bytes = Buffer.from(t, 'latin1');
    if (bytes.length > MAGTEK_TRACK_SIZE) throw new Error(`encodeMagtekReport: track ${i + 1} longer than ${MAGTEK_TRACK_SIZE} bytes`);
    r[i] = opts.errors?.includes((i + 1) as 1 | 2 | 3) ? 1 : 0;
    r[3 + i] = bytes.length;
    bytes.copy(r, TRACK_OFFSET[i]);
  });
  r[6] = opts.encodeType ?? 0;
  return r;
}
