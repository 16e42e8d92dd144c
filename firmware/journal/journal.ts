// The transaction journal on LevelDB: the single source of truth for money. Every write that matters is synced.
import { Level } from 'level';
import type { Logger } from '../log';
import { maskPan } from '../log';
import { BatchKeys } from './batch-keys';
import { Sealer, type CardRef } from './seal';
import { atRest } from './card-data';
import { Listeners, type Unsubscribe } from '../common/listeners';
import { ALLOWED, type SafEntry, type SettlementRecord, type SettlingState, type TxnRecord, type TxnState } from './types';

type Json = Record<string, unknown>;
/** The slice of a LevelDB sublevel we use; `sync: true` is classic-level's fsync-on-write option. */
interface Sub {
  get(key: string): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** classic-level's synchronous read: about 7 µs of CPU where the async read costs 50 µs (thread-pool hand-off). */
  getSync(key: string): any; // eslint-disable-line @typescript-eslint/no-explicit-any
  put(key: string, value: unknown, opts?: { sync?: boolean }): Promise<void>;
  values(opts?: { reverse?: boolean; lt?: string; gte?: string }): AsyncIterable<unknown>;
}
type BatchOp = { type: 'put'; sublevel: Sub; key: string; value: unknown } | { type: 'del'; sublevel: Sub; key: string };
const SYNC = { sync: true };

/**
 * Whether a write is synced (fsync'ed before it resolves). Money writes are; writes whose loss in a power cut can
 * only cause a reprint or a cancelled-before-sending record are not (docs/money-safety.md, "Write points").
 */
export interface WriteOptions {
  sync?: boolean;
}

/** What the journal wrote since it opened (benchmarks count synced writes per sale). */
export interface JournalStats {
  writes: number;
  syncedWrites: number;
}

export class JournalError extends Error {
  constructor(
    readonly code: 'EDUPREF' | 'ENOTFOUND' | 'ETRANSITION',
    message: string,
  ) {
    super(message);
    this.name = 'JournalError';
  }
}

/** Where the journal keeps its data keys, and whether opening it may create and destroy them. */
export interface JournalOpenOptions {
  /** Folder of the per-batch data key files; default: beside the LevelDB folder, `<dir>-keys`. */
  keyDir?: string;
  /**
   * Read-only tools (posfw journal ls/show) pass false: the keys are read, none is created or destroyed. Otherwise
   * opening makes sure the open batch has a data key and destroys any other (left by a power cut during a close).
   */
  maintainKeys?: boolean;
}

export type NewTxn = Omit<TxnRecord, 'id' | 'state' | 'reversal' | 'receipt' | 'createdAt' | 'updatedAt' | 'history' | 'sealed' | 'cardTag' | 'maskedPan'> & {
  card?: CardRef;
};

export type TxnPatch = Partial<Omit<TxnRecord, 'id' | 'history' | 'createdAt'>> & { card?: CardRef };

/** Extra atomic effects of an update: puts of other records (originals) and SAF queue changes. */
export interface UpdateEffects {
  others?: TxnRecord[];
  safAdd?: Omit<SafEntry, 'seq'>;
  safRemove?: number;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

export class Journal {
  private readonly txn: Sub;
  private readonly idx: Sub;
  private readonly meta: Sub;
  private readonly saf: Sub;
  private chain: Promise<unknown> = Promise.resolve();
  readonly stats: JournalStats = { writes: 0, syncedWrites: 0 };
  private readonly updates = new Listeners<TxnRecord>();
  /** The STAN counter's latest value, written with the next batch (a sale's record follows it at once). */
  private pendingStan: number | undefined;
  readonly sealer: Sealer;

  private constructor(
    private readonly db: Level<string, Json>,
    private readonly keys: BatchKeys,
    private readonly log: Logger,
    private readonly now: () => Date,
  ) {
    const sub = (name: string) => db.sublevel(name, { valueEncoding: 'json' }) as unknown as Sub;
    this.txn = sub('txn');
    this.idx = sub('idx');
    this.meta = sub('meta');
    this.saf = sub('saf');
    this.sealer = new Sealer(keys);
  }

