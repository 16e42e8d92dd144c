// Decoding the published EMV merchant-presented QR samples: fields by name, the nested object tree, CRC verdicts.
import { checkCrc, decodeMerchantQrObjects, parseMerchantQr, QrError } from './emvco';
import samples from './fixtures/published-samples.json';

const sample = (name: string) => samples.find((s) => s.name === name)!.payload;

describe('published samples', () => {
  it.each(samples.map((s) => [s.name, s]))('%s decodes with a matching CRC', (_name, s) => {
    const qr = parseMerchantQr(s.payload);
    expect(qr.crc).toBe(s.crc);
    expect(qr.payload).toBe(s.payload);
    expect(checkCrc(s.payload)).toEqual({ ok: true, expected: s.crc, found: s.crc });
  });

  it('EMVCo spec example: every field by name, two accounts, tip prompt, language and unreserved templates', () => {
    const { objects, payload: _p, ...qr } = parseMerchantQr(sample('emvco-spec'));
    expect(qr).toEqual({
      pointOfInitiation: 'dynamic',
      merchantAccounts: [
        { tag: '29', value: '0012D156000000000510A93FO3230Q', guid: 'D15600000000', fields: { '00': 'D15600000000', '05': 'A93FO3230Q' } },
        { tag: '31', value: '0012D15600000001030812345678', guid: 'D15600000001', fields: { '00': 'D15600000001', '03': '12345678' } },
      ],
      mcc: '4111',
      currencyNumeric: '156',
      amount: '23.72',
      tipIndicator: 'prompt',
      countryCode: 'CN',
      merchantName: 'BEST TRANSPORT',
      merchantCity: 'BEIJING',
      additionalData: { storeLabel: '1234', customerLabel: '***', terminalLabel: 'A6008667', consumerDataRequest: 'ME', fields: { '03': '1234', '06': '***', '07': 'A6008667', '09': 'ME' } },
      alternateLanguage: { language: 'ZH', merchantName: '最佳运输', merchantCity: '北京' },
      unreservedTemplates: [{ tag: '91', guid: 'A011223344998877', fields: { '00': 'A011223344998877', '07': '12345678' } }],
      crc: 'A13A',
    });
    expect(objects.map((o) => o.tag)).toEqual(['00', '01', '29', '31', '52', '58', '59', '60', '64', '54', '53', '55', '62', '91', '63']);
  });

  it('EMVCo spec example: templates decode into named children with positions in characters', () => {
    const objects = decodeMerchantQrObjects(sample('emvco-spec'));
    const lang = objects.find((o) => o.tag === '64')!;
    expect(lang).toEqual({
      tag: '64',
      path: '64',
      name: 'Merchant Information - Language Template',
      value: '0002ZH0104最佳运输0202北京',
      length: 20,
      position: 121,
      children: [
        { tag: '00', path: '64.00', name: 'Language Preference', value: 'ZH', length: 2, position: 125 },
        { tag: '01', path: '64.01', name: 'Merchant Name - Alternate Language', value: '最佳运输', length: 4, position: 131 },
        { tag: '02', path: '64.02', name: 'Merchant City - Alternate Language', value: '北京', length: 2, position: 139 },
      ],
    });
    const amount = objects.find((o) => o.tag === '54')!;
    expect([amount.position, amount.value]).toEqual([145, '23.72']);
    expect(objects.find((o) => o.tag === '62')!.children!.map((c) => [c.path, c.name, c.value])).toEqual([
      ['62.03', 'Store Label', '1234'],
      ['62.06', 'Customer Label', '***'],
      ['62.07', 'Terminal Label', 'A6008667'],
      ['62.09', 'Additional Consumer Data Request', 'ME'],
    ]);
    expect(objects.find((o) => o.tag === '91')!.children!.map((c) => c.name)).toEqual(['Globally Unique Identifier', 'Context specific data']);
    expect(objects.find((o) => o.tag === '63')!).toEqual({ tag: '63', path: '63', name: 'CRC', value: 'A13A', length: 4, position: 240 });
  });

  it('Pix BR Code: no point of initiation (optional), lower-case GUI, reference label', () => {
    const qr = parseMerchantQr(sample('pix-bcb'));
    expect(qr.pointOfInitiation).toBeUndefined();
    expect(qr.merchantAccounts).toEqual([
      { tag: '26', value: '0014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000', guid: 'br.gov.bcb.pix', fields: { '00': 'br.gov.bcb.pix', '01': '123e4567-e12b-12d1-a456-426655440000' } },
    ]);
    expect([qr.mcc, qr.currencyNumeric, qr.amount, qr.countryCode, qr.merchantName, qr.merchantCity]).toEqual(['0000', '986', undefined, 'BR', 'Fulano de Tal', 'BRASILIA']);
    expect(qr.additionalData).toEqual({ referenceLabel: '***', fields: { '05': '***' } });
  });

  it('Mastercard: a primitive merchant account (05) and an amount without decimals', () => {
    const qr = parseMerchantQr(sample('mastercard-sqr'));
    expect(qr.merchantAccounts).toEqual([{ tag: '05', value: '04736a2f41a3-c54c-fce8-32d2-0324e1c32e22*3440e5bf-81ca-4c5f-a1b2-cf989f09a039', fields: {} }]);
    expect(decodeMerchantQrObjects(sample('mastercard-sqr'))[2]!.name).toBe('Merchant Account Information (Mastercard)');
    expect([qr.pointOfInitiation, qr.amount, qr.currencyNumeric, qr.merchantCity]).toEqual(['static', '100', '840', 'New York']);
  });

  it('SGQR: PayNow (26) and SGQR (51) templates, postal code, bill number', () => {
    const qr = parseMerchantQr(sample('sgqr-paynow'));
    expect(qr.merchantAccounts.map((a) => [a.tag, a.guid, Object.keys(a.fields).length])).toEqual([
      ['26', 'SG.PAYNOW', 5],
      ['51', 'SG.SGQR', 8],
    ]);
    expect([qr.postalCode, qr.additionalData?.billNumber]).toEqual(['828761', '987654321X']);
  });

  it('QRIS: a payment system template (60) inside tag 62 decodes into its own children', () => {
    const objects = decodeMerchantQrObjects(sample('qris-xendit'));
    const inner = objects.find((o) => o.tag === '62')!.children!.find((c) => c.tag === '60')!;
    expect(inner.name).toBe('Payment System specific template');
    expect(inner.children!.map((c) => [c.path, c.value])).toEqual([
      ['62.60.00', 'ID.DANA.WWW'],
      ['62.60.04', 'MER2021071400774509608641'],
      ['62.60.05', '1'],
    ]);
  });
});

