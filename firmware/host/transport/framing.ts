// Length-prefixed framing for the acquirer link: encode one frame, decode a byte stream into frames (pure, bytes in/out).

/** How the length prefix is written. */
export type LengthEncoding = 'binary' | 'ascii' | 'bcd';

/**
 * Wire layout: `[length prefix][header (e.g. TPDU)][payload]`.
 * Defaults: 2-byte big-endian binary length, no header, length counts header + payload, max 8192 bytes.
 */
export interface FramingOptions {
  /** Size of the length prefix in bytes (default 2). */
  lengthBytes?: 2 | 4;
  /** `binary` big-endian (default), `ascii` decimal digits ("0123"), `bcd` packed decimal (0x01 0x23). */
  lengthEncoding?: LengthEncoding;
  /** Fixed bytes written after the length prefix (a TPDU, a message header). The decoder strips as many bytes. */
  header?: Uint8Array;
  /** The length value counts the header bytes (default true). When false it counts the payload only. */
  includeHeader?: boolean;
  /** The length value also counts the prefix itself (some hosts do; default false). */
  lengthIncludesPrefix?: boolean;
  /** Largest frame body (header + payload) accepted or produced, in bytes (default 8192). */
  maxFrame?: number;
}

/** Options with defaults applied and checked; build once with {@link resolveFraming}. */
export interface ResolvedFraming {
  readonly lengthBytes: 2 | 4;
  readonly lengthEncoding: LengthEncoding;
  readonly header: Buffer;
  readonly includeHeader: boolean;
  readonly lengthIncludesPrefix: boolean;
  readonly maxFrame: number;
}

/** One decoded frame: the header bytes as received and the payload (the ISO 8583 message). */
export interface DecodedFrame {
  header: Buffer;
  payload: Buffer;
}

export type FramingErrorCode =
  | 'EOVERSIZE' // the length says more than maxFrame (or the payload to encode is too big)
  | 'EBADLENGTH' // the length prefix is not a valid number in its encoding, or is too small for the header
  | 'EUNUSABLE'; // push() after an earlier error: the stream position is lost until reset()

/** Typed framing failure. `frames` holds the frames completed in the same push() before the failure. */
export class FramingError extends Error {
  readonly code: FramingErrorCode;
  readonly frames: DecodedFrame[];
  constructor(code: FramingErrorCode, message: string, frames: DecodedFrame[] = []) {
    super(message);
    this.name = 'FramingError';
    this.code = code;
    this.frames = frames;
  }
}

const DEFAULT_MAX_FRAME = 8192;

/** Largest value a length prefix can hold. */
function capacity(lengthBytes: 2 | 4, enc: LengthEncoding): number {
  if (enc === 'binary') return lengthBytes === 2 ? 0xffff : 0xffffffff;
  const digits = enc === 'ascii' ? lengthBytes : lengthBytes * 2;
  return 10 ** digits - 1;
}

/**
 * Applies defaults and validates framing options.
 * @throws TypeError / RangeError naming the option when a value is not what is expected.
 */
export function resolveFraming(opts: FramingOptions | ResolvedFraming = {}): ResolvedFraming {
  const lengthBytes = opts.lengthBytes ?? 2;
  if (lengthBytes !== 2 && lengthBytes !== 4) throw new RangeError(`framing.lengthBytes: expected 2 or 4, got ${String(lengthBytes)}`);
  const lengthEncoding = opts.lengthEncoding ?? 'binary';
  if (!['binary', 'ascii', 'bcd'].includes(lengthEncoding)) {
    throw new RangeError(`framing.lengthEncoding: expected 'binary', 'ascii' or 'bcd', got ${String(lengthEncoding)}`);
  }
  if (opts.header !== undefined && !(opts.header instanceof Uint8Array)) throw new TypeError('framing.header: expected a Buffer or Uint8Array');
  const header = Buffer.from(opts.header ?? Buffer.alloc(0));
  const includeHeader = opts.includeHeader ?? true;
  const lengthIncludesPrefix = opts.lengthIncludesPrefix ?? false;
  const maxFrame = opts.maxFrame ?? DEFAULT_MAX_FRAME;
  if (!Number.isSafeInteger(maxFrame) || maxFrame < 1) throw new RangeError(`framing.maxFrame: expected a positive integer, got ${String(maxFrame)}`);
  if (header.length > maxFrame) throw new RangeError(`framing.header: ${header.length} bytes exceed maxFrame ${maxFrame}`);
  return { lengthBytes, lengthEncoding, header, includeHeader, lengthIncludesPrefix, maxFrame };
}

function writeLength(value: number, f: ResolvedFraming): Buffer {
  const out = Buffer.alloc(f.lengthBytes);
  if (f.lengthEncoding === 'binary') {
    if (f.lengthBytes === 2) out.writeUInt16BE(value);
    else out.writeUInt32BE(value);
    return out;
  }
  const digits = String(value).padStart(f.lengthEncoding === 'ascii' ? f.lengthBytes : f.lengthBytes * 2, '0');
  return f.lengthEncoding === 'ascii' ? Buffer.from(digits, 'ascii') : Buffer.from(digits, 'hex');
}

