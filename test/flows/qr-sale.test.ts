// B扫C (付款码): the cashier scans the customer's payment code; magic codes drive the wallet; confirming is queried,
// a deadline revokes, a lost answer is queried then revoked; never two charges, never a payment the ECR was told failed.
import { FakeClock } from '../../firmware/common/clock';
import { Harness, waitFor } from './harness';

const WECHAT = (suffix: string) => `1345678901234${suffix.padStart(5, '0')}`; // 18 digits starting 13
const ALIPAY = (suffix: string) => `287654321012345${suffix}`; // 19 digits starting 28

describe('QR sale, merchant scans the customer (B扫C)', () => {
  let h: Harness;
  afterEach(async () => h.stop());

  async function scanSale(reference: string, amount: number, code: string, opts: { wait?: boolean } = {}) {
    const answer = h.startTxn({ reference, type: 'qr-sale', amount, ...(opts.wait === false ? { wait: 0 } : {}) });
    await h.waitLcd(/^SCAN PAYMENT CODE$/);
    expect((await h.call('POST', '/sim/scan', { data: code })).status).toBe(200);
    return answer;
  }

  test('a code ending 0000 pays at once: approved, wallet, masked code and order on the ECR view and both slips', async () => {
    h = await Harness.start();
    const r = await scanSale('QR-1', 2500, WECHAT('0000'));
    await h.waitIdle();
    expect(r.body).toMatchObject({ status: 'approved', type: 'qr-sale', amount: 2500, qr: { wallet: 'wechat', maskedCode: '1345**********0000' } });
    expect(r.body.qr.order).toMatch(/^WE\d+/);
    expect(JSON.stringify(r.body)).not.toContain(WECHAT('0000'));
    const slips = await h.receipts();
    expect(slips).toHaveLength(2);
    expect(slips[0].text).toContain('WECHAT PAY');
    expect(slips[0].text).toContain('1345**********0000');
    expect(slips[0].text).toContain(r.body.qr.order);
    expect(slips[0].text).toContain('QR CODE');
    expect((await h.ledger('QR-1'))[0]).toMatchObject({ kind: 'qr-sale', status: 'approved', amount: 2500 });
    expect(h.logLines.join('\n')).not.toContain(WECHAT('0000'));
  });

  test('not a payment code: a clear rescan prompt, nothing sent; control characters refused too', async () => {
    h = await Harness.start();
    const answer = h.startTxn({ reference: 'QR-BAD', type: 'qr-sale', amount: 100 });
    await h.waitLcd(/^SCAN PAYMENT CODE$/);
    await h.call('POST', '/sim/scan', { data: '9912345678901234' });
    expect(await h.waitLcd(/^NOT A PAYMENT CODE$/)).toEqual(['QR SALE', 'CNY 1.00', 'NOT A PAYMENT CODE', 'CANCEL=STOP']);
    await h.call('POST', '/sim/scan', { data: '1345678901234\u000700000' });
    await h.waitLcd(/^SCAN AGAIN$/);
    expect(h.hostRequests).toEqual([]);
    await h.scan(WECHAT('0000'));
    expect((await answer).body.status).toBe('approved');
  });

  test('0001 confirms twice, then pays: the terminal queries until paid', async () => {
    h = await Harness.start();
    const answer = scanSale('QR-2', 1800, WECHAT('0001'));
    await h.waitLcd(/^CUSTOMER CONFIRMING$/);
    expect((await h.txn('QR-2')).body).toMatchObject({ status: 'in-progress' });
    const r = await answer;
    await h.waitIdle();
    expect(r.body).toMatchObject({ status: 'approved', responseCode: '00' });
    expect((await h.ledger('QR-2'))[0]).toMatchObject({ status: 'approved' });
  }, 20000);

  test('0051 insufficient funds: declined, nothing to revoke', async () => {
    h = await Harness.start();
    const r = await scanSale('QR-3', 900, ALIPAY('0051'));
    await h.waitIdle();
    expect(r.body).toMatchObject({ status: 'declined', responseCode: '51', qr: { wallet: 'alipay' } });
  });

  test('0002 confirms for ever: revoked at the deadline, not charged; CANCEL revokes at once', async () => {
    const clock = new FakeClock(Date.now());
    h = await Harness.start({ clock, policy: { qr: { confirmSec: 30 } } });
    const a = scanSale('QR-4', 700, WECHAT('0002'));
    await h.waitLcd(/^CUSTOMER CONFIRMING$/);
    for (let i = 0; i < 40 && (await h.txn('QR-4')).body.status === 'in-progress'; i++) await clock.advance(1000);
    const r = await a;
    expect(r.body).toMatchObject({ status: 'failed', reason: expect.stringMatching(/revoked: expired/) });
    await waitFor('revoke acknowledged', async () => (await h.txn('QR-4')).body.reversal === 'done' || (await clock.advance(1000), false));
    expect((await h.ledger('QR-4'))[0]).toMatchObject({ status: 'reversed' });

    const b = scanSale('QR-5', 800, WECHAT('0002'));
    await h.waitLcd(/^CUSTOMER CONFIRMING$/);
    await h.keys('CANCEL');
    expect((await b).body).toMatchObject({ status: 'failed', reason: 'revoked: cancelled by the operator' });
  }, 30000);

  test('0091 never answers: queried, then revoked at the deadline; the ECR is never told approved', async () => {
    const clock = new FakeClock(Date.now());
    h = await Harness.start({ clock, host: { responseTimeoutMs: 500 }, policy: { qr: { confirmSec: 20 } } });
    const a = scanSale('QR-6', 600, WECHAT('0091'));
    await h.waitLcd(/^CUSTOMER CONFIRMING$|^PROCESSING...$/);
    for (let i = 0; i < 60 && (await h.txn('QR-6')).body.status === 'in-progress'; i++) await clock.advance(1000);
    expect((await a).body).toMatchObject({ status: 'failed' });
    await waitFor('revoke acknowledged', async () => (await h.txn('QR-6')).body.reversal === 'done' || (await clock.advance(1000), false), 15000);
    const sent = h.hostRequests.filter((m) => m.endsWith('QR-6'));
    expect(sent[0]).toBe('0200 QR-6');
    expect(sent.at(-1)).toMatch(/^040[01] QR-6$/);
    expect((await h.ledger('QR-6'))[0]).toMatchObject({ status: 'reversed' });
  }, 60000);
});
