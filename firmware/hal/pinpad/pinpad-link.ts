// PIN pad link layer: stop-and-wait frames with SEQ, ACK/NAK, retransmission and duplicate discard; I/O and time injected.
import { systemClock, type Clock, type TimerHandle } from '../../common/clock';
import { DeviceError } from '../device';
import { ACK, FrameParser, NAK, encodeFrame, type LineEvent } from './pinpad-protocol-frame';
import { withSeq } from './pinpad-protocol';

/** Link happenings worth counting or logging (never with payload bytes). */
export type LinkEvent =
  | { type: 'duplicate'; seq: number }
  | { type: 'bad-frame'; reason: 'lrc' | 'etx' | 'truncated' }
  | { type: 'noise'; bytes: number }
  | { type: 'retransmit'; seq: number; attempt: number; cause: 'nak' | 'timeout' }
  | { type: 'gave-up'; seq: number; attempts: number };

export interface PinPadLinkOptions {
  /** Puts bytes on the line (a whole frame, or one ACK/NAK byte). */
  write(bytes: Buffer): void;
  /** Called with each new message body (payload without SEQ), duplicates removed. */
  onBody(body: Buffer): void;
  onEvent?(event: LinkEvent): void;
  /** How long to wait for ACK/NAK after sending a frame. */
  ackTimeoutMs: number;
  /** Retransmissions after the first attempt (on NAK or ACK timeout) before giving up with ETIMEOUT. */
  retries: number;
  /** A frame left incomplete this long is dropped and NAKed. Default: half the ACK timeout, 10-100 ms. */
  interByteTimeoutMs?: number;
  /** ACK and inter-byte timers; default the system clock (tests pass a FakeClock and step time). */
  clock?: Clock;
  /** Fault injection: what to answer a good frame with (default 'ack'; 'none' plays a lost ACK). */
  answerFrame?(): 'ack' | 'nak' | 'none';
  /** Fault injection: return false to treat a received ACK as lost on the line. */
  acceptAck?(): boolean;
}

interface Outgoing {
  body: Buffer;
  resolve(): void;
  reject(err: DeviceError): void;
}

interface InFlight extends Outgoing {
  seq: number;
  frame: Buffer;
  attempts: number;
  naks: number;
  timer: TimerHandle;
}

/**
 * One end of the PIN pad line. `send()` queues message bodies and transmits them one at a time
 * (stop-and-wait), retransmitting the same SEQ on NAK or ACK timeout. Received frames are ACKed;
 * corrupt ones NAKed; a frame whose SEQ and payload equal the last accepted one is a retransmission
 * after a lost ACK: ACKed again and discarded.
 */
export class PinPadLink {
  private readonly parser = new FrameParser();
  private readonly clock: Clock;
  private readonly interByteMs: number;
  private readonly queue: Outgoing[] = [];
  private inFlight: InFlight | undefined;
  private nextSeq = 0;
  private lastAccepted: Buffer | undefined;
  private interByteTimer: TimerHandle;

  constructor(private readonly opts: PinPadLinkOptions) {
    if (!(opts.ackTimeoutMs > 0)) throw new RangeError(`ackTimeoutMs must be positive, got ${opts.ackTimeoutMs}`);
    if (!Number.isInteger(opts.retries) || opts.retries < 0) throw new RangeError(`retries must be a non-negative integer, got ${opts.retries}`);
    this.clock = opts.clock ?? systemClock;
    this.interByteMs = opts.interByteTimeoutMs ?? Math.max(10, Math.min(100, Math.floor(opts.ackTimeoutMs / 2)));
  }

