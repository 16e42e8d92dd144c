// Receipt layout: transaction types in words, masked PAN, copy and duplicate marks, English and Chinese.
import { buildReceipt, formatAmount, hasReceipt } from './receipt';
import { renderText } from '../hal/printer/receipt-doc';
import type { TxnRecord } from '../journal/types';
import { loadBoard } from '../board/load';
import { join } from 'node:path';

const terminal = loadBoard(join(__dirname, '..', '..', 'board-configs', 'sim.json')).terminal;

const rec = (over: Partial<TxnRecord> = {}): TxnRecord => ({
  id: '0000000001',
  reference: 'ECR-9',
  origin: 'ecr',
  type: 'sale',
  state: 'completed',
  stan: '000012',
  batch: '000003',
  amount: 12345,
  currency: 'CNY',
  currencyNumeric: '156',
  operator: '01',
  maskedPan: '476173******0010',
  entryMode: '021',
  pinEntered: true,
  rrn: '632719000001',
  authCode: 'AB12CD',
  responseCode: '00',
  reversal: null,
  wasApproved: true,
  receipt: { merchant: 'pending', customer: 'pending', reprints: 0 },
  createdAt: '2026-11-23T10:00:00.000Z',
  updatedAt: '2026-11-23T10:00:01.000Z',
  history: [{ state: 'created', at: '2026-11-23T10:00:00.000Z' }],
  ...over,
});

describe('receipts', () => {
  it('prints what the slip must carry, in English', () => {
    const text = renderText(buildReceipt(rec(), 'merchant', { terminal, language: 'en', duplicate: false }), 32);
    for (const s of ['POSFW DEMO STORE', 'MERCHANT COPY', 'SIM00001', '123456789012345', '476173******0010', 'SWIPE+PIN', 'TYPE: SALE', '000003', '000012', '632719000001', 'AB12CD', 'ECR-9', 'CNY 123.45', 'CARDHOLDER SIGNATURE']) {
      expect(text).toContain(s);
    }
    expect(text).not.toContain('DUPLICATE');
  });

  it('spells out types so a sale is never mistaken for a pre-auth or a refund', () => {
    const words = (type: TxnRecord['type']) => renderText(buildReceipt(rec({ type }), 'customer', { terminal, language: 'en', duplicate: false }), 32);
    expect(words('preauth')).toContain('TYPE: PRE-AUTHORIZATION');
    expect(words('refund')).toMatch(/TYPE: REFUND[\s\S]*CNY -123\.45/);
    expect(words('void')).toMatch(/TYPE: VOID[\s\S]*CNY -123\.45/);
    expect(words('sale')).not.toContain('CARDHOLDER SIGNATURE');
  });

  it('marks copies after the first and recovered slips', () => {
    const text = renderText(buildReceipt(rec({ recovered: true }), 'merchant', { terminal, language: 'en', duplicate: true }), 32);
    expect(text).toContain('*** DUPLICATE ***');
    expect(text).toContain('RECOVERED AFTER POWER LOSS');
  });

  it('prints Chinese labels and the Chinese merchant name', () => {
    const text = renderText(buildReceipt(rec(), 'merchant', { terminal, language: 'zh', duplicate: true }), 32);
    expect(text).toContain('演示商店');
    expect(text).toContain('消费 SALE');
    expect(text).toContain('商户存根');
    expect(text).toContain('重打印');
    expect(text).toContain('卡号');
  });

  it('formats amounts and knows which records get a slip', () => {
    expect(formatAmount(5, 'CNY')).toBe('CNY 0.05');
    expect(hasReceipt(rec())).toBe(true);
    expect(hasReceipt(rec({ type: 'balance' }))).toBe(false);
    expect(hasReceipt(rec({ state: 'declined', wasApproved: false }))).toBe(false);
  });

  it('prints the operator, and loyalty points on the customer copy only (English and Chinese)', () => {
    const withPoints = rec({ operator: '03', points: { earned: 123, balance: 4567 } });
    const customer = renderText(buildReceipt(withPoints, 'customer', { terminal, language: 'en', duplicate: false }), 32);
    expect(customer).toMatch(/OPERATOR +03/);
    expect(customer).toMatch(/POINTS EARNED +\+123/);
    expect(customer).toMatch(/POINTS BALANCE +4567/);
    expect(renderText(buildReceipt(withPoints, 'merchant', { terminal, language: 'en', duplicate: false }), 32)).not.toContain('POINTS');
    const zh = renderText(buildReceipt(rec({ type: 'refund', points: { earned: -5, balance: 10 } }), 'customer', { terminal, language: 'zh', duplicate: false }), 32);
    expect(zh).toMatch(/本次积分 +-5/);
    expect(zh).toMatch(/积分余额 +10/);
    expect(renderText(buildReceipt(rec(), 'customer', { terminal, language: 'en', duplicate: false }), 32)).not.toContain('POINTS');
  });

  it('formats amounts with the currency decimals', () => {
    expect(formatAmount(1234, 'JPY')).toBe('JPY 1234');
    expect(formatAmount(1234, 'KWD', true)).toBe('KWD -1.234');
  });
});