  /**
   * Opens the journal in `dir` with the device key, which unwraps the per-batch data keys (docs/keys.md). Unless
   * `opts.maintainKeys` is false, the open batch gets a data key (durable before anything is sealed under it) and
   * keys of closed batches a power cut left behind are destroyed.
   */
  static async open(dir: string, deviceKey: Buffer, log: Logger, now: () => Date = () => new Date(), opts: JournalOpenOptions = {}): Promise<Journal> {
    const jlog = log.child({ ns: 'journal' });
    // LevelDB first: its lock says whether another process holds this journal before any key file is touched.
    const db = new Level<string, Json>(dir, { valueEncoding: 'json' });
    await db.open();
    let keys: BatchKeys;
    try {
      keys = await BatchKeys.open(opts.keyDir ?? `${dir}-keys`, deviceKey, jlog, opts.maintainKeys === false);
    } catch (err) {
      await db.close();
      throw err;
    }
    const journal = new Journal(db, keys, jlog, now);
    await journal.repairCounters();
    await keys.useBatch(await journal.batchNumber(), now(), opts.maintainKeys !== false);
    return journal;
  }

  /** The folder of the data key files. */
  get keyDir(): string {
    return this.keys.dir;
  }

  /** Ids of the data keys on disk (the open batch's, normally only that one). */
  dataKeyIds(): string[] {
    return this.keys.ids();
  }

  /**
   * Unsynced writes can be lost in a power cut even when a later synced write survives (LevelDB switches log files
   * without syncing the old one). The record and SAF sequence counters are therefore raised to the newest key on
   * disk, so a lost counter write can never hand out an id twice.
   */
  private async repairCounters(): Promise<void> {
    for (const [sub, key] of [[this.txn, 'seq'], [this.saf, 'safSeq']] as const) {
      let newest = 0;
      for await (const k of (sub as unknown as { keys(o: object): AsyncIterable<string> }).keys({ reverse: true, limit: 1 })) newest = Number(k);
      const stored = ((await this.meta.get(key))?.value as number | undefined) ?? 0;
      if (newest > stored) await this.meta.put(key, { value: newest }, SYNC);
    }
  }

  async close(): Promise<void> {
    await this.chain.catch(() => undefined);
    if (this.pendingStan !== undefined) await this.write([], false);
    await this.db.close();
  }

  /** One atomic LevelDB batch, synced unless `sync` is false; a pending STAN counter value rides along. */
  private async write(ops: BatchOp[], sync = true): Promise<void> {
    if (this.pendingStan !== undefined) {
      ops.push({ type: 'put', sublevel: this.meta, key: 'stan', value: { value: this.pendingStan } });
      this.pendingStan = undefined;
    }
    await (this.db.batch as unknown as (ops: BatchOp[], o: object) => Promise<void>).call(this.db, ops, { sync });
    this.stats.writes++;
    if (sync) this.stats.syncedWrites++;
  }

  /** Serializes read-modify-write sequences (one process owns the journal). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  // ---- meta: STAN counter store, batch number ----

  /**
   * The STAN counter's store. A put is not a write of its own: the value rides along with the journal's next batch
   * (a transaction's record is created right after its STAN is taken). A STAN only matters once a request carrying
   * it leaves, and that request's record is synced first; `get` returns the stored value raised to the newest
   * record's STAN, so a lost counter value never reuses a trace number a transaction sent. (Sign-on and echo take
   * STANs without records: after a power cut one of those may be used again, on another network message.)
   */
  stanStore(): { get(): Promise<number | undefined>; put(value: number): Promise<void> } {
    return {
      get: async () => {
        const stored = this.pendingStan ?? ((await this.meta.get('stan'))?.value as number | undefined);
        const [newest] = await this.list({ limit: 1 });
        if (!newest) return stored;
        const used = Number(newest.stan);
        if (stored === undefined) return used;
        // The newest record's STAN ahead of the counter (modulo the 999999 wrap) means the counter write was lost.
        const ahead = (used - stored + 999_999) % 999_999;
        return ahead > 0 && ahead < 500_000 ? used : stored;
      },
      put: async (value) => {
        this.pendingStan = value;
      },
    };
  }

  async batchNumber(): Promise<string> {
    const v = this.meta.getSync('batch')?.value as number | undefined;
    return pad(v ?? 1, 6);
  }

  // ---- settlement ----

  /** The settlement in progress, if any. */
  settling(): SettlingState | undefined {
    return this.meta.getSync('settling') as SettlingState | undefined;
  }

