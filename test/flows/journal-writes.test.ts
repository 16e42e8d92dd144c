// Journal write points at the physical limit: an approved ECR card sale costs exactly two synced writes (docs/money-safety.md).
import { Harness } from './harness';

describe('synced journal writes per transaction', () => {
  let h: Harness;
  beforeEach(async () => (h = await Harness.start()));
  afterEach(async () => h.stop());

  const synced = () => h.terminal.money.journal.stats.syncedWrites;

  test('approved sale: two (the record before the request leaves, the outcome before anything is shown)', async () => {
    const before = synced();
    const r = await h.cardTxn({ reference: 'W-1', type: 'sale', amount: 1234 });
    expect(r.body.status).toBe('approved');
    expect(synced() - before).toBe(2);
    expect(await h.terminal.money.journal.byReference('W-1')).toMatchObject({ state: 'completed', receipt: { merchant: 'printed', customer: 'printed' } });
  });

  test('declined sale: two; a void of the approved sale: two, the original updated in the same write', async () => {
    await h.cardTxn({ reference: 'W-2', type: 'sale', amount: 2000 });
    let before = synced();
    expect((await h.cardTxn({ reference: 'W-3', type: 'sale', amount: 1051 })).body.status).toBe('declined');
    expect(synced() - before).toBe(2);
    before = synced();
    expect((await h.referencedTxn({ reference: 'W-4', type: 'void', original: { reference: 'W-2' } })).body.status).toBe('approved');
    expect(synced() - before).toBe(2);
    expect((await h.txn('W-2')).body.status).toBe('voided');
  });

  test('cancelled before anything was sent: no synced write at all', async () => {
    const before = synced();
    const a = h.startTxn({ reference: 'W-5', type: 'sale', amount: 100 });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.cancel('W-5');
    expect((await a).body.status).toBe('cancelled');
    expect(synced() - before).toBe(0);
  });
});
