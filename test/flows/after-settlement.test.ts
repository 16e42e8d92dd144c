// The day's boundary: refunds and completions after settlement take the card again (matched to the original, verified
// by the host), cumulative limits hold across batches, a settled sale cannot be voided.
import { GOOD_TRACK2, Harness } from './harness';

/** Same first 6 / last 4 as the test card, other middle digits (Luhn-valid): only the host can tell them apart. */
const LOOKALIKE_TRACK2 = ';4761731000090010=30121010000000000000?';
const OTHER_CARD_TRACK2 = ';5454545454545454=30121010000000000000?';

describe('refunds and completions after settlement', () => {
  let h: Harness;
  beforeEach(async () => (h = await Harness.start()));
  afterEach(async () => h.stop());

  async function settle() {
    const s = await h.call('POST', '/v1/settlement', {});
    expect(s.body).toMatchObject({ status: 'settled' });
  }

  test('refund of yesterday\'s sale asks for the card, takes no PIN, and the refund limit spans batches', async () => {
    await h.cardTxn({ reference: 'Y-SALE', type: 'sale', amount: 5000 });
    await h.referencedTxn({ reference: 'Y-R1', type: 'refund', amount: 1000, original: { reference: 'Y-SALE' } });
    await settle();
    expect((await h.terminal.money.journal.byReference('Y-SALE'))?.sealed).toBeUndefined();

    const answer = h.startTxn({ reference: 'T-R2', type: 'refund', amount: 2500, original: { reference: 'Y-SALE' } });
    await h.waitLcd(/^SWIPE CARD$/);
    expect((await h.txn('T-R2')).body.status).toBe('in-progress');
    await h.swipe(OTHER_CARD_TRACK2);
    expect(await h.waitLcd(/^NOT THE SAME CARD$/)).toEqual(['REFUND', 'CNY 25.00', 'NOT THE SAME CARD', 'CANCEL=STOP']);
    await h.swipe(GOOD_TRACK2);
    const r = await answer;
    await h.waitIdle();
    expect(r.body).toMatchObject({ status: 'approved', type: 'refund', batch: '000002', maskedPan: '476173******0010' });
    expect(await h.terminal.money.journal.byReference('T-R2')).toMatchObject({ entryMode: '022', pinEntered: false });
    expect((await h.ledger('T-R2'))[0]).toMatchObject({ kind: 'refund', status: 'approved', amount: 2500 });
    expect(await h.terminal.money.journal.byReference('Y-SALE')).toMatchObject({ refunded: 3500 });

    const over = await h.startTxn({ reference: 'T-R3', type: 'refund', amount: 1501, original: { reference: 'Y-SALE' } });
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ error: 'amount-exceeds' });
    const v = await h.startTxn({ reference: 'T-V', type: 'void', original: { reference: 'Y-SALE' } });
    expect(v.status).toBe(422);
    expect(v.body.message).toMatch(/already settled: refund it instead/);
  });

  test('the host verifies the card: same masked PAN, another card → declined 56, nothing refunded', async () => {
    await h.cardTxn({ reference: 'L-SALE', type: 'sale', amount: 3000 });
    await settle();
    const answer = h.startTxn({ reference: 'L-R', type: 'refund', amount: 1000, original: { reference: 'L-SALE' } });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe(LOOKALIKE_TRACK2);
    const r = await answer;
    await h.waitIdle();
    expect(r.body).toMatchObject({ status: 'declined', responseCode: '56' });
    expect(await h.terminal.money.journal.byReference('L-SALE')).not.toHaveProperty('refunded');
  });

  test('completion of a pre-authorisation from an earlier batch, with the card', async () => {
    await h.cardTxn({ reference: 'P-HOLD', type: 'preauth', amount: 8000 });
    await h.cardTxn({ reference: 'P-SALE', type: 'sale', amount: 100 });
    await settle();
    const answer = h.startTxn({ reference: 'P-DONE', type: 'completion', amount: 7500, original: { reference: 'P-HOLD' } });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe(GOOD_TRACK2);
    const r = await answer;
    await h.waitIdle();
    expect(r.body).toMatchObject({ status: 'approved', type: 'completion', batch: '000002' });
    expect((await h.ledger('P-DONE'))[0]).toMatchObject({ kind: 'completion', status: 'approved', amount: 7500 });
    expect(await h.terminal.money.journal.byReference('P-HOLD')).toMatchObject({ completed: 7500 });
  });
});
