// The duplicate guard's memory: approved sales of the last window as card tags under short-lived keys, in memory only.
import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../common/clock';
import type { Journal } from '../journal/journal';
import type { TxnRecord } from '../journal/types';
import { isStanding } from './admission';

interface Recent {
  id: string;
  /** The window epoch whose key made `tag`. */
  epoch: number;
  tag: string;
  amount: number;
  at: number;
}

/** Bounded: a terminal that approves more sales than this within one window only compares the newest. */
const MAX_RECENT = 500;

/**
 * Same card and amount as an approved sale within `windowSec` → possible duplicate (mission invariant 5). The window
 * is time, not batch: a sale just before settlement still guards the one just after.
 *
 * Cards are compared by tag: an HMAC of the PAN under a random key that exists only in this object's memory, one
 * key per window-long epoch. A sale's tag is made under the key of the epoch it was made in; a key is wiped once
 * every sale it tagged has left the window (two epochs on). Nothing of it is ever written: no file on the device
 * holds a hash of a PAN next to its masked PAN (docs/keys.md, "No recoverable tags").
 *
 * After a restart the memory is rebuilt from the open batch's approved sales of the window, whose sealed card data
 * the batch's data key still opens; sales of a batch closed since are forgotten (their card data was destroyed by
 * design), so a repeat across a restart and a settlement within the window is not flagged.
 */
export class DuplicateGuard {
  private recent: Recent[] = [];
  private readonly keys = new Map<number, Buffer>();

  constructor(
    private readonly journal: Journal,
    private readonly clock: Clock,
    private readonly windowSec: number,
  ) {}

  get enabled(): boolean {
    return this.windowSec > 0;
  }

  /** Rebuilds the memory from the journal's records of the window whose card data is still readable (boot). */
  async load(): Promise<void> {
    if (!this.enabled) return;
    const since = this.clock.now() - this.windowSec * 1000;
    for (const r of await this.journal.createdSince(since)) if (isStanding(r)) this.note(r);
  }

  /** Remembers `rec` when it is an approved card sale whose card data is at hand; anything else is ignored. */
  note(rec: TxnRecord): void {
    if (!this.enabled || rec.type !== 'sale' || !rec.wasApproved) return;
    this.forgetOld();
    if (this.recent.some((r) => r.id === rec.id)) return;
    const pan = this.panOf(rec);
    if (!pan) return;
    const at = Date.parse(rec.createdAt);
    const epoch = this.epochOf(at);
    if (epoch < this.oldestLiveEpoch()) return;
    // Kept in time order (load() reads newest first).
    const i = this.recent.findIndex((r) => r.at > at);
    this.recent.splice(i < 0 ? this.recent.length : i, 0, { id: rec.id, epoch, tag: this.tag(epoch, pan), amount: rec.amount, at });
    if (this.recent.length > MAX_RECENT) this.recent.splice(0, this.recent.length - MAX_RECENT);
  }

  /** True when an approved sale of the same card and amount, still standing, was made within the window. */
  async matches(rec: TxnRecord): Promise<boolean> {
    if (!this.enabled || rec.type !== 'sale') return false;
    this.forgetOld();
    const pan = this.panOf(rec);
    if (!pan) return false;
    const tags = new Map<number, string>();
    for (const r of this.recent) {
      if (r.id === rec.id || r.amount !== rec.amount) continue;
      if (!tags.has(r.epoch)) tags.set(r.epoch, this.tag(r.epoch, pan));
      if (tags.get(r.epoch) !== r.tag) continue;
      const now = await this.journal.get(r.id);
      if (now && isStanding(now)) return true;
    }
    return false;
  }

  /** Epochs whose keys are alive (for tests: proves keys die with their window). */
  liveEpochs(): number[] {
    return [...this.keys.keys()];
  }

  private panOf(rec: TxnRecord): string | undefined {
    try {
      return this.journal.cardOf(rec)?.pan;
    } catch {
      return undefined; // tampered sealed data is no card to compare
    }
  }

  private epochOf(ms: number): number {
    return Math.floor(ms / (this.windowSec * 1000));
  }

  /** Every sale still in the window was made in this epoch or a later one. */
  private oldestLiveEpoch(): number {
    return this.epochOf(this.clock.now() - this.windowSec * 1000);
  }

  private tag(epoch: number, pan: string): string {
    let key = this.keys.get(epoch);
    if (!key) this.keys.set(epoch, (key = randomBytes(32)));
    return createHmac('sha256', key).update(pan).digest('hex');
  }

  /** Drops sales that left the window, and wipes the keys of epochs no sale in the window can belong to. */
  private forgetOld(): void {
    const since = this.clock.now() - this.windowSec * 1000;
    let old = 0;
    while (old < this.recent.length && this.recent[old].at < since) old++;
    if (old) this.recent.splice(0, old);
    const oldest = this.oldestLiveEpoch();
    for (const [epoch, key] of this.keys) {
      if (epoch >= oldest) continue;
      key.fill(0);
      this.keys.delete(epoch);
    }
  }
}
