// Store-and-forward worker: sends queued reversals one at a time (0400, then 0401 repeats) until the host answers, and
// watches QR payments until they are final (qr-watch.ts); the entry due first goes first, one in flight at a time.
import { buildReversal } from '../host/messages';
import type { IsoMessage } from '../host/iso8583';
import type { TerminalConfig } from '../board/schema';
import type { Journal, UpdateEffects } from '../journal/journal';
import type { SafEntry, TxnRecord } from '../journal/types';
import type { Logger } from '../log';
import type { HostRequester } from './authoriser';
import { undoEffectsOf } from './admission';
import { sleep, systemClock, type Clock } from '../common/clock';
import { crashPoint } from './crash-points';
import { watchStep, type QrWatchDeps } from './qr-watch';

export interface SafOptions {
  journal: Journal;
  host: HostRequester;
  terminal: TerminalConfig;
  log: Logger;
  /** First retry delay, doubling up to `retryMaxMs`. */
  retryMs: number;
  retryMaxMs: number;
  /** Unacknowledged attempts after which a reversal is in doubt (raised to the operator); default 5. */
  alertAfter?: number;
  clock?: Clock;
  /** What watching QR payments needs besides the above (STANs for queries; the authoriser for late-payment refunds). */
  qr?: Pick<QrWatchDeps, 'stan' | 'authoriser' | 'onLatePayment'>;
}

/**
 * Only a positive acknowledgement settles a reversal (docs/host-messages.md): 00 (reversed) or 21 (no action taken:
 * the host never posted the original, so nothing stands). 12 (invalid transaction) and 25 (unable to locate) may mean
 * "I never saw it" while the original may have been posted: the entry stays, and after `alertAfter` answers like that
 * the reversal is in doubt, raised in /v1/health and the record, and still tried.
 */
export const SETTLING_CODES: ReadonlySet<string> = new Set(['00', '21']);

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

  private looping: Promise<void> = Promise.resolve();

  start(): void {
    this.stopped = false;
    this.looping = this.loop().catch((err) => this.log.error({ err }, 'SAF worker stopped on an error'));
  }

  /** Stops the worker; resolves once the attempt in progress (if any) has journaled its outcome. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.kick();
    await this.looping;
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
        // The entry due first (QR watches wait between queries while reversals behind them are due).
        const head = (await this.opts.journal.safEntries()).reduce<SafEntry | undefined>((a, e) => (!a || e.nextAttemptAt < a.nextAttemptAt ? e : a), undefined);
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

  /** Lets the worker make late-payment refunds and tell about them (set once the authoriser exists). */
  configureQr(qr: Partial<NonNullable<SafOptions['qr']>>): void {
    this.opts.qr = { ...this.opts.qr, ...qr } as NonNullable<SafOptions['qr']>;
  }

  /** The operator or the ECR gives up waiting for a QR customer: the watch revokes or closes at once. */
  async cancelWatch(txnId: string, by: 'operator' | 'ecr'): Promise<boolean> {
    const entry = (await this.opts.journal.safEntries()).find((e) => e.txnId === txnId && e.kind === 'qr-watch');
    if (!entry) return false;
    await this.opts.journal.safUpdate({ ...entry, cancel: by, nextAttemptAt: this.clock.now() });
    this.kick();
    return true;
  }

  /** One step of the entry due. A reversal leaves the queue only on a settling host answer; a QR watch once final. */
  private async attempt(entry: SafEntry): Promise<void> {
    const { journal, terminal, host } = this.opts;
    const rec = await journal.get(entry.txnId);
    if (entry.kind === 'qr-watch') {
      if (!rec || rec.state !== 'awaiting-customer' || !this.opts.qr?.stan) {
        if (rec) await journal.update(rec.id, {}, { safRemove: entry.seq });
        return;
      }
      return watchStep({ ...this.opts.qr, stan: this.opts.qr.stan, journal, host, terminal, clock: this.clock, log: this.log }, entry, rec);
    }
    if (!rec || rec.state !== 'reversal-pending') {
      // Already settled (e.g. by a late 0410): drop the stale entry.
      if (rec) await journal.update(rec.id, {}, { safRemove: entry.seq });
      return;
    }
    const repeat = entry.sent === true;
    const msg = buildReversal(rec, terminal, journal.cardOf(rec), repeat);
    // "May have been sent" is durable before the request leaves: after a crash here, the next send is a repeat (0401).
    if (!repeat) await journal.safUpdate({ ...entry, sent: true });
    crashPoint('saf-before-send');
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
    if (rc && SETTLING_CODES.has(rc)) {
      await this.settle(rec, entry.seq, rc);
      return;
    }
    const attempts = entry.attempts + 1;
    const delay = Math.min(this.opts.retryMs * 2 ** (attempts - 1), this.opts.retryMaxMs);
    // A request that certainly never left (connection refused) leaves the next send a first one (0400) again.
    const next: SafEntry = { ...entry, attempts, sent: repeat || sent, nextAttemptAt: this.clock.now() + delay, lastError: error ?? `response code ${rc}` };
    const unacknowledged = (entry.unacknowledged ?? 0) + (rc ? 1 : 0);
    if (rc) next.unacknowledged = unacknowledged;
    if (rc && unacknowledged >= (this.opts.alertAfter ?? 5) && rec.reversal !== 'in-doubt') {
      await journal.update(rec.id, { reversal: 'in-doubt' });
      this.log.error({ reference: rec.reference, attempts, responseCode: rc }, 'reversal in doubt: the host keeps refusing it while the original may stand; still trying (operator attention needed)');
    }
    await journal.safUpdate(next);
    this.log.warn({ reference: rec.reference, attempts, retryInMs: delay, error: error ?? rc }, 'reversal not acknowledged; will try again');
  }

  /** Reversals the host keeps refusing while their originals may stand (raised to the operator). */
  async inDoubt(): Promise<TxnRecord[]> {
    const out: TxnRecord[] = [];
    for (const e of await this.opts.journal.safEntries()) {
      const rec = await this.opts.journal.get(e.txnId);
      if (rec?.reversal === 'in-doubt') out.push(rec);
    }
    return out;
  }

  /** Marks the record reversed, removes its SAF entry and undoes its effect on an original, in one write. */
  async settle(rec: TxnRecord, seq: number | undefined, responseCode: string): Promise<void> {
    const effects: UpdateEffects = { safRemove: seq };
    if (rec.wasApproved && rec.original) {
      const undone = await undoEffectsOf(rec, (id) => this.opts.journal.get(id));
      if (undone.length) effects.others = undone;
    }
    await this.opts.journal.update(rec.id, { state: 'reversed', reversal: 'done' }, effects);
    this.log.info({ reference: rec.reference, responseCode }, 'reversal acknowledged');
  }
}
