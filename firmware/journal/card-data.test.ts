// Crypto-shredding at batch close (and across power cuts in the middle of it) and how long a record keeps card data.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Journal } from './journal';
import { DataKeyStore } from '../keys/data-keys';
import { silentLogger } from '../log';
import { KEY, newSale, openJournal, PAN } from '../money/money.fixtures';
import type { TxnRecord } from './types';

const TOTALS = { debitCount: 1, debitAmount: 1000, creditCount: 0, creditAmount: 0 };
const settlement = (batch: string) => ({ batch, totals: TOTALS, uploaded: false, responseCode: '00', settledAt: 'x', byType: {}, byScheme: {} });
const keyFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.key')).sort();

async function approved(j: Journal, over: Parameters<typeof newSale>[0] = {}): Promise<TxnRecord> {
  const r = await j.create(newSale(over));
  await j.update(r.id, { state: 'sending' });
  return j.update(r.id, { state: 'approved', wasApproved: true });
}

describe('closing a batch destroys its data key', () => {
  let ctx: Awaited<ReturnType<typeof openJournal>>;
  beforeEach(async () => (ctx = await openJournal()));
  afterEach(async () => ctx.cleanup());

  it('opens with one durable key for the open batch, in its own folder beside LevelDB', async () => {
    expect(ctx.journal.keyDir).toBe(`${ctx.dir}-keys`);
    expect(keyFiles(ctx.journal.keyDir)).toEqual([`${ctx.journal.dataKeyIds()[0]}.key`]);
    expect(ctx.journal.dataKeyIds()[0]).toMatch(/^000001-[0-9a-f]{8}$/);
  });

  it('after the close the sealed values LevelDB may still hold open under no key on the device, even reopened', async () => {
    const sale = await approved(ctx.journal);
    const sealedAsWritten = sale.sealed!; // what LevelDB's log and table files may keep until compaction
    expect(ctx.journal.cardOf(sale)).toEqual({ pan: PAN, expiry: '3012' });
    const before = ctx.journal.dataKeyIds();
    expect(await ctx.journal.closeBatch(settlement('000001'), [sale])).toBe('000002');
    const after = ctx.journal.dataKeyIds();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatch(/^000002-/);
    expect(keyFiles(ctx.journal.keyDir)).toEqual([`${after[0]}.key`]);
    expect(existsSync(join(ctx.journal.keyDir, `${before[0]}.key`))).toBe(false);
    expect(ctx.journal.cardOf({ ...sale, sealed: sealedAsWritten })).toBeUndefined();
    expect((await ctx.journal.get(sale.id))?.sealed).toBeUndefined();
    await ctx.journal.close();
    ctx.journal = await Journal.open(ctx.dir, KEY, silentLogger);
    expect(ctx.journal.cardOf({ ...sale, sealed: sealedAsWritten })).toBeUndefined();
    // New card data is sealed under the new batch's key.
    const next = await ctx.journal.create(newSale({ batch: '000002' }));
    expect(next.sealed).toMatch(new RegExp(`^dk1:${after[0]}:`));
  });

  it('a power cut after the next key was written, before the close: the batch stays open with its key, the unused one goes', async () => {
    const sale = await approved(ctx.journal);
    await ctx.journal.close();
    const store = await DataKeyStore.open(`${ctx.dir}-keys`, KEY);
    const orphan = await store.create('000002', new Date());
    expect(keyFiles(`${ctx.dir}-keys`)).toHaveLength(2);
    ctx.journal = await Journal.open(ctx.dir, KEY, silentLogger);
    expect(await ctx.journal.batchNumber()).toBe('000001');
    expect(ctx.journal.cardOf((await ctx.journal.get(sale.id))!)).toEqual({ pan: PAN, expiry: '3012' });
    expect(ctx.journal.dataKeyIds()).not.toContain(orphan.id);
    expect(keyFiles(`${ctx.dir}-keys`)).toHaveLength(1);
  });

  it('a power cut after the close, before the old key was destroyed: reopening destroys it', async () => {
    const sale = await approved(ctx.journal);
    const keys = (ctx.journal as unknown as { keys: { store: DataKeyStore } }).keys.store;
    const destroy = keys.destroyAllBut.bind(keys);
    keys.destroyAllBut = async () => {
      throw new Error('power cut');
    };
    await ctx.journal.closeBatch(settlement('000001'), [sale]);
    expect(keyFiles(ctx.journal.keyDir)).toHaveLength(2);
    keys.destroyAllBut = destroy;
    await ctx.journal.close();
    ctx.journal = await Journal.open(ctx.dir, KEY, silentLogger);
    expect(ctx.journal.dataKeyIds()).toEqual([expect.stringMatching(/^000002-/)]);
    expect(keyFiles(ctx.journal.keyDir)).toHaveLength(1);
    expect(ctx.journal.cardOf(sale)).toBeUndefined();
  });

  it('a failed close write leaves the batch open with its key and no unused key', async () => {
    const sale = await approved(ctx.journal);
    const j = ctx.journal as unknown as { write: () => Promise<void> };
    const write = j.write;
    j.write = async () => {
      throw new Error('disk full');
    };
    await expect(ctx.journal.closeBatch(settlement('000001'), [sale])).rejects.toThrow('disk full');
    j.write = write;
    expect(keyFiles(ctx.journal.keyDir)).toHaveLength(1);
    expect(ctx.journal.cardOf(sale)).toEqual({ pan: PAN, expiry: '3012' });
  });

  it('a read-only open creates and destroys no key', async () => {
    await ctx.journal.close();
    const dir = `${ctx.dir}-ro`;
    const ro = await Journal.open(dir, KEY, silentLogger, undefined, { maintainKeys: false });
    expect(ro.dataKeyIds()).toEqual([]);
    await ro.close();
    for (const d of [dir, `${dir}-keys`]) rmSync(d, { recursive: true, force: true });
    ctx.journal = await Journal.open(ctx.dir, KEY, silentLogger);
  });

  it('refuses to open with another device key, naming the key file', async () => {
    await ctx.journal.close();
    await expect(Journal.open(ctx.dir, Buffer.alloc(32, 9), silentLogger)).rejects.toThrow(/data key 000001-[0-9a-f]{8} \(batch 000001\) does not open under this device key/);
    ctx.journal = await Journal.open(ctx.dir, KEY, silentLogger);
  });
});

