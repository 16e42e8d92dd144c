// Resumes a settlement in progress by itself (after a lost answer or a restart) until the host confirms it.
import type { Clock } from '../common/clock';
import type { Journal } from '../journal/journal';
import type { Logger } from '../log';

export interface ResumerDeps {
  journal: Journal;
  clock: Clock;
  /** Runs one settlement attempt (the terminal's exclusive slot around `settle`). */
  run: () => Promise<unknown>;
  /** First wait before a retry, doubling up to `retryMaxMs`. */
  retryMs: number;
  retryMaxMs: number;
  log: Logger;
}

/**
 * While the journal holds a settlement in progress, tries it again with back-off: nothing can enter the batch
 * meanwhile, so a lost answer must not wait for someone to press "settle" again. Idle otherwise.
 */
export class SettlementResumer {
  private timer: unknown;
  private failures = 0;
  private running = false;
  private stopped = false;
  private readonly log: Logger;

  constructor(private readonly d: ResumerDeps) {
    this.log = d.log.child({ ns: 'money.settlement' });
  }

  /** Starts watching: at boot a settlement left in progress is resumed at once. */
  start(): void {
    this.stopped = false;
    this.kick(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.d.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Schedules an attempt in `delayMs` (the back-off by default) when a settlement is in progress. */
  kick(delayMs?: number): void {
    if (this.stopped || !this.d.journal.settling()) return;
    if (this.timer !== undefined) this.d.clock.clearTimeout(this.timer);
    const wait = delayMs ?? Math.min(this.d.retryMs * 2 ** this.failures, this.d.retryMaxMs);
    this.timer = this.d.clock.setTimeout(() => {
      this.timer = undefined;
      void this.attempt();
    }, wait);
  }

  private async attempt(): Promise<void> {
    if (this.running || this.stopped || !this.d.journal.settling()) return;
    this.running = true;
    try {
      await this.d.run();
      this.failures = 0;
    } catch (err) {
      this.failures++;
      this.log.warn({ err: (err as Error).message, failures: this.failures }, 'settlement still in progress; will try again');
    } finally {
      this.running = false;
    }
    this.kick();
  }
}
