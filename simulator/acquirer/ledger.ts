// Acquirer ledger on LevelDB: entries, stored answers, settlements and uploads, written atomically with sync, mirrored in memory.
import { Level } from 'level';
import { CardVault } from './card-vault';
import type { Logger } from '../../firmware/log';
import { ZERO_TOTALS, type BatchTotals, type LedgerEntry, type SettlementRecord, type StoredAnswer, type TotalsRow, type UploadRecord } from './types';

/** Everything one request changes, written in one synced LevelDB batch (all or nothing). */
export interface LedgerChanges {
  /** New entries and updated copies of existing ones. */
  entries?: LedgerEntry[];
  answers?: Array<{ key: string; answer: StoredAnswer }>;
  settlements?: SettlementRecord[];
  uploads?: UploadRecord[];
  /** Forget the uploads of one terminal's batch (a new settlement round starts). */
  clearUploadsOf?: { terminalId: string; batch: string };
}

export interface LedgerFilter {
  reference?: string;
  terminalId?: string;
}

const makeSub = (db: Level<string, unknown>, name: string) => db.sublevel<string, unknown>(name, { valueEncoding: 'json' });
type Sub = ReturnType<typeof makeSub>;

const batchKey = (terminalId: string, batch: string) => `${terminalId}|${batch}`;
const uploadKey = (u: UploadRecord) => `${u.terminalId}|${u.batch}|${u.stan}`;

/** Whether an entry counts in the batch totals: approved sales and completions (debits) and refunds (credits). */
export function countsIn(e: LedgerEntry): 'debit' | 'credit' | undefined {
  if (e.status !== 'approved') return undefined;
  if (e.kind === 'sale' || e.kind === 'completion' || e.kind === 'qr-sale' || e.kind === 'qr-present') return 'debit';
  if (e.kind === 'refund') return 'credit';
  return undefined;
}

function addTo(t: BatchTotals, side: 'debit' | 'credit', amount: number): void {
  if (side === 'debit') {
    t.debitCount += 1;
    t.debitAmount += amount;
  } else {
    t.creditCount += 1;
    t.creditAmount += amount;
  }
}

/**
 * The host's books. Reads are served from memory; {@link commit} writes to disk first (synced) and only then
 * updates memory, so a failed write leaves both unchanged. Not safe for concurrent commits: the processor
 * serialises requests.
 */
export class Ledger {
  private readonly entriesById = new Map<string, LedgerEntry>();
  private readonly answers = new Map<string, StoredAnswer>();
  private readonly settlements = new Map<string, SettlementRecord>();
  private readonly uploadsByKey = new Map<string, UploadRecord>();
  private seq = 0;
  /** Entry id → the in-memory index value of its card (CardVault.indexOf); never written. */
  private readonly cardIndex = new Map<string, string>();

  private constructor(
    private readonly db: Level<string, unknown>,
    private readonly subs: { entries: Sub; answers: Sub; settlements: Sub; uploads: Sub; meta: Sub },
    private readonly vault: CardVault,
    private readonly log: Logger,
  ) {}

  /** Opens (creating if needed) the ledger in `dir`. Rejects when LevelDB cannot open it (e.g. locked by another process). */
  static async open(dir: string, log: Logger): Promise<Ledger> {
    if (typeof dir !== 'string' || dir === '') throw new TypeError('dataDir: expected a directory path');
    const db = new Level<string, unknown>(dir, { valueEncoding: 'json' });
    await db.open();
    let vault: CardVault;
    try {
      vault = await CardVault.open(dir);
    } catch (err) {
      await db.close();
      throw err;
    }
    const sub = (name: string) => makeSub(db, name);
    const ledger = new Ledger(db, { entries: sub('entries'), answers: sub('answers'), settlements: sub('settlements'), uploads: sub('uploads'), meta: sub('meta') }, vault, log.child({ ns: 'acquirer.ledger' }));
    await ledger.load();
    return ledger;
  }

  private async load(): Promise<void> {
    for await (const [k, v] of this.subs.entries.iterator()) {
      this.entriesById.set(k, v as LedgerEntry);
      this.index(v as LedgerEntry);
    }
    for await (const [k, v] of this.subs.answers.iterator()) this.answers.set(k, v as StoredAnswer);
    for await (const [k, v] of this.subs.settlements.iterator()) this.settlements.set(k, v as SettlementRecord);
    for await (const [k, v] of this.subs.uploads.iterator()) this.uploadsByKey.set(k, v as UploadRecord);
    this.seq = ((await this.subs.meta.get('seq')) as number | undefined) ?? 0;
    this.log.info({ entries: this.entriesById.size }, 'ledger opened');
  }

  /** Indexes an entry's card in memory (entries written before the vault carry none and match no card). */
  private index(e: LedgerEntry): void {
    const pan = e.panSealed ? this.vault.open(e.panSealed) : undefined;
    if (pan) this.cardIndex.set(e.id, this.vault.indexOf(pan));
    else this.cardIndex.delete(e.id);
  }

  /** The PAN encrypted under the host's vault key, for a new entry's `panSealed`. */
  sealPan(pan: string): string {
    return this.vault.seal(pan);
  }

  /** Whether `entry` was made with this card. */
  sameCard(entry: LedgerEntry, pan: string): boolean {
    const known = this.cardIndex.get(entry.id);
    return known !== undefined && known === this.vault.indexOf(pan);
  }

  /** Reserves the next sequence number (entry id and RRN). Persisted with the next commit. */
  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  /** Entries in posting order, optionally filtered; copies. */
  list(filter: LedgerFilter = {}): LedgerEntry[] {
    const out: LedgerEntry[] = [];
    for (const e of this.entriesById.values()) {
      if (filter.reference !== undefined && e.reference !== filter.reference) continue;
      if (filter.terminalId !== undefined && e.terminalId !== filter.terminalId) continue;
      out.push({ ...e });
    }
    return out;
  }