describe('checkCrc', () => {
  it('reports expected and found, and never throws', () => {
    const good = sample('emvco-spec');
    expect(checkCrc(good.slice(0, -4) + 'A13B')).toEqual({ ok: false, expected: 'A13A', found: 'A13B' });
    expect(checkCrc(good.slice(0, -8))).toEqual({ ok: false });
    expect(checkCrc('')).toEqual({ ok: false });
  });
});

describe('a one-character change anywhere fails the CRC check', () => {
  const REPLACEMENTS = ['0', '9', 'A', 'z', ' ', '*', '.', '北'];

  it.each(samples.map((s) => [s.name, s.payload]))('%s: every position, every replacement', (_name, payload) => {
    const chars = Array.from(payload);
    let tried = 0;
    chars.forEach((original, i) => {
      for (const r of REPLACEMENTS) {
        if (r === original) continue;
        const changed = [...chars.slice(0, i), r, ...chars.slice(i + 1)].join('');
        expect(checkCrc(changed).ok).toBe(false);
        expect(() => parseMerchantQr(changed)).toThrow(QrError);
        tried++;
      }
    });
    expect(tried).toBeGreaterThan(chars.length * 6);
  });

  it.each(samples.map((s) => [s.name, s.payload]))('%s: a character dropped or added anywhere is refused', (_name, payload) => {
    const chars = Array.from(payload);
    for (let i = 0; i <= chars.length; i++) {
      if (i < chars.length) expect(() => parseMerchantQr([...chars.slice(0, i), ...chars.slice(i + 1)].join(''))).toThrow(QrError);
      expect(() => parseMerchantQr([...chars.slice(0, i), '7', ...chars.slice(i)].join(''))).toThrow(QrError);
    }
  });

  it('a changed letter in the merchant name is caught by the CRC alone (the field stays valid)', () => {
    const payload = sample('emvco-spec');
    const at = payload.indexOf('BEST TRANSPORT');
    for (let i = at; i < at + 'BEST TRANSPORT'.length; i++) {
      const changed = payload.slice(0, i) + (payload[i] === 'Q' ? 'R' : 'Q') + payload.slice(i + 1);
      let err: unknown;
      try {
        parseMerchantQr(changed);
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ code: 'crc-mismatch', tag: '63', expected: checkCrc(changed).expected, found: 'A13A' });
    }
  });
});
