// Loyalty points end to end: the acquirer awards them (double on the birthday card), the LCD shows them, the customer copy prints them.
import { Harness } from './harness';

const BIRTHDAY_TRACK2 = ';4000000000000069=30121010000000000000?';

describe('loyalty points (积分)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(async () => {
    await h.stop();
  });

  test('a sale earns one point per whole yuan: on the record, on the LCD, on the customer copy only', async () => {
    const answer = h.startTxn({ reference: 'PTS-1', type: 'sale', amount: 1299 });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe();
    await h.pin();
    expect(await h.waitLcd(/^POINTS/)).toEqual(['APPROVED', expect.stringMatching(/^AUTH /), 'CNY 12.99', 'POINTS +12 BAL 12']);
    expect((await answer).body.status).toBe('approved');
    await h.waitIdle();
    expect(await h.terminal.money.journal.byReference('PTS-1')).toMatchObject({ points: { earned: 12, balance: 12 } });
    const [merchant, customer] = await h.receipts();
    expect(merchant.text).not.toContain('POINTS');
    expect(customer.text).toMatch(/POINTS EARNED +\+12/);
    expect(customer.text).toMatch(/POINTS BALANCE +12/);
  });

  test('the birthday card earns double; a refund takes points back', async () => {
    await h.cardTxn({ reference: 'BDAY-1', type: 'sale', amount: 5000 }, { track2: BIRTHDAY_TRACK2 });
    expect(await h.terminal.money.journal.byReference('BDAY-1')).toMatchObject({ points: { earned: 100, balance: 100 } });
    await h.referencedTxn({ reference: 'BDAY-R', type: 'refund', amount: 1000, original: { reference: 'BDAY-1' } });
    expect(await h.terminal.money.journal.byReference('BDAY-R')).toMatchObject({ points: { earned: -20, balance: 80 } });
    expect((await h.receipts()).at(-1)!.text).toMatch(/POINTS EARNED +-20/);
  });
});
