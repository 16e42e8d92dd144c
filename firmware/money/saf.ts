// Store-and-forward worker: sends queued reversals one at a time (0400, then 0401 repeats) until the host answers.
import { buildReversal } from '../host/messages';
import type { IsoMessage } from '../host/iso8583';
import type { TerminalConfig } from '../board/schema';
import type { Journal, UpdateEffects } from '../journal/journal';
import type { SafEntry, TxnRecord } from '../journal/types';
import type { Logger } from '../log';
import type { HostRequester } from './authoriser';
import { undoOnOriginal } from './admission';
import { sleep, systemClock, type Clock } from '../common/clock';

export interface SafOptions {
  journal: Journal;
  host: HostRequester;
  terminal: TerminalConfig;
  log: Logger;
  /** First retry delay, doubling up to `retryMaxMs`. */
  retryMs: number;
  retryMaxMs: number;
  clock?: Clock;
}

/** Answers that settle a reversal: done (00), or the host has nothing to reverse (12, 25). */
const SETTLED = new Set(['00', '12', '25']);

export class SafWorker {
  private running = false;
  private stopped = true;
  private wake: AbortController | undefined;
  /** A kick that came while the loop was not asleep: the next sleep returns at once. */
  private kicked = false;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly drainWaiters = new Set<() => void>();

  constructor(private readonly opts: SafOptions) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log.child({ ns: 'money.saf' });
  }

  start(): void {
    this.stopped = false;
    void this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.kick();
  }

  /** Wakes the worker now (a reversal was queued, or the link came back). */
  kick(): void {
    this.kicked = true;
    this.wake?.abort();
  }

  async pending(): Promise<number> {
    return (await this.opts.journal.safEntries()).length;
  }

  /** Resolves once the queue is empty (settlement waits for this). */
  async drained(timeoutMs: number): Promise<boolean> {
    if ((await this.pending()) === 0) return true;
    this.kick();
    return new Promise((resolve) => {
      const t = this.clock.setTimeout(() => (this.drainWaiters.delete(done), resolve(false)), timeoutMs);
      const done = () => (this.clock.clearTimeout(t), resolve(true));
      this.drainWaiters.add(done);
    });
  }

  private async loop(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.stopped) {
        const [head] = await this.opts.journal.safEntries();
        if (!head) {
          for (const w of [...this.drainWaiters]) (this.drainWaiters.delete(w), w());
          await this.sleep(undefined);
          continue;
        }
        const wait = head.nextAttemptAt - this.clock.now();
        if (wait > 0) {
          await this.sleep(wait);
          continue;
        }
        await this.attempt(head);
      }
    } finally {
      this.running = false;
    }
  }

  /** Sleeps `ms` on the clock (for ever when undefined) or until kicked. */
  private async sleep(ms: number | undefined): Promise<void> {
    if (this.kicked) {
      this.kicked = false;
      return;
    }
    const wake = new AbortController();
    this.wake = wake;
    if (ms === undefined) await new Promise((resolve) => wake.signal.addEventListener('abort', resolve, { once: true }));
    else await sleep(this.clock, ms, wake.signal);
    if (this.wake === wake) this.wake = undefined;
    this.kicked = false;
  }

  /** One send of the head entry. The entry leaves the queue only on a settling host answer. */
  private async attempt(entry: SafEntry): Promise<void> {
    const { journal, terminal, host } = this.opts;
    const rec = await journal.get(entry.txnId);
    if (!rec || rec.state !== 'reversal-pending') {
      // Already settled (e.g. by a late 0410): drop the stale entry.
      if (rec) await journal.update(rec.id, {}, { safRemove: entry.seq });
      return;
    }
    const msg = buildReversal(rec, terminal, journal.cardOf(rec), entry.sent === true);
    let reply: IsoMessage | undefined;
    let error: string | undefined;
    let sent = true;
    try {
      reply = await host.request(msg);
    } catch (err) {
      error = (err as Error & { code?: string }).code ?? (err as Error).message;
      sent = (err as { outcome?: string }).outcome !== 'not-sent';
    }
    const rc = reply ? String(reply.fields[39] ?? '') : undefined;
    if (rc && SETTLED.has(rc)) {
      await this.settle(rec, entry.seq, rc);
      return;
    }
    const attempts = entry.attempts + 1;
    const delay = Math.min(this.opts.retryMs * 2 ** (attempts - 1), this.opts.retryMaxMs);
    await journal.safUpdate({ ...entry, attempts, sent: entry.sent || sent, nextAttemptAt: this.clock.now() + delay, lastError: error ?? `response code ${rc}` });
    this.log.warn({ reference: rec.reference, attempts, retryInMs: delay, error: error ?? rc }, 'reversal not acknowledged; will try again');
  }

  /** Marks the record reversed, removes its SAF entry and undoes its effect on an original, in one write. */
  async settle(rec: TxnRecord, seq: number | undefined, responseCode: string): Promise<void> {
    const effects: UpdateEffects = { safRemove: seq };
    if (rec.wasApproved && rec.original) {
      const o = await this.opts.journal.get(rec.original.id);
      const undone = o && undoOnOriginal(rec, o);
      if (undone) effects.others = [undone];
    }
    await this.opts.journal.update(rec.id, { state: 'reversed', reversal: 'done' }, effects);
    this.log.info({ reference: rec.reference, responseCode }, 'reversal acknowledged');
  }
}
