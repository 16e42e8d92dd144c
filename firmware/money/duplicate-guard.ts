// The duplicate guard's memory: approved sales of the last window (card tag, amount, time), kept in memory across batches.
import type { Clock } from '../common/clock';
import type { Journal } from '../journal/journal';
import type { TxnRecord } from '../journal/types';
import { isStanding } from './admission';

interface Recent {
  id: string;
  cardTag: string;
  amount: number;
  at: number;
}

/** Bounded: a terminal that approves more sales than this within one window only compares the newest. */
const MAX_RECENT = 500;

/**
 * Same card and amount as an approved sale within `windowSec` → possible duplicate (mission invariant 5). The window
 * is time, not batch: a sale just before settlement still guards the one just after. Lookups touch the journal only
 * for candidates that match in memory (to confirm they still stand), so a sale costs no journal scan.
 */
export class DuplicateGuard {
  private recent: Recent[] = [];

  constructor(
    private readonly journal: Journal,
    private readonly clock: Clock,
    private readonly windowSec: number,
  ) {}

  get enabled(): boolean {
    return this.windowSec > 0;
  }

  /** Rebuilds the memory from the journal's newest records (boot). */
  async load(): Promise<void> {
    if (!this.enabled) return;
    const since = this.clock.now() - this.windowSec * 1000;
    for (const r of await this.journal.createdSince(since)) this.note(r);
  }

  /** Remembers `rec` when it is an approved card sale; anything else is ignored. */
  note(rec: TxnRecord): void {
    if (!this.enabled || rec.type !== 'sale' || !rec.wasApproved || !rec.cardTag) return;
    if (this.recent.some((r) => r.id === rec.id)) return;
    const at = Date.parse(rec.createdAt);
    // Kept in time order (load() reads newest first).
    const i = this.recent.findIndex((r) => r.at > at);
    this.recent.splice(i < 0 ? this.recent.length : i, 0, { id: rec.id, cardTag: rec.cardTag, amount: rec.amount, at });
    if (this.recent.length > MAX_RECENT) this.recent.splice(0, this.recent.length - MAX_RECENT);
  }

  /** True when an approved sale of the same card and amount, still standing, was made within the window. */
  async matches(rec: TxnRecord): Promise<boolean> {
    if (!this.enabled || rec.type !== 'sale' || !rec.cardTag) return false;
    const since = this.clock.now() - this.windowSec * 1000;
    // Oldest first: drop what left the window, then look at the rest.
    let old = 0;
    while (old < this.recent.length && this.recent[old].at < since) old++;
    if (old) this.recent.splice(0, old);
    for (const r of this.recent) {
      if (r.id === rec.id || r.cardTag !== rec.cardTag || r.amount !== rec.amount) continue;
      const now = await this.journal.get(r.id);
      if (now && isStanding(now)) return true;
    }
    return false;
  }
}