/** Reads the prefix; returns NaN when the bytes are not a number in the configured encoding. */
function readLength(prefix: Buffer, f: ResolvedFraming): number {
  if (f.lengthEncoding === 'binary') return f.lengthBytes === 2 ? prefix.readUInt16BE(0) : prefix.readUInt32BE(0);
  const text = f.lengthEncoding === 'ascii' ? prefix.toString('latin1') : prefix.toString('hex');
  return /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
}

/** The length value written for a body (header + payload) of `bodyLength` bytes. */
function lengthValue(bodyLength: number, f: ResolvedFraming): number {
  const counted = f.includeHeader ? bodyLength : bodyLength - f.header.length;
  return counted + (f.lengthIncludesPrefix ? f.lengthBytes : 0);
}

/**
 * Builds one frame: length prefix, header, payload.
 * @throws FramingError EOVERSIZE when header + payload exceed maxFrame or what the prefix can express.
 */
export function encodeFrame(payload: Uint8Array, opts: FramingOptions | ResolvedFraming = {}): Buffer {
  if (!(payload instanceof Uint8Array)) throw new TypeError('encodeFrame: expected payload to be a Buffer or Uint8Array');
  const f = resolveFraming(opts);
  const body = f.header.length + payload.length;
  if (body > f.maxFrame) throw new FramingError('EOVERSIZE', `frame body of ${body} bytes exceeds maxFrame ${f.maxFrame}`);
  const value = lengthValue(body, f);
  const cap = capacity(f.lengthBytes, f.lengthEncoding);
  if (value > cap) throw new FramingError('EOVERSIZE', `length ${value} does not fit a ${f.lengthBytes}-byte ${f.lengthEncoding} prefix (max ${cap})`);
  return Buffer.concat([writeLength(value, f), f.header, payload]);
}

/**
 * Turns a byte stream into frames. Handles frames split across chunks and several frames in one chunk.
 * After a FramingError the stream position is lost: the decoder refuses further input (EUNUSABLE) until
 * {@link FrameDecoder.reset} — in practice the connection is dropped and a new one gets a fresh decoder.
 */
export class FrameDecoder {
  private readonly f: ResolvedFraming;
  private buf: Buffer = Buffer.alloc(0);
  private failure: FramingError | undefined;

  constructor(opts: FramingOptions | ResolvedFraming = {}) {
    this.f = resolveFraming(opts);
  }

  /** Bytes held for an incomplete frame. */
  get buffered(): number {
    return this.buf.length;
  }

  /** The error that made the stream unusable, if any. */
  get failed(): FramingError | undefined {
    return this.failure;
  }

  /** Forgets buffered bytes and any earlier failure. */
  reset(): void {
    this.buf = Buffer.alloc(0);
    this.failure = undefined;
  }

  /**
   * Adds received bytes; returns every frame they complete, in order.
   * @throws FramingError EBADLENGTH / EOVERSIZE on a bad prefix (its `frames` holds frames completed before it),
   *   EUNUSABLE when called again after such a failure without reset().
   */
  push(chunk: Uint8Array): DecodedFrame[] {
    if (this.failure) throw new FramingError('EUNUSABLE', `stream unusable after ${this.failure.code}; reset() first`);
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    const frames: DecodedFrame[] = [];
    const { lengthBytes, header } = this.f;
    // Every iteration consumes at least lengthBytes bytes or stops: bounded by the buffer size.
    while (this.buf.length >= lengthBytes) {
      let body: number;
      try {
        body = this.bodyLength(this.buf.subarray(0, lengthBytes));
      } catch (err) {
        const failure = new FramingError((err as FramingError).code, (err as FramingError).message, frames);
        this.failure = failure;
        this.buf = Buffer.alloc(0);
        throw failure;
      }
      const total = lengthBytes + body;
      if (this.buf.length < total) break;
      const frameHeader = this.buf.subarray(lengthBytes, lengthBytes + header.length);
      const payload = this.buf.subarray(lengthBytes + header.length, total);
      frames.push({ header: Buffer.from(frameHeader), payload: Buffer.from(payload) });
      this.buf = this.buf.subarray(total);
    }
    return frames;
  }

  /** Size of header + payload announced by a prefix; throws FramingError when it cannot be right. */
  private bodyLength(prefix: Buffer): number {
    const f = this.f;
    const value = readLength(prefix, f);
    if (Number.isNaN(value)) throw new FramingError('EBADLENGTH', `length prefix is not ${f.lengthEncoding} decimal`);
    let counted = value - (f.lengthIncludesPrefix ? f.lengthBytes : 0);
    if (counted < 0) throw new FramingError('EBADLENGTH', `length ${value} is smaller than the ${f.lengthBytes}-byte prefix it counts`);
    if (f.includeHeader && counted < f.header.length) {
      throw new FramingError('EBADLENGTH', `length ${value} is smaller than the ${f.header.length}-byte header it counts`);
    }
    if (!f.includeHeader) counted += f.header.length;
    if (counted > f.maxFrame) throw new FramingError('EOVERSIZE', `frame of ${counted} bytes exceeds maxFrame ${f.maxFrame}`);
    return counted;
  }
}