  /** Journals the settlement in progress (synced): before a 0500 leaves, and whenever it may have. */
  async putSettling(state: SettlingState): Promise<void> {
    await this.exclusive(() => this.write([{ type: 'put', sublevel: this.meta, key: 'settling', value: state as unknown as Json }]));
  }

  /**
   * Closes the batch the host confirmed, in one synced write: the settlement record kept, the settlement in progress
   * forgotten, the batch number advanced (999999 wraps to 000001) and the card data of `purge` records dropped.
   * Crypto-shredding around that write: the next batch's data key is made durable first, and the closed batch's
   * key is destroyed after it, so nothing left on disk (LevelDB's old log and table files included) can open the
   * closed batch's card data. Returns the next batch number.
   */
  async closeBatch(record: Omit<SettlementRecord, 'nextBatch'>, purge: TxnRecord[]): Promise<string> {
    return this.exclusive(async () => {
      const current = Number(await this.batchNumber());
      const value = current >= 999999 ? 1 : current + 1;
      const nextBatch = pad(value, 6);
      const at = this.now().toISOString();
      const ops: BatchOp[] = [
        { type: 'put', sublevel: this.meta, key: `settlement:${record.batch}`, value: { ...record, nextBatch } as unknown as Json },
        { type: 'put', sublevel: this.meta, key: 'lastSettlement', value: { batch: record.batch } },
        { type: 'del', sublevel: this.meta, key: 'settling' },
        { type: 'put', sublevel: this.meta, key: 'batch', value: { value } },
      ];
      for (const r of purge) ops.push({ type: 'put', sublevel: this.txn, key: r.id, value: { ...r, sealed: undefined, cardTag: undefined, updatedAt: at } as unknown as Json });
      // The next batch's key durable first, then the close (one synced write), then the closed batch's key destroyed.
      const gone = await this.keys.rotate(nextBatch, this.now(), () => this.write(ops));
      this.log.info({ batch: record.batch, nextBatch, destroyed: gone }, 'journal: batch closed, its data key destroyed');
      return nextBatch;
    });
  }

  /** The settlement that closed `batch`, if it is closed. */
  settlementOf(batch: string): SettlementRecord | undefined {
    return this.meta.getSync(`settlement:${batch}`) as SettlementRecord | undefined;
  }

  /** The last closed batch's settlement. */
  lastSettlement(): SettlementRecord | undefined {
    const last = this.meta.getSync('lastSettlement') as { batch: string } | undefined;
    return last ? this.settlementOf(last.batch) : undefined;
  }

  // ---- records ----

  /**
   * Writes a new record (state `created`) with its reference and trace-number indexes. Throws EDUPREF for a used
   * reference. Synced unless `opts.sync` is false (a created record has sent nothing: losing it loses nothing).
   */
  async create(init: NewTxn, opts: WriteOptions = {}): Promise<TxnRecord> {
    return this.exclusive(async () => {
      if (this.idx.getSync(`ref:${init.reference}`)) throw new JournalError('EDUPREF', `reference "${init.reference}" is already in the journal`);
      const seq = ((this.meta.getSync('seq')?.value as number | undefined) ?? 0) + 1;
      const id = pad(seq, 10);
      const at = this.now().toISOString();
      const { card, ...rest } = init;
      const record: TxnRecord = {
        ...rest,
        id,
        state: 'created',
        reversal: null,
        receipt: { merchant: 'pending', customer: 'pending', reprints: 0 },
        createdAt: at,
        updatedAt: at,
        history: [{ state: 'created', at }],
        ...(card ? this.cardFields(card, id) : {}),
      };
      const stored = atRest(record);
      await this.write(
        [
          { type: 'put', sublevel: this.meta, key: 'seq', value: { value: seq } },
          { type: 'put', sublevel: this.txn, key: id, value: stored as unknown as Json },
          { type: 'put', sublevel: this.idx, key: `ref:${record.reference}`, value: { id } },
          { type: 'put', sublevel: this.idx, key: `stan:${record.batch}:${record.stan}`, value: { id } },
        ],
        opts.sync !== false,
      );
      this.log.info({ id, reference: record.reference, type: record.type, stan: record.stan }, 'journal: created');
      return stored;
    });
  }

