// Two-way ESC/POS link pieces shared by drivers: DLE EOT reply reader with a timeout, and the status-checked print job.
import { systemClock, type Clock, type TimerHandle } from '../../common/clock';
import { DeviceError } from '../device';
import type { PrinterStatus } from './printer';
import { STATUS_QUERY, STATUS_QUERY_KINDS, decodeStatusReplies } from './printer-status';

interface Pending {
  need: number;
  got: number[];
  resolve: (reply: Buffer) => void;
  reject: (err: DeviceError) => void;
  timer: TimerHandle;
}

/**
 * Matches reply bytes from the printer to one outstanding request at a time (requests queue behind each other).
 * Bytes that arrive while nothing is outstanding are dropped: with automatic status back off, a printer only
 * speaks when asked.
 */
export class ReplyReader {
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  /** `clock` runs the reply timeouts (default the system clock). */
  constructor(private readonly clock: Clock = systemClock) {}

  /** Bytes received from the printer. */
  push(data: Buffer): void {
    const p = this.pending;
    if (!p) return;
    for (const b of data) {
      p.got.push(b);
      if (p.got.length === p.need) {
        this.finish();
        p.resolve(Buffer.from(p.got));
        return;
      }
    }
  }

  /**
   * Sends a request with `send` and resolves with the next `need` bytes. Rejects with ETIMEOUT when they do not all
   * arrive within `timeoutMs`, with the error `send` rejects with, or with the error given to `cancel`.
   */
  request(send: () => Promise<void>, need: number, timeoutMs: number): Promise<Buffer> {
    const run = () =>
      new Promise<Buffer>((resolve, reject) => {
        const timer = this.clock.setTimeout(() => {
          this.pending = undefined;
          reject(new DeviceError('ETIMEOUT', `printer did not answer within ${timeoutMs} ms (got ${pending.got.length} of ${need} bytes)`));
        }, timeoutMs);
        const pending: Pending = { need, got: [], resolve, reject, timer };
        this.pending = pending;
        send().catch((err: unknown) => {
          if (this.pending !== pending) return;
          this.finish();
          reject(err instanceof DeviceError ? err : new DeviceError('EIO', `write failed: ${String(err)}`, { cause: err }));
        });
      });
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Rejects the outstanding request (port closed, unplugged). */
  cancel(err: DeviceError): void {
    const p = this.pending;
    if (!p) return;
    this.finish();
    p.reject(err);
  }

  private finish(): void {
    if (this.pending) this.clock.clearTimeout(this.pending.timer);
    this.pending = undefined;
  }
}

/** Asks DLE EOT 1, 2, 4 over `write` and decodes the three reply bytes. Rejects ETIMEOUT, EIO or EPROTO. */
export async function queryStatus(reader: ReplyReader, write: (bytes: Buffer) => Promise<void>, timeoutMs: number): Promise<PrinterStatus> {
  const reply = await reader.request(() => write(STATUS_QUERY), STATUS_QUERY_KINDS.length, timeoutMs);
  return decodeStatusReplies(reply);
}

/** The DeviceError a print job stops with for this status, or undefined when the printer can print. */
export function statusError(status: PrinterStatus, when: string): DeviceError | undefined {
  if (status.state === 'paper-out') return new DeviceError('EPAPER', `printer out of paper ${when}`);
  if (status.state === 'cover-open') return new DeviceError('ECOVER', `printer cover open ${when}`);
  if (status.state === 'offline') return new DeviceError('EIO', `printer offline ${when}`);
  return undefined;
}

/** Joins per-line chunks (see encodeReceiptChunks) into groups of `linesPerChunk` lines; the preamble rides with the first. */
export function groupChunks(chunks: readonly Buffer[], linesPerChunk: number): Buffer[] {
  if (!Number.isInteger(linesPerChunk) || linesPerChunk < 1) throw new RangeError(`linesPerChunk: expected an integer >= 1, got ${linesPerChunk}`);
  const out: Buffer[] = [];
  const [preamble = Buffer.alloc(0), ...lines] = chunks;
  for (let i = 0; i < lines.length; i += linesPerChunk) out.push(Buffer.concat(lines.slice(i, i + linesPerChunk)));
  if (out.length === 0) return [preamble];
  out[0] = Buffer.concat([preamble, out[0]]);
  return out.filter((c) => c.length > 0);
}

/** What a status-checked job needs from a transport. */
export interface CheckedLink {
  write(bytes: Buffer): Promise<void>;
  status(): Promise<PrinterStatus>;
}

/**
 * Sends the job in chunks, asking for status before the first chunk and after every chunk, so paper running out
 * part-way stops the job at the next chunk. Rejects with EPAPER / ECOVER / EIO (offline) from statusError, or with
 * whatever the link rejects with (EIO, ETIMEOUT, ECANCELED).
 */
export async function printChecked(chunks: readonly Buffer[], link: CheckedLink): Promise<void> {
  const before = statusError(await link.status(), 'before printing');
  if (before) throw before;
  for (let i = 0; i < chunks.length; i++) {
    await link.write(chunks[i]);
    const err = statusError(await link.status(), `part-way through the job (after chunk ${i + 1} of ${chunks.length})`);
    if (err) throw err;
  }
}
