// Golden-byte test: the fixture sale receipts must encode to exactly test/fixtures/receipts/sale-{en,zh}.bin.
// Regenerate after an intended encoder change with: UPDATE_GOLDEN=1 npx jest firmware/hal/printer/escpos-golden
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { encodeReceipt } from './escpos';
import { SALE_EN_BIN, SALE_EN_OPTIONS, SALE_ZH_BIN, SALE_ZH_OPTIONS, saleReceiptEn, saleReceiptZh } from '../../../test/fixtures/receipts/sale-receipt';

const cases = [
  ['sale-en.bin', SALE_EN_BIN, () => encodeReceipt(saleReceiptEn, SALE_EN_OPTIONS)],
  ['sale-zh.bin', SALE_ZH_BIN, () => encodeReceipt(saleReceiptZh, SALE_ZH_OPTIONS)],
] as const;

describe('golden receipts', () => {
  it.each(cases)('%s matches the encoder output byte for byte', (_name, file, encode) => {
    const bytes = encode();
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, bytes);
    expect(existsSync(file)).toBe(true);
    const golden = readFileSync(file);
    // Hex first so a mismatch shows where; then the exact buffers.
    expect(bytes.toString('hex')).toBe(golden.toString('hex'));
    expect(bytes.equals(golden)).toBe(true);
  });

  it('the Chinese receipt uses FS & with GB18030 and the English one never does', () => {
    const zh = encodeReceipt(saleReceiptZh, SALE_ZH_OPTIONS);
    const en = encodeReceipt(saleReceiptEn, SALE_EN_OPTIONS);
    expect(zh.includes(Buffer.from([0x1c, 0x26]))).toBe(true); // FS &
    expect(zh.includes(Buffer.from('cffbb7d1', 'hex'))).toBe(true); // 消费 in GB18030
    expect(en.includes(Buffer.from([0x1c, 0x26]))).toBe(false);
    expect(en.includes(Buffer.from('476173******0010'))).toBe(true);
    expect(en.includes(Buffer.from('4761730000000010'))).toBe(false);
  });
});