  /**
   * Applies a patch (and an optional state transition, validated) atomically with its effects: updates of other
   * records and SAF queue changes. Synced unless `opts.sync` is false. A synced write also re-puts the record's
   * reference and trace-number indexes, so they are durable whenever the record is, whatever became of the
   * unsynced write that created them.
   */
  async update(id: string, patch: TxnPatch, effects: UpdateEffects = {}, opts: WriteOptions = {}): Promise<TxnRecord> {
    const sync = opts.sync !== false;
    return this.exclusive(async () => {
      const current = await this.get(id);
      if (!current) throw new JournalError('ENOTFOUND', `no journal record ${id}`);
      const { card, ...rest } = patch;
      let next: TxnRecord = { ...current, ...rest, ...(card ? this.cardFields(card, id) : {}), updatedAt: this.now().toISOString() };
      if (patch.state && patch.state !== current.state) {
        if (!ALLOWED[current.state].includes(patch.state)) {
          throw new JournalError('ETRANSITION', `record ${id}: ${current.state} → ${patch.state} is not allowed`);
        }
        next.history = [...current.history, { state: patch.state, at: next.updatedAt }];
      }
      // Card data only as long as the record may need it (declined, failed, reversed and balance records keep none).
      next = atRest(next);
      const ops: BatchOp[] = [{ type: 'put', sublevel: this.txn, key: id, value: next as unknown as Json }];
      if (sync) {
        ops.push({ type: 'put', sublevel: this.idx, key: `ref:${next.reference}`, value: { id } });
        ops.push({ type: 'put', sublevel: this.idx, key: `stan:${next.batch}:${next.stan}`, value: { id } });
      }
      if (next.rrn && next.rrn !== current.rrn) ops.push({ type: 'put', sublevel: this.idx, key: `rrn:${next.rrn}`, value: { id } });
      for (const o of effects.others ?? []) ops.push({ type: 'put', sublevel: this.txn, key: o.id, value: { ...o, updatedAt: next.updatedAt } as unknown as Json });
      if (effects.safAdd) {
        const seq = (((await this.meta.get('safSeq'))?.value as number | undefined) ?? 0) + 1;
        ops.push({ type: 'put', sublevel: this.meta, key: 'safSeq', value: { value: seq } });
        ops.push({ type: 'put', sublevel: this.saf, key: pad(seq, 10), value: { ...effects.safAdd, seq } as unknown as Json });
      }
      if (effects.safRemove !== undefined) ops.push({ type: 'del', sublevel: this.saf, key: pad(effects.safRemove, 10) });
      await this.write(ops, sync);
      this.updates.emit(next);
      if (patch.state && patch.state !== current.state) {
        this.log.info({ id, reference: next.reference, from: current.state, to: patch.state, responseCode: next.responseCode }, 'journal: state');
      }
      return next;
    });
  }

  /** Calls `listener` with a record after every update of it is written (a flow waits for a QR payment to be final). */
  onUpdate(listener: (rec: TxnRecord) => void): Unsubscribe {
    return this.updates.add(listener);
  }

  /** `rec` with the card's masked PAN and sealed data, in memory only (the next write of `rec` stores them). */
  withCard(rec: TxnRecord, card: CardRef): TxnRecord {
    return { ...rec, ...this.cardFields(card, rec.id) };
  }

  private cardFields(card: CardRef, id: string): Pick<TxnRecord, 'maskedPan' | 'sealed'> {
    return { maskedPan: maskPan(card.pan), sealed: this.sealer.seal(card, id) };
  }

  /**
   * The sealed card data of a record (for fields 2/14), or undefined once dropped or once its batch's data key was
   * destroyed. Throws SealError for sealed data that was tampered with.
   */
  cardOf(record: TxnRecord): CardRef | undefined {
    return record.sealed ? this.sealer.unseal(record.sealed, record.id) : undefined;
  }

  async get(id: string): Promise<TxnRecord | undefined> {
    return this.txn.getSync(id) as TxnRecord | undefined;
  }

  private async byIndex(key: string): Promise<TxnRecord | undefined> {
    const hit = this.idx.getSync(key) as { id: string } | undefined;
    return hit ? (this.txn.getSync(hit.id) as TxnRecord | undefined) : undefined;
  }

