// The duplicate guard's memory: same card and amount within the window, still standing, across batches; simulated time.
import { FakeClock } from '../common/clock';
import { DuplicateGuard } from './duplicate-guard';
import { newSale, openJournal } from './money.fixtures';
import type { Journal } from '../journal/journal';

async function approvedSale(journal: Journal, over: Parameters<typeof newSale>[0] = {}) {
  const r = await journal.create(newSale(over));
  await journal.update(r.id, { state: 'sending' });
  return journal.update(r.id, { state: 'approved', wasApproved: true });
}

describe('DuplicateGuard', () => {
  let ctx: Awaited<ReturnType<typeof openJournal>>;
  let clock: FakeClock;
  beforeEach(async () => {
    clock = new FakeClock(Date.now());
    ctx = await openJournal();
  });
  afterEach(async () => ctx.cleanup());

  it('matches the same card and amount within the window only, whatever the batch', async () => {
    const guard = new DuplicateGuard(ctx.journal, clock, 120);
    const first = await approvedSale(ctx.journal, { amount: 1000, batch: '000001' });
    guard.note(first);
    const again = await ctx.journal.create(newSale({ amount: 1000, batch: '000002' }));
    expect(await guard.matches(again)).toBe(true);
    expect(await guard.matches(await ctx.journal.create(newSale({ amount: 1001 })))).toBe(false);
    await clock.advance(121_000);
    expect(await guard.matches(again)).toBe(false);
  });

  it('a voided or reversed sale no longer counts; declines and other types never do', async () => {
    const guard = new DuplicateGuard(ctx.journal, clock, 120);
    const sale = await approvedSale(ctx.journal);
    guard.note(sale);
    guard.note({ ...sale, id: 'X', type: 'preauth' });
    guard.note({ ...sale, id: 'Y', wasApproved: false });
    await ctx.journal.update(sale.id, {}, { others: [{ ...sale, voidedBy: 'V' }] });
    expect(await guard.matches(await ctx.journal.create(newSale()))).toBe(false);
  });

  it('rebuilds its memory from the journal at boot; a zero window turns it off', async () => {
    const sale = await approvedSale(ctx.journal);
    const guard = new DuplicateGuard(ctx.journal, clock, 120);
    await guard.load();
    expect(await guard.matches(await ctx.journal.create(newSale()))).toBe(true);
    const off = new DuplicateGuard(ctx.journal, clock, 0);
    await off.load();
    off.note(sale);
    expect(off.enabled).toBe(false);
    expect(await off.matches(await ctx.journal.create(newSale()))).toBe(false);
  });
});

describe('DuplicateGuard keys and restarts', () => {
  let ctx: Awaited<ReturnType<typeof openJournal>>;
  let clock: FakeClock;
  beforeEach(async () => {
    clock = new FakeClock(1_700_000_000_000);
    ctx = await openJournal();
    (ctx.journal as unknown as { now: () => Date }).now = () => new Date(clock.now());
  });
  afterEach(async () => ctx.cleanup());

  it('keeps no tag in the journal: the records hold the masked PAN and sealed data only', async () => {
    const guard = new DuplicateGuard(ctx.journal, clock, 120);
    const sale = await approvedSale(ctx.journal);
    guard.note(sale);
    const stored = (await ctx.journal.get(sale.id))!;
    expect(stored.cardTag).toBeUndefined();
    expect(Object.keys(stored).filter((k) => /tag|hash/i.test(k))).toEqual([]);
  });

  it('wipes a key once every sale it tagged has left the window', async () => {
    const guard = new DuplicateGuard(ctx.journal, clock, 120);
    guard.note(await approvedSale(ctx.journal));
    const [first] = guard.liveEpochs();
    await clock.advance(130_000);
    guard.note(await approvedSale(ctx.journal, { amount: 2000 }));
    expect(guard.liveEpochs()).toContain(first); // the first sale's epoch may still hold sales of the window
    await clock.advance(240_000);
    expect(await guard.matches(await ctx.journal.create(newSale({ amount: 2000 })))).toBe(false);
    expect(guard.liveEpochs()).not.toContain(first);
    expect(guard.liveEpochs().every((e) => e >= Math.floor((clock.now() - 120_000) / 120_000))).toBe(true);
  });

  it('after a restart remembers the open batch only: a closed batch took its card data with it', async () => {
    const sale = await approvedSale(ctx.journal);
    const rebooted = new DuplicateGuard(ctx.journal, clock, 120);
    await rebooted.load();
    expect(await rebooted.matches(await ctx.journal.create(newSale()))).toBe(true);
    const totals = { debitCount: 1, debitAmount: 1000, creditCount: 0, creditAmount: 0 };
    await ctx.journal.closeBatch({ batch: '000001', totals, uploaded: false, responseCode: '00', settledAt: 'x', byType: {}, byScheme: {} }, [sale]);
    const afterSettlement = new DuplicateGuard(ctx.journal, clock, 120);
    await afterSettlement.load();
    expect(await afterSettlement.matches(await ctx.journal.create(newSale({ batch: '000002' })))).toBe(false);
    // Without a restart the memory spans the settlement.
    await rebooted.load();
    expect(await rebooted.matches(await ctx.journal.create(newSale({ batch: '000002' })))).toBe(true);
  });
});
