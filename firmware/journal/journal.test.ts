// Journal: synced records with explicit states, indexes, sealed card data, atomic SAF changes, survival across reopen.
import { Journal, JournalError } from './journal';
import { Sealer, SealError } from './seal';
import { silentLogger } from '../log';
import { allBytes, allEntries, KEY, newSale, openJournal, PAN } from '../money/money.fixtures';

describe('journal', () => {
  let ctx: Awaited<ReturnType<typeof openJournal>>;
  beforeEach(async () => (ctx = await openJournal()));
  afterEach(async () => ctx.cleanup());

  it('creates a record in state created, findable by reference and STAN', async () => {
    const rec = await ctx.journal.create(newSale({ reference: 'A-1', stan: '000007' }));
    expect(rec).toMatchObject({ state: 'created', reversal: null, maskedPan: '476173******0010', history: [{ state: 'created' }] });
    expect((await ctx.journal.byReference('A-1'))?.id).toBe(rec.id);
    expect((await ctx.journal.byStan('000001', '000007'))?.id).toBe(rec.id);
  });

  it('refuses a reference that is already in the journal', async () => {
    await ctx.journal.create(newSale({ reference: 'DUP' }));
    await expect(ctx.journal.create(newSale({ reference: 'DUP' }))).rejects.toMatchObject({ code: 'EDUPREF' });
  });

  it('allows only the documented state transitions', async () => {
    const rec = await ctx.journal.create(newSale());
    await expect(ctx.journal.update(rec.id, { state: 'approved' })).rejects.toBeInstanceOf(JournalError);
    await ctx.journal.update(rec.id, { state: 'sending' });
    await ctx.journal.update(rec.id, { state: 'approved', rrn: '123456789012' });
    const done = await ctx.journal.update(rec.id, { state: 'completed' });
    expect(done.history.map((h) => h.state)).toEqual(['created', 'sending', 'approved', 'completed']);
    await expect(ctx.journal.update(rec.id, { state: 'sending' })).rejects.toMatchObject({ code: 'ETRANSITION' });
    expect((await ctx.journal.byRrn('123456789012'))?.id).toBe(rec.id);
  });

  it('keeps the PAN only sealed: readable with the key, absent from the files in the clear', async () => {
    const rec = await ctx.journal.create(newSale());
    expect(ctx.journal.cardOf(rec)).toEqual({ pan: PAN, expiry: '3012' });
    await ctx.journal.close();
    expect(allBytes(ctx.dir).includes(Buffer.from(PAN))).toBe(false);
    const entries = await allEntries(ctx.dir);
    expect(entries).not.toContain(PAN);
    expect(entries).toContain('476173******0010');
    ctx.journal = await Journal.open(ctx.dir, KEY, silentLogger);
  });

  it('binds sealed data to its record and key, and reads nothing once the key is gone', () => {
    const id = '000001-0a0b0c0d';
    const keys = new Map([[id, Buffer.alloc(32, 1)]]);
    const s = new Sealer({ current: () => ({ id, key: keys.get(id)! }), get: (k) => keys.get(k) });
    const sealed = s.seal({ pan: PAN, expiry: '3012' }, '0000000001');
    expect(sealed).toMatch(/^dk1:000001-0a0b0c0d:0000000001:[A-Za-z0-9+/]+=*$/);
    expect(sealed).not.toContain(PAN);
    expect(s.unseal(sealed, '0000000001')).toEqual({ pan: PAN, expiry: '3012' });
    expect(() => s.unseal(sealed, '0000000002')).toThrow(SealError);
    const other = new Sealer({ current: () => ({ id, key: Buffer.alloc(32, 7) }), get: () => Buffer.alloc(32, 7) });
    expect(() => other.unseal(sealed, '0000000001')).toThrow(/does not authenticate under data key 000001-0a0b0c0d/);
    keys.delete(id);
    expect(s.unseal(sealed, '0000000001')).toBeUndefined();
    // Sealed before per-batch keys (the removed journal key): unreadable by design.
    expect(s.unseal('q83vEjRWeJA=', '0000000001')).toBeUndefined();
  });

  it('changes state and the SAF queue in one write, and both survive a reopen', async () => {
    const rec = await ctx.journal.create(newSale());
    await ctx.journal.update(rec.id, { state: 'sending' });
    await ctx.journal.update(rec.id, { state: 'reversal-pending', reversal: 'pending' }, { safAdd: { txnId: rec.id, kind: 'reversal', attempts: 0, nextAttemptAt: 0 } });
    await ctx.journal.close();
    ctx.journal = await Journal.open(ctx.dir, KEY, silentLogger);
    const [entry] = await ctx.journal.safEntries();
    expect(entry).toMatchObject({ txnId: rec.id, attempts: 0 });
    expect((await ctx.journal.get(rec.id))?.state).toBe('reversal-pending');
    await ctx.journal.update(rec.id, { state: 'reversed', reversal: 'done' }, { safRemove: entry.seq });
    expect(await ctx.journal.safEntries()).toEqual([]);
  });

  it('lists unfinished records for recovery', async () => {
    const a = await ctx.journal.create(newSale());
    const b = await ctx.journal.create(newSale());
    await ctx.journal.update(b.id, { state: 'sending' });
    const c = await ctx.journal.create(newSale());
    await ctx.journal.update(c.id, { state: 'cancelled' });
    expect((await ctx.journal.unfinished()).map((r) => r.id)).toEqual([a.id, b.id]);
  });

  it('advances the batch number when a batch closes, keeps the settlement record, forgets the settlement in progress', async () => {
    expect(await ctx.journal.batchNumber()).toBe('000001');
    const totals = { debitCount: 1, debitAmount: 100, creditCount: 0, creditAmount: 0 };
    await ctx.journal.putSettling({ batch: '000001', totals, sent: false, attempts: 0, startedAt: 'x' });
    expect(ctx.journal.settling()).toMatchObject({ batch: '000001' });
    const sale = await ctx.journal.create(newSale());
    const next = await ctx.journal.closeBatch({ batch: '000001', totals, uploaded: false, responseCode: '00', settledAt: 'y', byType: {}, byScheme: {} }, [sale]);
    expect(next).toBe('000002');
    expect(await ctx.journal.batchNumber()).toBe('000002');
    expect(ctx.journal.settling()).toBeUndefined();
    expect(ctx.journal.settlementOf('000001')).toMatchObject({ batch: '000001', nextBatch: '000002', totals });
    expect(ctx.journal.lastSettlement()?.batch).toBe('000001');
    expect((await ctx.journal.get(sale.id))?.sealed).toBeUndefined();
  });

  it("lists a batch's records (newest first) through the trace-number index, the same as a walk of the whole journal", async () => {
    const totals = { debitCount: 0, debitAmount: 0, creditCount: 0, creditAmount: 0 };
    const close = (batch: string) => ctx.journal.closeBatch({ batch, totals, uploaded: false, responseCode: '00', settledAt: 'x', byType: {}, byScheme: {} }, []);
    const made: Record<string, string[]> = { '000001': [], '000002': [], '000003': [] };
    for (const batch of ['000001', '000002', '000003']) {
      for (let i = 0; i < 3; i++) {
        // Unsynced creates too: the index rides in the record's own write either way.
        const rec = await ctx.journal.create(newSale({ batch }), { sync: i !== 1 });
        if (i === 2) await ctx.journal.update(rec.id, { state: 'cancelled' });
        made[batch].push(rec.id);
      }
      if (batch !== '000003') await close(batch);
    }
    const walk = (await ctx.journal.list()).filter((r) => r.batch === '000002');
    const listed = await ctx.journal.list({ batch: '000002' });
    expect(listed.map((r) => r.id)).toEqual([...made['000002']].reverse());
    expect(listed).toEqual(walk);
    expect((await ctx.journal.list({ batch: '000003', limit: 2 })).map((r) => r.id)).toEqual(made['000003'].slice(1).reverse());
    expect(await ctx.journal.list({ batch: '000004' })).toEqual([]);
    // Only the index of the batch asked for is read: a record of another batch that went missing is never looked at.
    const raw = (ctx.journal as unknown as { txn: { getSync(k: string): unknown } }).txn;
    const read: string[] = [];
    const getSync = raw.getSync.bind(raw);
    raw.getSync = (k: string) => (read.push(k), getSync(k));
    await ctx.journal.list({ batch: '000001' });
    expect(read.sort()).toEqual([...made['000001']].sort());
  });

  it('the batch number wraps 999999 → 000001', async () => {
    const raw = (ctx.journal as unknown as { meta: { put(k: string, v: unknown): Promise<void> } }).meta;
    await raw.put('batch', { value: 999999 });
    const totals = { debitCount: 0, debitAmount: 0, creditCount: 0, creditAmount: 0 };
    expect(await ctx.journal.closeBatch({ batch: '999999', totals, uploaded: false, responseCode: '00', settledAt: 'z', byType: {}, byScheme: {} }, [])).toBe('000001');
  });
});