  get(id: string): LedgerEntry | undefined {
    const e = this.entriesById.get(id);
    return e ? { ...e } : undefined;
  }

  /** The latest entry of a terminal with this RRN. */
  byRrn(terminalId: string, rrn: string): LedgerEntry | undefined {
    return this.find((e) => e.terminalId === terminalId && e.rrn === rrn);
  }

  /** Entries of one card (by the in-memory index). */
  byCard(pan: string): LedgerEntry[] {
    const value = this.vault.indexOf(pan);
    return [...this.entriesById.values()].filter((e) => this.cardIndex.get(e.id) === value).map((e) => ({ ...e }));
  }

  /** The latest entry (a copy) that satisfies `pred`. */
  find(pred: (e: LedgerEntry) => boolean): LedgerEntry | undefined {
    const all = [...this.entriesById.values()];
    for (let i = all.length - 1; i >= 0; i--) if (pred(all[i])) return { ...all[i] };
    return undefined;
  }

  answer(key: string): StoredAnswer | undefined {
    return this.answers.get(key);
  }

  settlement(terminalId: string, batch: string): SettlementRecord | undefined {
    return this.settlements.get(batchKey(terminalId, batch));
  }

  uploads(terminalId: string, batch: string): UploadRecord[] {
    return [...this.uploadsByKey.values()].filter((u) => u.terminalId === terminalId && u.batch === batch);
  }

  /** Totals of one terminal's batch from approved entries (sales + completions debit, refunds credit). */
  totals(terminalId: string, batch: string): BatchTotals {
    const t = { ...ZERO_TOTALS };
    for (const e of this.entriesById.values()) {
      const side = e.terminalId === terminalId && e.batch === batch ? countsIn(e) : undefined;
      if (side) addTo(t, side, e.amount);
    }
    return t;
  }

  /** Totals for every terminal and batch seen (entries or settlements), sorted by terminal then batch. */
  allTotals(): TotalsRow[] {
    const rows = new Map<string, TotalsRow>();
    const row = (terminalId: string, batch: string): TotalsRow => {
      const k = batchKey(terminalId, batch);
      let r = rows.get(k);
      if (!r) rows.set(k, (r = { terminalId, batch, ...ZERO_TOTALS, settlement: this.settlement(terminalId, batch) ?? null, uploads: this.uploads(terminalId, batch) }));
      return r;
    };
    for (const e of this.entriesById.values()) {
      const r = row(e.terminalId, e.batch);
      const side = countsIn(e);
      if (side) addTo(r, side, e.amount);
      // Wallet payments per wallet (a refund of a wallet payment is a credit of that wallet).
      const wallet = e.qr?.wallet ?? (e.originalId ? this.entriesById.get(e.originalId)?.qr?.wallet : undefined);
      if (side && wallet) {
        const w = ((r.byWallet ??= {})[wallet] ??= { ...ZERO_TOTALS });
        addTo(w, side, e.amount);
      }
    }
    for (const s of this.settlements.values()) row(s.terminalId, s.batch);
    for (const u of this.uploadsByKey.values()) row(u.terminalId, u.batch);
    return [...rows.values()].sort((a, b) => (a.terminalId === b.terminalId ? a.batch.localeCompare(b.batch) : a.terminalId.localeCompare(b.terminalId)));
  }

  /** Writes every change in one synced batch, then applies it in memory. Rejects (memory unchanged) if the write fails. */
  async commit(ch: LedgerChanges): Promise<void> {
    type Op = { type: 'put'; sublevel: Sub; key: string; value: unknown } | { type: 'del'; sublevel: Sub; key: string };
    const ops: Op[] = [{ type: 'put', sublevel: this.subs.meta, key: 'seq', value: this.seq }];
    for (const e of ch.entries ?? []) ops.push({ type: 'put', sublevel: this.subs.entries, key: e.id, value: e });
    for (const a of ch.answers ?? []) ops.push({ type: 'put', sublevel: this.subs.answers, key: a.key, value: a.answer });
    for (const s of ch.settlements ?? []) ops.push({ type: 'put', sublevel: this.subs.settlements, key: batchKey(s.terminalId, s.batch), value: s });
    const dropped = ch.clearUploadsOf ? this.uploads(ch.clearUploadsOf.terminalId, ch.clearUploadsOf.batch).map(uploadKey) : [];
    for (const k of dropped) ops.push({ type: 'del', sublevel: this.subs.uploads, key: k });
    for (const u of ch.uploads ?? []) ops.push({ type: 'put', sublevel: this.subs.uploads, key: uploadKey(u), value: u });
    await this.db.batch(ops as never, { sync: true });
    for (const e of ch.entries ?? []) {
      this.entriesById.set(e.id, { ...e });
      this.index(e);
    }
    for (const a of ch.answers ?? []) this.answers.set(a.key, a.answer);
    for (const s of ch.settlements ?? []) this.settlements.set(batchKey(s.terminalId, s.batch), s);
    for (const k of dropped) this.uploadsByKey.delete(k);
    for (const u of ch.uploads ?? []) this.uploadsByKey.set(uploadKey(u), u);
  }

  /** Forgets every entry, answer, settlement and upload (the sequence keeps counting, so RRNs stay unique). */
  async clear(): Promise<void> {
    for (const s of [this.subs.entries, this.subs.answers, this.subs.settlements, this.subs.uploads]) await s.clear();
    this.entriesById.clear();
    this.answers.clear();
    this.settlements.clear();
    this.uploadsByKey.clear();
    this.cardIndex.clear();
    this.log.info('ledger cleared');
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
