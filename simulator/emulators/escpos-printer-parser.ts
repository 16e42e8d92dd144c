// Incremental ESC/POS stream parser for the printer emulator: bytes in (any chunking), command events out.

export type EscposEvent =
  | { type: 'text'; bytes: Buffer }
  | { type: 'lf' }
  | { type: 'status'; n: number }
  | { type: 'init' }
  | { type: 'bold'; on: boolean }
  | { type: 'underline'; on: boolean }
  | { type: 'kanjiUnderline'; on: boolean }
  | { type: 'align'; n: number }
  | { type: 'codepage'; n: number }
  | { type: 'chinese'; on: boolean }
  | { type: 'size'; width: number; height: number }
  | { type: 'feed'; lines: number }
  | { type: 'cut'; mode: number; feed: number }
  | { type: 'qr'; fn: number; params: Buffer }
  | { type: 'barcodeSetting'; what: 'height' | 'width' | 'hri'; n: number }
  | { type: 'barcode'; m: number; data: Buffer }
  | { type: 'raster'; widthBytes: number; height: number; data: Buffer }
  | { type: 'unknown'; bytes: Buffer };

/** One parsed command and the bytes it took. */
export interface ParsedStep {
  event?: EscposEvent;
  raw: Buffer;
}

/** `need` means the buffer ends inside a command: wait for more bytes. */
type Step = { len: number; event?: EscposEvent } | 'need';

function fixed(buf: Buffer, i: number, len: number, make: (b: Buffer) => EscposEvent): Step {
  return buf.length - i < len ? 'need' : { len, event: make(buf.subarray(i, i + len)) };
}

function parseEsc(buf: Buffer, i: number): Step {
  if (buf.length - i < 2) return 'need';
  switch (buf[i + 1]) {
    case 0x40:
      return { len: 2, event: { type: 'init' } };
    case 0x45:
      return fixed(buf, i, 3, (b) => ({ type: 'bold', on: (b[2] & 1) === 1 }));
    case 0x2d:
      return fixed(buf, i, 3, (b) => ({ type: 'underline', on: (b[2] & 3) !== 0 && b[2] !== 48 }));
    case 0x61:
      return fixed(buf, i, 3, (b) => ({ type: 'align', n: b[2] >= 48 ? b[2] - 48 : b[2] }));
    case 0x74:
      return fixed(buf, i, 3, (b) => ({ type: 'codepage', n: b[2] }));
    case 0x64:
      return fixed(buf, i, 3, (b) => ({ type: 'feed', lines: b[2] }));
    default:
      return { len: 2, event: { type: 'unknown', bytes: Buffer.from(buf.subarray(i, i + 2)) } };
  }
}

function parseGs(buf: Buffer, i: number): Step {
  if (buf.length - i < 2) return 'need';
  const rest = buf.length - i;
  switch (buf[i + 1]) {
    case 0x21:
      return fixed(buf, i, 3, (b) => ({ type: 'size', width: (b[2] >> 4) + 1, height: (b[2] & 7) + 1 }));
    case 0x68:
      return fixed(buf, i, 3, (b) => ({ type: 'barcodeSetting', what: 'height', n: b[2] }));
    case 0x77:
      return fixed(buf, i, 3, (b) => ({ type: 'barcodeSetting', what: 'width', n: b[2] }));
    case 0x48:
      return fixed(buf, i, 3, (b) => ({ type: 'barcodeSetting', what: 'hri', n: b[2] }));
    case 0x56: {
      if (rest < 3) return 'need';
      const m = buf[i + 2];
      if (m === 0 || m === 1 || m === 48 || m === 49) return { len: 3, event: { type: 'cut', mode: m, feed: 0 } };
      return fixed(buf, i, 4, (b) => ({ type: 'cut', mode: m, feed: b[3] }));
    }
    case 0x28: {
      if (rest < 5) return 'need';
      const len = buf[i + 3] | (buf[i + 4] << 8);
      if (buf[i + 2] !== 0x6b || len < 2) return { len: 5 + len, event: { type: 'unknown', bytes: Buffer.from(buf.subarray(i, i + 5)) } };
      return fixed(buf, i, 5 + len, (b) => ({ type: 'qr', fn: b[6], params: Buffer.from(b.subarray(7)) }));
    }
    case 0x6b: {
      if (rest < 4) return 'need';
      const m = buf[i + 2];
      if (m <= 6) {
        const end = buf.indexOf(0, i + 3);
        return end < 0 ? 'need' : { len: end + 1 - i, event: { type: 'barcode', m, data: Buffer.from(buf.subarray(i + 3, end)) } };
      }
      return fixed(buf, i, 4 + buf[i + 3], (b) => ({ type: 'barcode', m, data: Buffer.from(b.subarray(4)) }));
    }
    case 0x76: {
      if (rest < 8) return 'need';
      const widthBytes = buf[i + 4] | (buf[i + 5] << 8);
      const height = buf[i + 6] | (buf[i + 7] << 8);
      return fixed(buf, i, 8 + widthBytes * height, (b) => ({ type: 'raster', widthBytes, height, data: Buffer.from(b.subarray(8)) }));
    }
    default:
      return { len: 2, event: { type: 'unknown', bytes: Buffer.from(buf.subarray(i, i + 2)) } };
  }
}