  byReference(reference: string): Promise<TxnRecord | undefined> {
    return this.byIndex(`ref:${reference}`);
  }

  byStan(batch: string, stan: string): Promise<TxnRecord | undefined> {
    return this.byIndex(`stan:${batch}:${stan}`);
  }

  byRrn(rrn: string): Promise<TxnRecord | undefined> {
    return this.byIndex(`rrn:${rrn}`);
  }

  /** Records, newest first, optionally of one batch. */
  async list(opts: { batch?: string; limit?: number } = {}): Promise<TxnRecord[]> {
    if (opts.batch) return this.listBatch(opts.batch, opts.limit);
    const out: TxnRecord[] = [];
    for await (const value of this.txn.values({ reverse: true })) {
      const r = value as unknown as TxnRecord;
      if (opts.batch && r.batch !== opts.batch) continue;
      out.push(r);
      if (opts.limit && out.length >= opts.limit) break;
    }
    return out;
  }

  /**
   * One batch's records, newest first, through the trace-number index: every record is created with its
   * `stan:<batch>:<stan>` entry in the same write, so a batch costs its own records, not the whole history (a year of
   * sales). A record's STAN is never handed to another record (a lost counter value is raised to the newest
   * record's STAN: stanStore), and a synced update re-puts the entry, so no record goes missing from it. A record
   * whose batch is not this one is skipped.
   */
  private async listBatch(batch: string, limit?: number): Promise<TxnRecord[]> {
    const ids = new Set<string>();
    for await (const hit of this.idx.values({ gte: `stan:${batch}:`, lt: `stan:${batch};` })) ids.add((hit as unknown as { id: string }).id);
    const out: TxnRecord[] = [];
    for (const id of [...ids].sort().reverse()) {
      const r = this.txn.getSync(id) as TxnRecord | undefined;
      if (r?.batch !== batch) continue;
      out.push(r);
      if (limit && out.length >= limit) break;
    }
    return out;
  }

  /**
   * One page of records, newest first, below record id `beforeId` (the previous page's cursor): those `keep` accepts,
   * at most `limit`, scanning at most `scanMax` records and no further once `stop` says older ones cannot match.
   * `cursor` is where the next page starts (undefined: nothing older is left).
   */
  async page(opts: { beforeId?: string; limit: number; keep?: (r: TxnRecord) => boolean; stop?: (r: TxnRecord) => boolean; scanMax?: number }): Promise<{ records: TxnRecord[]; cursor?: string }> {
    const records: TxnRecord[] = [];
    let scanned = 0;
    for await (const value of this.txn.values({ reverse: true, ...(opts.beforeId ? { lt: opts.beforeId } : {}) })) {
      const r = value as unknown as TxnRecord;
      if (opts.stop?.(r)) return { records };
      if (!opts.keep || opts.keep(r)) records.push(r);
      scanned++;
      if (records.length >= opts.limit || scanned >= (opts.scanMax ?? 5000)) return { records, cursor: r.id };
    }
    return { records };
  }

  /** Records created at or after `sinceMs` (epoch ms), newest first. */
  async createdSince(sinceMs: number): Promise<TxnRecord[]> {
    const out: TxnRecord[] = [];
    for await (const value of this.txn.values({ reverse: true })) {
      const r = value as unknown as TxnRecord;
      if (Date.parse(r.createdAt) < sinceMs) break;
      out.push(r);
    }
    return out;
  }

  /** Records a crash or power cut may have left unfinished, oldest first. */
  async unfinished(): Promise<TxnRecord[]> {
    const open: TxnState[] = ['created', 'sending', 'awaiting-customer', 'approved', 'declined', 'reversal-pending'];
    const out: TxnRecord[] = [];
    for await (const value of this.txn.values()) {
      const r = value as unknown as TxnRecord;
      if (open.includes(r.state)) out.push(r);
    }
    return out;
  }

  // ---- store-and-forward queue ----

  async safEntries(): Promise<SafEntry[]> {
    const out: SafEntry[] = [];
    for await (const value of this.saf.values()) out.push(value as unknown as SafEntry);
    return out;
  }

  async safUpdate(entry: SafEntry): Promise<void> {
    await this.saf.put(pad(entry.seq, 10), entry as unknown as Json, SYNC);
    this.stats.writes++;
    this.stats.syncedWrites++;
  }
}
