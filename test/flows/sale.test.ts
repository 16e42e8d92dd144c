// ECR-driven card sales end to end: PIN and bypass, balance inquiry (PIN required), host declines; journal, receipts and ledger.
import { GOOD_PAN, Harness } from './harness';

const MASKED = '476173******0010';

describe('sale and balance from the ECR', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(async () => {
    await h.stop();
  });

  test('sale with PIN: approved, two slips, one approved ledger entry with the ECR reference', async () => {
    const r = await h.cardTxn({ reference: 'SALE-1', type: 'sale', amount: 1234 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ reference: 'SALE-1', type: 'sale', status: 'approved', amount: 1234, currency: 'CNY', responseCode: '00', stan: expect.stringMatching(/^\d{6}$/), batch: '000001', maskedPan: MASKED, reversal: null });
    expect(r.body.rrn).toMatch(/^\d{12}$/);
    expect(r.body.authCode).toMatch(/^[0-9A-Z]{6}$/);
    expect((await h.txn('SALE-1')).body).toMatchObject({ status: 'approved', rrn: r.body.rrn, authCode: r.body.authCode });

    const rec = await h.terminal.money.journal.byReference('SALE-1');
    expect(rec).toMatchObject({ state: 'completed', wasApproved: true, pinEntered: true, entryMode: '021', receipt: { merchant: 'printed', customer: 'printed', reprints: 0 } });

    const slips = await h.receipts();
    expect(slips.map((s) => s.complete)).toEqual([true, true]);
    expect(slips[0].text).toContain('MERCHANT COPY');
    expect(slips[1].text).toContain('CUSTOMER COPY');
    for (const s of slips) {
      expect(s.text).toContain(MASKED);
      expect(s.text).toContain('TYPE: SALE');
      expect(s.text).toContain('CNY 12.34');
      expect(s.text).toContain(r.body.rrn);
      expect(s.text).toContain(r.body.authCode);
      expect(s.text).toContain('SWIPE+PIN');
      expect(s.text).not.toContain(GOOD_PAN);
      expect(s.text).not.toContain('DUPLICATE');
    }

    const ledger = await h.ledger();
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ reference: 'SALE-1', kind: 'sale', status: 'approved', amount: 1234, responseCode: '00', entryMode: '021', stan: r.body.stan, batch: '000001', rrn: r.body.rrn, authCode: r.body.authCode, maskedPan: MASKED });
  });

  test('sale with PIN bypass, then a balance inquiry that refuses bypass and takes a PIN', async () => {
    const sale = await h.cardTxn({ reference: 'SALE-NOPIN', type: 'sale', amount: 1234 }, { pin: 'bypass' });
    expect(sale.body).toMatchObject({ status: 'approved', responseCode: '00' });
    expect(await h.terminal.money.journal.byReference('SALE-NOPIN')).toMatchObject({ pinEntered: false, entryMode: '022' });
    const [saleSlip] = await h.receipts();
    expect(saleSlip.text).toMatch(/ENTRY\s+SWIPE\n/);
    expect((await h.ledger('SALE-NOPIN'))[0]).toMatchObject({ status: 'approved', entryMode: '022', amount: 1234 });

    const answer = h.startTxn({ reference: 'BAL-1', type: 'balance' });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe();
    await h.waitLcd(/^PIN REQUIRED$/);
    const refused = await h.bypass();
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/bypass is not allowed/);
    expect(await h.terminal.money.journal.byReference('BAL-1')).toMatchObject({ state: 'created' });
    expect(await h.ledger('BAL-1')).toEqual([]);
    expect((await h.pin()).status).toBe(200);
    const bal = await answer;
    await h.waitIdle();
    // Opening balance 1,000,000.00 less the 12.34 sale.
    expect(bal.body).toMatchObject({ reference: 'BAL-1', type: 'balance', status: 'approved', responseCode: '00', balance: '999987.66', amount: 0 });
    expect(await h.lcd()).toEqual(['BALANCE', '999987.66', 'APPROVED', '']);
    expect(await h.receipts()).toHaveLength(2); // no slip for a balance inquiry
    const ledger = await h.ledger('BAL-1');
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ kind: 'balance', status: 'approved', entryMode: '021', amount: 0 });
  });

  test.each([
    ['insufficient funds (amount ending 51)', 1051, '1234', '51', 'INSUFFICIENT FUNDS'],
    ['wrong PIN (amount ending 55)', 2055, '1234', '55', 'WRONG PIN'],
    ['wrong PIN typed', 3000, '9999', '55', 'WRONG PIN'],
    ['do not honour (amount ending 05)', 4005, '1234', '05', 'DECLINED'],
  ])('host decline: %s → declined, no slip, declined ledger entry', async (_name, amount, pin, code, words) => {
    const r = await h.cardTxn({ reference: `DECL-${amount}`, type: 'sale', amount }, { pin });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'declined', responseCode: code, authCode: null, reversal: null });
    expect(r.body.receipt).toBeUndefined();
    expect(await h.lcd()).toEqual([`DECLINED ${code}`, words, '', '']);
    expect(await h.terminal.money.journal.byReference(`DECL-${amount}`)).toMatchObject({ state: 'completed', responseCode: code });
    expect(await h.receipts()).toEqual([]);
    const ledger = await h.ledger();
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ reference: `DECL-${amount}`, status: 'declined', responseCode: code, authCode: null });
  });
});
