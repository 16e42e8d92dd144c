// The journal's write points: which writes are synced, and how counters survive the loss of unsynced writes.
import { Level } from 'level';
import { Journal } from './journal';
import { silentLogger } from '../log';
import { KEY, newSale, openJournal } from '../money/money.fixtures';

describe('journal write points', () => {
  let ctx: Awaited<ReturnType<typeof openJournal>>;
  beforeEach(async () => (ctx = await openJournal()));
  afterEach(async () => ctx.cleanup());

  it('counts synced and unsynced writes; create and update are synced unless asked not to be', async () => {
    const j = ctx.journal;
    const a = await j.create(newSale());
    expect(j.stats).toEqual({ writes: 1, syncedWrites: 1 });
    const b = await j.create(newSale(), { sync: false });
    await j.update(b.id, { card: { pan: '4761739001010010', expiry: '3012' } }, {}, { sync: false });
    expect(j.stats).toEqual({ writes: 3, syncedWrites: 1 });
    await j.update(a.id, { state: 'sending' });
    expect(j.stats).toEqual({ writes: 4, syncedWrites: 2 });
    await j.stanStore().put(42);
    expect(j.stats).toEqual({ writes: 4, syncedWrites: 2 }); // the STAN rides along with the next batch
    await j.create(newSale(), { sync: false });
    expect(j.stats).toEqual({ writes: 5, syncedWrites: 2 });
    expect(await j.stanStore().get()).toBe(42);
  });

  it('a synced update re-puts the record indexes, so an unsynced create lost in a power cut cannot orphan them', async () => {
    const j = ctx.journal;
    const rec = await j.create(newSale({ reference: 'IDX-1', stan: '000321' }), { sync: false });
    // Simulate the loss of the create's index entries (what a power cut may do to an unsynced write).
    const db = (j as unknown as { idx: { del(k: string): Promise<void> } }).idx;
    await db.del('ref:IDX-1');
    await db.del('stan:000001:000321');
    expect(await j.byReference('IDX-1')).toBeUndefined();
    await j.update(rec.id, { state: 'sending' });
    expect((await j.byReference('IDX-1'))?.id).toBe(rec.id);
    expect((await j.byStan('000001', '000321'))?.id).toBe(rec.id);
  });

  it('reopening raises lost counters to the newest record: no id and no trace number is handed out twice', async () => {
    const j = ctx.journal;
    await j.create(newSale({ stan: '000010' }));
    const last = await j.create(newSale({ stan: '000011' }));
    await j.stanStore().put(9);
    await j.close();
    // Roll the record sequence counter back, as if its unsynced write had been lost.
    const raw = new Level<string, Record<string, unknown>>(ctx.dir, { valueEncoding: 'json' });
    await raw.open();
    await raw.sublevel<string, Record<string, unknown>>('meta', { valueEncoding: 'json' }).put('seq', { value: 1 });
    await raw.close();
    const again = await Journal.open(ctx.dir, KEY, silentLogger);
    try {
      const next = await again.create(newSale({ stan: '000012' }));
      expect(Number(next.id)).toBe(Number(last.id) + 1);
      expect(await again.stanStore().get()).toBe(12);
    } finally {
      await again.close();
    }
  });

  it('the STAN store keeps its own value when it is ahead, across the 999999 wrap too', async () => {
    const j = ctx.journal;
    await j.create(newSale({ stan: '999998' }));
    await j.stanStore().put(3); // wrapped past the newest record: the counter is ahead
    expect(await j.stanStore().get()).toBe(3);
    await j.stanStore().put(999_990); // behind the newest record (a lost put): the record wins
    expect(await j.stanStore().get()).toBe(999_998);
  });
});
