// C扫B (二维码收款): the terminal creates an order and shows an EMVCo QR; the customer pays it (/wallet/pay); expiry and
// cancel close the order; a payment landing as the order closes is a late payment, refunded at once, never kept silently.
import { FakeClock } from '../../firmware/common/clock';
import { checkCrc, parseMerchantQr } from '../../firmware/qr/emvco';
import { Harness, waitFor } from './harness';

describe('QR payment, customer scans the terminal (C扫B)', () => {
  let h: Harness;
  afterEach(async () => h.stop());

  async function present(reference: string, amount: number, extra: Record<string, unknown> = {}) {
    const answer = h.startTxn({ reference, type: 'qr-present', amount, ...extra });
    const view = await waitFor('the QR shown', async () => {
      const v = (await h.txn(reference)).body;
      return v?.qr?.payload ? v : undefined;
    });
    return { answer, view };
  }

  test('the QR is EMVCo (dynamic, amount, bill number = reference, CRC), printed on a text display, paid by the customer', async () => {
    h = await Harness.start();
    const { answer, view } = await present('CB-1', 4321, { wallet: 'alipay' });
    expect(view).toMatchObject({ status: 'in-progress', qr: { wallet: 'alipay' } });
    const qr = parseMerchantQr(view.qr.payload);
    expect(qr).toMatchObject({ pointOfInitiation: 'dynamic', amount: '43.21', currencyNumeric: '156', countryCode: 'CN', merchantName: 'POSFW DEMO STORE', merchantCity: 'SHANGHAI', mcc: '5411' });
    expect(qr.additionalData).toMatchObject({ billNumber: 'CB-1', terminalLabel: 'SIM00001' });
    expect(checkCrc(view.qr.payload).ok).toBe(true);
    expect(await h.waitLcd(/^SCAN TO PAY ALIPAY$/)).toEqual(['QR PAYMENT', 'CNY 43.21', 'SCAN TO PAY ALIPAY', expect.stringMatching(/^CANCEL=STOP \d:\d\d$/)]);
    await waitFor('the QR slip', async () => (await h.receipts()).some((s) => s.text.includes('SCAN TO PAY')));
    const pay = await h.call('POST', `${h.adminUrl}/wallet/pay`, { payload: view.qr.payload });
    expect(pay.body).toMatchObject({ paid: 'now', reference: 'CB-1', amount: 4321 });
    const r = await answer;
    await h.waitIdle();
    expect(r.body).toMatchObject({ status: 'approved', type: 'qr-present', responseCode: '00', qr: { wallet: 'alipay' } });
    expect((await h.ledger('CB-1'))[0]).toMatchObject({ kind: 'qr-present', status: 'approved', amount: 4321 });
    expect((await h.receipts()).filter((s) => s.text.includes('ALIPAY') && s.text.includes('COPY'))).toHaveLength(2);
  });

  test("an ECR's repeat while the customer pays waits for the outcome like the first request, not answering at once", async () => {
    h = await Harness.start();
    const { view } = await present('CB-R', 1500);
    let repeated = false;
    const repeat = h.startTxn({ reference: 'CB-R', type: 'qr-present', amount: 1500, wait: 60 }).finally(() => (repeated = true));
    await new Promise((r) => setTimeout(r, 300)); // the repeat is at the terminal, waiting
    expect(repeated).toBe(false);
    await h.call('POST', `${h.adminUrl}/wallet/pay`, { payload: view.qr.payload });
    expect((await repeat).body).toMatchObject({ status: 'approved', reference: 'CB-R' });
  });

  test('expiry closes the order: cancelled, nothing charged; a cancel from the ECR closes it at once', async () => {
    const clock = new FakeClock(Date.now());
    h = await Harness.start({ clock });
    const a = await present('CB-2', 500, { expiresInSec: 30 });
    for (let i = 0; i < 40 && (await h.txn('CB-2')).body.status === 'in-progress'; i++) await clock.advance(1000);
    expect((await a.answer).body).toMatchObject({ status: 'cancelled', reason: 'expired' });
    expect((await h.ledger('CB-2'))[0]).toMatchObject({ status: 'closed' });
    await h.waitIdle();

    const b = await present('CB-3', 600);
    const c = await h.cancel('CB-3');
    expect(c.body).toMatchObject({ status: 'cancelled', reason: 'cancelled by the ECR' });
    expect((await b.answer).body.status).toBe('cancelled');
    expect((await h.ledger('CB-3'))[0]).toMatchObject({ status: 'closed' });
  });

  test('a payment landing as the order closes is refunded at once: the ECR is told cancelled, the host nets zero', async () => {
    h = await Harness.start();
    const { answer, view } = await present('CB-4', 2000);
    await h.call('POST', `${h.adminUrl}/wallet/pay`, { payload: view.qr.payload, atClose: true });
    await h.keys('CANCEL');
    const r = await answer;
    await h.waitIdle();
    expect(r.body).toMatchObject({ status: 'cancelled', reason: 'paid as the order closed; refunded', qr: { latePayment: { refund: 'CB-4-LATE' } } });
    const refund = await waitFor('the late refund approved', async () => {
      const v = (await h.txn('CB-4-LATE')).body;
      return v?.status === 'approved' ? v : undefined;
    });
    expect(refund).toMatchObject({ type: 'refund', status: 'approved', amount: 2000, original: 'CB-4' });
    const ledger = (await h.ledger()).filter((e) => e.reference?.startsWith('CB-4'));
    expect(ledger.map((e) => [e.kind, e.status, e.amount])).toEqual([['qr-present', 'approved', 2000], ['refund', 'approved', 2000]]);
    await waitFor('the late refund slip', async () => (await h.receipts()).some((s) => s.text.includes('LATE PAYMENT REFUNDED')));
    const totals = (await h.call('POST', '/v1/settlement', {})).body;
    expect(totals).toMatchObject({ status: 'settled', totals: { debitCount: 1, debitAmount: 2000, creditCount: 1, creditAmount: 2000 } });
  });

  test('QR payments are refunded and voided without a card, and settle per wallet', async () => {
    h = await Harness.start();
    const a = await present('CB-5', 3000, { wallet: 'wechat' });
    await h.call('POST', `${h.adminUrl}/wallet/pay`, { payload: a.view.qr.payload });
    await a.answer;
    await h.waitIdle();
    const refund = await h.referencedTxn({ reference: 'CB-5-R', type: 'refund', amount: 1000, original: { reference: 'CB-5' } });
    expect(refund.body).toMatchObject({ status: 'approved', qr: { wallet: 'wechat' } });
    const b = await present('CB-6', 800, { wallet: 'alipay' });
    await h.call('POST', `${h.adminUrl}/wallet/pay`, { payload: b.view.qr.payload });
    await b.answer;
    await h.waitIdle();
    expect((await h.referencedTxn({ reference: 'CB-6-V', type: 'void', original: { reference: 'CB-6' } })).body.status).toBe('approved');
    expect((await h.txn('CB-6')).body.status).toBe('voided');
    const s = await h.call('POST', '/v1/settlement', {});
    expect(s.body).toMatchObject({ status: 'settled', totals: { debitCount: 1, debitAmount: 3000, creditCount: 1, creditAmount: 1000 } });
    const report = (await h.call('GET', '/v1/reports/settlement?batch=1')).body;
    expect(report.byScheme).toEqual({ WECHAT: { count: 2, amount: 2000 } });
    const host = (await h.call('GET', `${h.adminUrl}/totals`)).body.totals[0];
    expect(host.byWallet).toEqual({ wechat: { debitCount: 1, debitAmount: 3000, creditCount: 1, creditAmount: 1000 } });
  });
});
