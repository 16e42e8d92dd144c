// PIN pad line framing (pure): STX | LEN | PAYLOAD | ETX | LRC frames, ACK/NAK bytes and a resyncing stream parser.

export const STX = 0x02;
export const ETX = 0x03;
export const ACK = 0x06;
export const NAK = 0x15;

/** Largest payload a frame may carry; a LEN above this is not a frame start (noise). */
export const MAX_PAYLOAD = 1024;
/** Bytes a frame adds around its payload: STX, LEN (2), ETX, LRC. */
export const FRAME_OVERHEAD = 5;

/** XOR of `bytes[start..end)`. */
export function lrc(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i];
  return x;
}

/**
 * Wraps a payload in a frame: STX | LEN (big-endian payload length) | PAYLOAD | ETX | LRC,
 * where LRC is the XOR of LEN..ETX inclusive. Throws RangeError for an empty or oversized payload.
 */
export function encodeFrame(payload: Uint8Array): Buffer {
  if (payload.length < 1 || payload.length > MAX_PAYLOAD) {
    throw new RangeError(`frame payload must be 1-${MAX_PAYLOAD} bytes, got ${payload.length}`);
  }
  const out = Buffer.alloc(payload.length + FRAME_OVERHEAD);
  out[0] = STX;
  out.writeUInt16BE(payload.length, 1);
  out.set(payload, 3);
  out[3 + payload.length] = ETX;
  out[4 + payload.length] = lrc(out, 1, 4 + payload.length);
  return out;
}

/** What the parser recognised on the line, in arrival order. */
export type LineEvent =
  | { type: 'frame'; payload: Buffer }
  | { type: 'ack' }
  | { type: 'nak' }
  /** A frame that started and ended but is corrupt (or was cut short): the receiver NAKs it. */
  | { type: 'bad-frame'; reason: 'lrc' | 'etx' | 'truncated' }
  /** Bytes outside any frame that were neither ACK nor NAK, counted per push. */
  | { type: 'noise'; bytes: number };

/**
 * Streaming frame parser. Accepts chunks split anywhere, skips noise between frames and,
 * after a corrupt frame, resyncs on the next STX *after* the bogus one (bytes inside the
 * rejected span are searched for STX only, never taken as ACK/NAK).
 */
export class FrameParser {
  private buf: Buffer = Buffer.alloc(0);
  /** Leading bytes of `buf` that lie inside a rejected frame span. */
  private quiet = 0;

  /** True while a frame has started but not all its bytes arrived. */
  get pending(): boolean {
    return this.buf.length > 0 && this.buf[0] === STX;
  }

  /** Feeds received bytes; returns the events they complete. */
  push(chunk: Uint8Array): LineEvent[] {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    return this.scan();
  }

  /**
   * Gives up on a partial frame (the line went quiet mid-frame): reports it as a truncated
   * bad frame and rescans the bytes after its STX. No-op when nothing is pending.
   */
  flushPartial(): LineEvent[] {
    if (!this.pending) return [];
    const events: LineEvent[] = this.quiet > 0 ? [] : [{ type: 'bad-frame', reason: 'truncated' }];
    this.quiet = Math.max(this.quiet, this.buf.length - 1);
    this.consume(1);
    return events.concat(this.scan());
  }

  /** Drops everything buffered (line reset). */
  reset(): void {
    this.buf = Buffer.alloc(0);
    this.quiet = 0;
  }

  private scan(): LineEvent[] {
    const events: LineEvent[] = [];
    let noise = 0;
    // Every iteration consumes at least one byte or breaks: bounded by the buffer length.
    while (this.buf.length > 0) {
      const b = this.buf[0];
      if (b !== STX) {
        if (this.quiet === 0 && b === ACK) events.push({ type: 'ack' });
        else if (this.quiet === 0 && b === NAK) events.push({ type: 'nak' });
        else noise++;
        this.consume(1);
        continue;
      }
      if (this.buf.length < 3) break;
      const len = this.buf.readUInt16BE(1);
      if (len === 0 || len > MAX_PAYLOAD) {
        noise++;
        this.consume(1);
        continue;
      }
      const total = len + FRAME_OVERHEAD;
      if (this.buf.length < total) break;
      const reason = this.buf[3 + len] !== ETX ? 'etx' : lrc(this.buf, 1, 4 + len) !== this.buf[4 + len] ? 'lrc' : undefined;
      if (reason) {
        if (this.quiet === 0) events.push({ type: 'bad-frame', reason });
        this.quiet = Math.max(this.quiet, total - 1);
        this.consume(1);
        continue;
      }
      events.push({ type: 'frame', payload: Buffer.from(this.buf.subarray(3, 3 + len)) });
      this.consume(total);
    }
    if (noise > 0) events.push({ type: 'noise', bytes: noise });
    return events;
  }

  private consume(n: number): void {
    this.buf = this.buf.subarray(n);
    this.quiet = Math.max(0, this.quiet - n);
  }
}
