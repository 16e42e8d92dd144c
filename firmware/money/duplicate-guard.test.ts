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
