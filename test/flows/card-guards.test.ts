// Checks before anything is sent: duplicate guard, expired and non-Luhn cards, chip cards swiped (fallback or refused).
import { BAD_LUHN_TRACK2, CHIP_TRACK2, EXPIRED_TRACK2, Harness } from './harness';

describe('duplicate guard and card checks (policy: fallback)', () => {
  let h: Harness;
  beforeEach(async () => {
    // Issue 11: chip cards swiped are refused by default; fallback only when the board says so.
    h = await Harness.start({ policy: { chipCardSwiped: 'fallback' } });
  });
  afterEach(async () => {
    await h.stop();
  });

  test('the duplicate guard spans a settlement: the same card and amount just after the batch closed still asks', async () => {
    await h.cardTxn({ reference: 'DUPS-1', type: 'sale', amount: 2999 });
    expect((await h.call('POST', '/v1/settlement', {})).body).toMatchObject({ status: 'settled', nextBatch: '000002' });
    const again = h.startTxn({ reference: 'DUPS-2', type: 'sale', amount: 2999 });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe();
    await h.waitLcd(/POSSIBLE DUPLICATE/);
    await h.keys('CANCEL');
    expect((await again).body).toMatchObject({ status: 'cancelled', batch: '000002' });
  });

  test('same card and amount again: POSSIBLE DUPLICATE; CANCEL is not charged, OK goes on to the PIN and is charged', async () => {
    await h.cardTxn({ reference: 'DUP-1', type: 'sale', amount: 1999 });

    const second = h.startTxn({ reference: 'DUP-2', type: 'sale', amount: 1999 });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe();
    expect(await h.waitLcd(/POSSIBLE DUPLICATE/)).toEqual(['POSSIBLE DUPLICATE', 'SAME CARD & AMOUNT', 'OK=CONTINUE', 'CANCEL=STOP']);
    expect(h.terminal.controls.pinScreen!().prompting).toBe(false);
    await h.keys('CANCEL');
    expect((await second).body).toMatchObject({ reference: 'DUP-2', status: 'cancelled', reason: 'operator declined a possible duplicate' });
    await h.waitIdle();
    expect(h.hostRequests).toEqual(['0200 DUP-1']);
    expect((await h.ledger()).map((e) => e.reference)).toEqual(['DUP-1']);

    const third = h.startTxn({ reference: 'DUP-3', type: 'sale', amount: 1999 });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe();
    await h.waitLcd(/POSSIBLE DUPLICATE/);
    await h.keys('OK');
    await h.waitLcd(/^ENTER PIN ON PAD$/);
    await h.pin();
    expect((await third).body).toMatchObject({ reference: 'DUP-3', status: 'approved' });
    await h.waitIdle();
    expect((await h.ledger()).map((e) => [e.reference, e.status, e.amount])).toEqual([
      ['DUP-1', 'approved', 1999],
      ['DUP-3', 'approved', 1999],
    ]);

    // Another amount is no duplicate: straight to the PIN.
    expect((await h.cardTxn({ reference: 'DUP-4', type: 'sale', amount: 2000 })).body.status).toBe('approved');
  });

  test.each([
    ['expired card', EXPIRED_TRACK2, 'CARD EXPIRED'],
    ['PAN failing Luhn', BAD_LUHN_TRACK2, 'INVALID CARD'],
  ])('%s: the LCD says so and waits for another swipe; nothing is sent', async (_name, track2, words) => {
    const answer = h.startTxn({ reference: 'CHK-1', type: 'sale', amount: 3100 });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe(track2);
    expect(await h.waitLcd(new RegExp(`^${words}$`))).toEqual(['SALE', 'CNY 31.00', words, 'CANCEL=STOP']);
    expect(h.terminal.controls.pinScreen!().prompting).toBe(false);
    expect(h.hostRequests).toEqual([]);
    expect(await h.terminal.money.journal.byReference('CHK-1')).toMatchObject({ state: 'created' });
    expect((await h.terminal.money.journal.byReference('CHK-1'))?.maskedPan).toBeUndefined();

    await h.swipe();
    await h.pin();
    expect((await answer).body).toMatchObject({ status: 'approved', maskedPan: '476173******0010' });
    await h.waitIdle();
    expect(await h.ledger()).toHaveLength(1);
  });

  test('chip card swiped with policy fallback: entry mode 801 with PIN, 802 without', async () => {
    const a = await h.cardTxn({ reference: 'FB-1', type: 'sale', amount: 4100 }, { track2: CHIP_TRACK2 });
    expect(a.body.status).toBe('approved');
    const b = await h.cardTxn({ reference: 'FB-2', type: 'sale', amount: 4200 }, { track2: CHIP_TRACK2, pin: 'bypass' });
    expect(b.body.status).toBe('approved');
    expect((await h.ledger()).map((e) => [e.reference, e.entryMode, e.status])).toEqual([
      ['FB-1', '801', 'approved'],
      ['FB-2', '802', 'approved'],
    ]);
    expect(await h.terminal.money.journal.byReference('FB-1')).toMatchObject({ entryMode: '801', pinEntered: true });
    const slips = await h.receipts();
    expect(slips[0].text).toMatch(/ENTRY\s+FALLBACK SWIPE\+PIN\n/);
    expect(slips[2].text).toMatch(/ENTRY\s+FALLBACK SWIPE\n/);
  });
});

describe('chip card swiped with policy refuse', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start(); // the default policy: use the chip
  });
  afterAll(async () => {
    await h.stop();
  });

  test('refused: CHIP CARD: INSERT, nothing sent; a magstripe-only card still works', async () => {
    const answer = h.startTxn({ reference: 'CHIP-1', type: 'sale', amount: 5100 });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe(CHIP_TRACK2);
    expect(await h.waitLcd(/^CHIP CARD: INSERT$/)).toEqual(['SALE', 'CNY 51.00', 'CHIP CARD: INSERT', 'CANCEL=STOP']);
    expect(h.terminal.controls.pinScreen!().prompting).toBe(false);
    await h.keys('CANCEL');
    expect((await answer).body).toMatchObject({ status: 'cancelled', reason: 'cancelled before the card was read' });
    await h.waitIdle();
    expect(h.hostRequests).toEqual([]);
    expect(await h.ledger()).toEqual([]);

    expect((await h.cardTxn({ reference: 'CHIP-2', type: 'sale', amount: 5200 })).body.status).toBe('approved');
    expect((await h.ledger()).map((e) => [e.reference, e.entryMode])).toEqual([['CHIP-2', '021']]);
  });
});