function parseFs(buf: Buffer, i: number): Step {
  if (buf.length - i < 2) return 'need';
  switch (buf[i + 1]) {
    case 0x26:
      return { len: 2, event: { type: 'chinese', on: true } };
    case 0x2e:
      return { len: 2, event: { type: 'chinese', on: false } };
    case 0x2d:
      return fixed(buf, i, 3, (b) => ({ type: 'kanjiUnderline', on: (b[2] & 3) !== 0 && b[2] !== 48 }));
    default:
      return { len: 2, event: { type: 'unknown', bytes: Buffer.from(buf.subarray(i, i + 2)) } };
  }
}

function step(buf: Buffer, i: number): Step {
  const b = buf[i];
  if (b >= 0x20) {
    // A text run ends at the next control byte; GB18030 bytes are all >= 0x30, so a run never splits a character.
    let j = i;
    while (j < buf.length && buf[j] >= 0x20) j++;
    return j === buf.length ? 'need' : { len: j - i, event: { type: 'text', bytes: Buffer.from(buf.subarray(i, j)) } };
  }
  switch (b) {
    case 0x0a:
      return { len: 1, event: { type: 'lf' } };
    case 0x0d:
      return { len: 1 };
    case 0x10:
      if (buf.length - i < 3) return 'need';
      if (buf[i + 1] === 0x04) return { len: 3, event: { type: 'status', n: buf[i + 2] } };
      return { len: 2, event: { type: 'unknown', bytes: Buffer.from(buf.subarray(i, i + 2)) } };
    case 0x1b:
      return parseEsc(buf, i);
    case 0x1d:
      return parseGs(buf, i);
    case 0x1c:
      return parseFs(buf, i);
    default:
      return { len: 1, event: { type: 'unknown', bytes: Buffer.from([b]) } };
  }
}

/** Feeds bytes in any chunking; keeps an incomplete command until the rest arrives. */
export class EscposParser {
  private pending: Buffer = Buffer.alloc(0);

  /** Returns the events completed by these bytes, in order. */
  push(data: Buffer): EscposEvent[] {
    return this.pushSteps(data).flatMap((s) => (s.event ? [s.event] : []));
  }

  /** Like push(), with the exact bytes of each completed command (bytes that make no event, like CR, included). */
  pushSteps(data: Buffer): ParsedStep[] {
    const buf = this.pending.length ? Buffer.concat([this.pending, data]) : data;
    const steps: ParsedStep[] = [];
    let i = 0;
    while (i < buf.length) {
      const s = step(buf, i);
      if (s === 'need') break;
      steps.push({ event: s.event, raw: Buffer.from(buf.subarray(i, i + s.len)) });
      i += s.len;
    }
    this.pending = Buffer.from(buf.subarray(i));
    return steps;
  }

  /** Bytes held back waiting for the end of a command or text run. */
  get pendingBytes(): number {
    return this.pending.length;
  }
}