  /**
   * Queues a message body. Resolves once the peer ACKs it; rejects with DeviceError ETIMEOUT after
   * `retries` retransmissions went unanswered or NAKed, or with the reset error if the link is reset first.
   */
  send(body: Buffer): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ body, resolve, reject });
      if (!this.inFlight) this.startNext();
    });
  }

  /** Feeds bytes read from the line. */
  receive(chunk: Buffer): void {
    this.handle(this.parser.push(chunk));
    this.clock.clearTimeout(this.interByteTimer);
    this.interByteTimer = undefined;
    if (this.parser.pending) {
      this.interByteTimer = this.clock.setTimeout(() => {
        this.interByteTimer = undefined;
        this.handle(this.parser.flushPartial());
      }, this.interByteMs);
    }
  }

  /** Line went down or was reopened: fails every queued frame with `err`, clears the parser and restarts SEQ at 0. */
  reset(err: DeviceError = new DeviceError('ECANCELED', 'PIN pad link reset')): void {
    const pending = [...(this.inFlight ? [this.inFlight] : []), ...this.queue.splice(0)];
    if (this.inFlight) this.clock.clearTimeout(this.inFlight.timer);
    this.inFlight = undefined;
    this.clock.clearTimeout(this.interByteTimer);
    this.interByteTimer = undefined;
    this.parser.reset();
    this.nextSeq = 0;
    this.lastAccepted = undefined;
    for (const p of pending) p.reject(err);
  }

  /** True while a frame waits for its ACK or others wait behind it. */
  get busy(): boolean {
    return this.inFlight !== undefined || this.queue.length > 0;
  }

  private handle(events: LineEvent[]): void {
    for (const e of events) {
      switch (e.type) {
        case 'frame':
          this.onFrame(e.payload);
          break;
        case 'ack':
          this.onAck();
          break;
        case 'nak':
          this.onNak();
          break;
        case 'bad-frame':
          this.opts.onEvent?.({ type: 'bad-frame', reason: e.reason });
          this.opts.write(Buffer.from([NAK]));
          break;
        case 'noise':
          this.opts.onEvent?.({ type: 'noise', bytes: e.bytes });
          break;
      }
    }
  }

  private onFrame(payload: Buffer): void {
    const answer = this.opts.answerFrame?.() ?? 'ack';
    if (answer === 'nak') {
      this.opts.write(Buffer.from([NAK]));
      return;
    }
    if (answer === 'ack') this.opts.write(Buffer.from([ACK]));
    if (this.lastAccepted?.equals(payload)) {
      this.opts.onEvent?.({ type: 'duplicate', seq: payload[0] });
      return;
    }
    this.lastAccepted = payload;
    this.opts.onBody(payload.subarray(1));
  }

  private onAck(): void {
    const f = this.inFlight;
    if (!f) return; // stray ACK: nothing waits for one
    if (this.opts.acceptAck && !this.opts.acceptAck()) return;
    this.clock.clearTimeout(f.timer);
    this.inFlight = undefined;
    f.resolve();
    this.startNext();
  }

  private onNak(): void {
    const f = this.inFlight;
    if (!f) return;
    f.naks++;
    this.clock.clearTimeout(f.timer);
    this.retransmitOrFail(f, 'nak');
  }

  private startNext(): void {
    const next = this.queue.shift();
    if (!next) return;
    const seq = this.nextSeq;
    this.nextSeq = (this.nextSeq + 1) & 0xff;
    const f: InFlight = { ...next, seq, frame: encodeFrame(withSeq(seq, next.body)), attempts: 0, naks: 0, timer: undefined };
    this.inFlight = f;
    this.transmit(f);
  }

  private transmit(f: InFlight): void {
    f.attempts++;
    f.timer = this.clock.setTimeout(() => this.retransmitOrFail(f, 'timeout'), this.opts.ackTimeoutMs);
    this.opts.write(f.frame);
  }

  private retransmitOrFail(f: InFlight, cause: 'nak' | 'timeout'): void {
    if (this.inFlight !== f) return;
    if (f.attempts > this.opts.retries) {
      this.inFlight = undefined;
      this.opts.onEvent?.({ type: 'gave-up', seq: f.seq, attempts: f.attempts });
      const how = f.naks > 0 ? `${f.naks} NAK(s), ${f.attempts - f.naks} timeout(s)` : 'no ACK';
      f.reject(new DeviceError('ETIMEOUT', `PIN pad did not accept frame SEQ ${f.seq} after ${f.attempts} attempts (${how})`));
      this.startNext();
      return;
    }
    this.opts.onEvent?.({ type: 'retransmit', seq: f.seq, attempt: f.attempts + 1, cause });
    this.transmit(f);
  }
}