describe('card data is kept only while needed', () => {
  let ctx: Awaited<ReturnType<typeof openJournal>>;
  beforeEach(async () => (ctx = await openJournal()));
  afterEach(async () => ctx.cleanup());

  const sent = async (over: Parameters<typeof newSale>[0] = {}) => {
    const r = await ctx.journal.create(newSale(over));
    return ctx.journal.update(r.id, { state: 'sending' });
  };

  it('approved money keeps it (void, refund, reversal), also completed and reversal-pending', async () => {
    const a = await approved(ctx.journal);
    expect((await ctx.journal.update(a.id, { state: 'completed' })).sealed).toBeDefined();
    const p = await sent();
    expect((await ctx.journal.update(p.id, { state: 'reversal-pending', reversal: 'pending' })).sealed).toBeDefined();
  });

  it('declined, failed and reversed records drop it in the same write', async () => {
    const d = await sent();
    expect((await ctx.journal.update(d.id, { state: 'declined', responseCode: '51' })).sealed).toBeUndefined();
    expect((await ctx.journal.get(d.id))?.sealed).toBeUndefined();
    const f = await sent();
    expect((await ctx.journal.update(f.id, { state: 'failed' })).sealed).toBeUndefined();
    const r = await sent();
    await ctx.journal.update(r.id, { state: 'reversal-pending' });
    expect((await ctx.journal.update(r.id, { state: 'reversed', reversal: 'done' })).sealed).toBeUndefined();
  });

  it('a balance inquiry never stores it: its request is built from memory, and an unknown outcome is failed, never reversed', async () => {
    const created = await ctx.journal.create(newSale({ type: 'balance', amount: 0, card: undefined }));
    const inMemory = ctx.journal.withCard(created, { pan: PAN, expiry: '3012' });
    expect(ctx.journal.cardOf(inMemory)?.pan).toBe(PAN);
    const sending = await ctx.journal.update(created.id, { state: 'sending', sealed: inMemory.sealed, maskedPan: inMemory.maskedPan });
    expect(sending.sealed).toBeUndefined();
    expect(sending.maskedPan).toBe('476173******0010');
  });

  it('drops a card tag written before issue 14 at the next write', async () => {
    const a = await approved(ctx.journal);
    await ctx.journal.update(a.id, {}, { others: [{ ...a, cardTag: 'f'.repeat(32) }] });
    expect((await ctx.journal.update(a.id, { state: 'completed' })).cardTag).toBeUndefined();
  });
});
