// Line fault injection for the PIN pad emulator: lost/forced ACKs, NAK storms, garbled and split frames, noise.
import { sleep, type Clock } from '../../firmware/common/clock';
import { ACK, NAK } from '../../firmware/hal/pinpad/pinpad-protocol-frame';

/** A fault the emulated pad plays on its end of the line. Counts apply to the next N occurrences. */
export type LineFault =
  /** Do not ACK the next N good frames (the ACK is "lost"): the driver retransmits, the pad discards the duplicate. */
  | { kind: 'drop-ack'; count: number }
  /** NAK the next N good frames instead of accepting them (a NAK storm when N > the driver's retries). */
  | { kind: 'nak'; count: number }
  /** Act as if the next N ACKs from the driver were lost: the pad retransmits, the driver discards the duplicate. */
  | { kind: 'ignore-ack'; count: number }
  /** Corrupt the LRC of the next N frames the pad sends: the driver NAKs, the pad retransmits clean. */
  | { kind: 'garble'; count: number }
  /** Write these bytes on the line just before the pad's next frame. */
  | { kind: 'noise'; bytes: Buffer }
  /** From now on, send frames in chunks of this many bytes with a pause between (0 turns it off). */
  | { kind: 'split'; chunkSize: number };

/** Line counters the emulator exposes to tests and the simulator UI. */
export interface LineStats {
  /** New messages accepted (duplicates excluded). */
  messages: number;
  duplicates: number;
  badFrames: number;
  naksSent: number;
  retransmits: number;
  noiseBytes: number;
}

export interface FaultLine {
  /** Puts bytes on the wire; resolves once they left the process, rejects when the line is down or closed. */
  write(bytes: Buffer): Promise<void>;
}

/** Pause between the chunks of a split frame, so the far end reads them apart. */
const SPLIT_PAUSE_MS = 2;

/** Holds the armed faults and serialises the pad's writes so an ACK never lands inside a split frame. */
export class FaultInjector {
  private dropAcks = 0;
  private naks = 0;
  private ignoreAcks = 0;
  private garbles = 0;
  private noise: Buffer[] = [];
  private chunkSize = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly line: FaultLine,
    private readonly stats: LineStats,
    private readonly clock: Clock,
  ) {}

  /** Arms a fault. Throws RangeError for a negative or fractional count / chunk size. */
  inject(fault: LineFault): void {
    const n = 'count' in fault ? fault.count : fault.kind === 'split' ? fault.chunkSize : 0;
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`fault ${fault.kind}: expected a non-negative integer, got ${n}`);
    switch (fault.kind) {
      case 'drop-ack':
        this.dropAcks += n;
        break;
      case 'nak':
        this.naks += n;
        break;
      case 'ignore-ack':
        this.ignoreAcks += n;
        break;
      case 'garble':
        this.garbles += n;
        break;
      case 'noise':
        if (!Buffer.isBuffer(fault.bytes)) throw new TypeError('noise fault: expected bytes as a Buffer');
        this.noise.push(Buffer.from(fault.bytes));
        break;
      case 'split':
        this.chunkSize = n;
        break;
    }
  }

  /** Clears every armed fault. */
  clear(): void {
    this.dropAcks = this.naks = this.ignoreAcks = this.garbles = this.chunkSize = 0;
    this.noise = [];
  }

  /** Link hook: how to answer a good frame. */
  answerFrame(): 'ack' | 'nak' | 'none' {
    if (this.naks > 0) {
      this.naks--;
      return 'nak';
    }
    if (this.dropAcks > 0) {
      this.dropAcks--;
      return 'none';
    }
    return 'ack';
  }

  /** Link hook: false while ACKs are to be ignored. */
  acceptAck(): boolean {
    if (this.ignoreAcks === 0) return true;
    this.ignoreAcks--;
    return false;
  }

  /** Link write: queues bytes behind earlier writes, applying noise, garbling and splitting to frames. */
  write(bytes: Buffer): void {
    const control = bytes.length === 1 && (bytes[0] === ACK || bytes[0] === NAK);
    if (control && bytes[0] === NAK) this.stats.naksSent++;
    let out = bytes;
    const before = control ? [] : this.noise.splice(0);
    if (!control && this.garbles > 0) {
      this.garbles--;
      out = Buffer.from(bytes);
      out[out.length - 1] ^= 0xff;
    }
    const chunk = control ? 0 : this.chunkSize;
    this.chain = this.chain.then(() => this.emit(before, out, chunk)).catch(() => undefined);
  }

  /** Resolves once every queued write left. */
  flushed(): Promise<void> {
    return this.chain;
  }

  private async emit(before: Buffer[], frame: Buffer, chunkSize: number): Promise<void> {
    // Unsplit writes are queued in order without waiting; a line that is down drops them (the peer retransmits).
    for (const n of before) this.line.write(n).catch(() => undefined);
    if (chunkSize <= 0 || chunkSize >= frame.length) {
      this.line.write(frame).catch(() => undefined);
      return;
    }
    // Bounded: one iteration per chunk of the frame.
    for (let i = 0; i < frame.length; i += chunkSize) {
      await this.line.write(frame.subarray(i, i + chunkSize));
      await sleep(this.clock, SPLIT_PAUSE_MS);
    }
  }
}
