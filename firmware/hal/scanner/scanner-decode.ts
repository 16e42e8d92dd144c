// Scan-head byte stream decoder: prefix/suffix framing, AIM stripping and hostile-input rules, bytes in, scans out.
import type { ScanEvent, ScanReject } from './scanner';
import { stripAim } from './scanner-decode-aim';

export type ScanResult = { kind: 'scan'; scan: ScanEvent } | { kind: 'reject'; reject: ScanReject };

export interface ScanFramerOptions {
  /** Bytes the head sends before each code ('' for none). */
  prefix: string;
  /** Terminator after each code; must not be empty. */
  suffix: string;
  /** `aim`: strip a leading AIM identifier (`]Q1`) and report the symbology. */
  symbologyIds: 'none' | 'aim';
  /** Longest accepted code, in bytes of decoded data. */
  maxLength: number;
}

/**
 * Control characters refused in a code. GS (0x1d) and RS (0x1e) separate GS1 element strings and ISO/IEC 15434
 * records, EOT (0x04) ends an ISO/IEC 15434 message: those three are kept. Everything else below 0x20, and DEL,
 * is how keystroke injection and terminal escape sequences arrive, so it is refused.
 */
const HOSTILE_CONTROLS = /[\x00-\x03\x05-\x1c\x1f\x7f]/;

/** Validates one decoded code (after framing and AIM stripping). Returns the rejection, or undefined when valid. */
export function checkCode(data: string, maxLength: number): ScanReject | undefined {
  if (data.length === 0) return { reason: 'empty', detail: 'empty code' };
  const bytes = Buffer.byteLength(data, 'utf8');
  if (bytes > maxLength) return { reason: 'overlong', detail: `code of ${bytes} bytes exceeds ${maxLength}` };
  if (HOSTILE_CONTROLS.test(data)) return { reason: 'control-characters', detail: 'code contains control characters other than GS, RS or EOT' };
  return undefined;
}

/** Turns one code's text (AIM id still on when `symbologyIds` is `aim`) into a scan or a rejection. */
export function finishCode(text: string, symbologyIds: 'none' | 'aim', maxLength: number): ScanResult {
  const scan = symbologyIds === 'aim' ? stripAim(text) : { data: text };
  const reject = checkCode(scan.data, maxLength);
  return reject ? { kind: 'reject', reject } : { kind: 'scan', scan };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Stateful framer for a serial scan head. Memory is bounded: at most prefix + AIM id + maxLength + suffix bytes
 * are held; a longer frame is rejected once as `overlong` and its bytes dropped up to the next suffix.
 */
export class ScanFramer {
  private readonly prefix: Buffer;
  private readonly suffix: Buffer;
  private readonly limit: number;
  private buf = Buffer.alloc(0);
  private discarding = false;
  private skipLf = false;

  constructor(private readonly opts: ScanFramerOptions) {
    if (typeof opts.suffix !== 'string' || opts.suffix.length === 0) throw new Error('ScanFramer: expected a non-empty suffix');
    if (typeof opts.prefix !== 'string') throw new Error('ScanFramer: expected prefix to be a string');
    if (!Number.isInteger(opts.maxLength) || opts.maxLength < 1) throw new Error('ScanFramer: expected maxLength to be a positive integer');
    this.prefix = Buffer.from(opts.prefix, 'utf8');
    this.suffix = Buffer.from(opts.suffix, 'utf8');
    this.limit = this.prefix.length + (opts.symbologyIds === 'aim' ? 3 : 0) + opts.maxLength;
  }

  /** Feeds bytes as they arrive (any chunking); returns the codes and rejections completed by them, in order. */
  push(chunk: Uint8Array): ScanResult[] {
    const out: ScanResult[] = [];
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.skipLf && data.length > 0) {
      this.skipLf = false;
      if (data[0] === 0x0a) data = data.subarray(1);
    }
    this.buf = this.buf.length === 0 ? Buffer.from(data) : Buffer.concat([this.buf, data]);
    for (let guard = 0; guard <= this.buf.length; guard++) {
      const at = this.buf.indexOf(this.suffix);
      if (at < 0) break;
      const frame = this.buf.subarray(0, at);
      let rest = this.buf.subarray(at + this.suffix.length);
      const lfTolerant = this.suffix[this.suffix.length - 1] === 0x0d;
      if (lfTolerant && rest.length > 0 && rest[0] === 0x0a) rest = rest.subarray(1);
      else if (lfTolerant && rest.length === 0) this.skipLf = true;
      this.buf = Buffer.from(rest);
      if (this.discarding) this.discarding = false;
      else out.push(this.frame(frame));
    }
    const keep = this.suffix.length - 1;
    if (this.discarding) {
      this.buf = Buffer.from(this.buf.subarray(Math.max(0, this.buf.length - keep)));
    } else if (this.buf.length > this.limit + keep) {
      out.push({ kind: 'reject', reject: { reason: 'overlong', detail: `no suffix within ${this.opts.maxLength} bytes` } });
      this.discarding = true;
      this.buf = Buffer.from(this.buf.subarray(this.buf.length - keep));
    }
    return out;
  }

  /** Drops a partial frame (after a reconnect the head starts afresh). */
  reset(): void {
    this.buf = Buffer.alloc(0);
    this.discarding = false;
    this.skipLf = false;
  }

  /** Bytes currently held (for tests of the memory bound). */
  get buffered(): number {
    return this.buf.length;
  }

  private frame(frame: Buffer): ScanResult {
    if (frame.length > this.limit) return { kind: 'reject', reject: { reason: 'overlong', detail: `frame of ${frame.length} bytes exceeds ${this.limit}` } };
    if (this.prefix.length > 0) {
      if (!frame.subarray(0, this.prefix.length).equals(this.prefix)) {
        return { kind: 'reject', reject: { reason: 'garbled', detail: 'frame does not start with the configured prefix' } };
      }
      frame = frame.subarray(this.prefix.length);
    }
    let text: string;
    try {
      text = utf8.decode(frame);
    } catch {
      return { kind: 'reject', reject: { reason: 'garbled', detail: 'code is not valid UTF-8' } };
    }
    return finishCode(text, this.opts.symbologyIds, this.opts.maxLength);
  }
}
