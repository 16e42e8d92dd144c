// Emulated serial scan head: each scan is the code framed the way the head is configured (prefix, code, suffix).
import type { SerialPeer } from './serial-peer';

export interface ScanHeadFraming {
  /** Sent before the code; usually empty. */
  prefix: string;
  /** Terminator after the code; CR is the factory default of most serial heads. */
  suffix: string;
}

/** The bytes a scan head sends for one code: prefix + code + suffix, UTF-8. */
export function scanFrame(data: string, framing: ScanHeadFraming): Buffer {
  if (typeof data !== 'string') throw new TypeError('scanFrame(): expected the code as a string');
  return Buffer.from(framing.prefix + data + framing.suffix, 'utf8');
}

export class ScanHeadEmulator {
  constructor(
    private readonly line: SerialPeer,
    private readonly framing: ScanHeadFraming,
  ) {}

  /** The head reads `data`: resolves once the frame is on the line. */
  scan(data: string): Promise<void> {
    return this.line.write(scanFrame(data, this.framing));
  }

  close(): Promise<void> {
    return this.line.close();
  }
}
