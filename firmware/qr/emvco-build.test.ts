// buildMerchantQr: exact payloads (C扫B layout, the published SGQR sample), round trips, and every spec refusal.
import { buildMerchantQr, parseMerchantQr, QrError, type MerchantQrSpec } from './emvco';
import samples from './fixtures/published-samples.json';

/** The layout issue 9 asks for: dynamic, one account, MCC, currency, amount, country, name, city, bill number, terminal label. */
const C_SCAN_B: MerchantQrSpec = {
  pointOfInitiation: 'dynamic',
  merchantAccount: { tag: '26', guid: 'A000000333010108', merchantId: '898310058120001' },
  mcc: '5812',
  currencyNumeric: '156',
  amountMinor: 2372,
  currencyDecimals: 2,
  countryCode: 'CN',
  merchantName: 'POSFW TEST SHOP',
  merchantCity: 'SHANGHAI',
  billNumber: 'ECR-20240611-0042',
  terminalLabel: 'TERM0001',
};

function errorOf(spec: unknown): QrError {
  try {
    buildMerchantQr(spec as MerchantQrSpec);
  } catch (err) {
    if (err instanceof QrError) return err;
    throw err;
  }
  throw new Error('expected a QrError');
}

describe('buildMerchantQr', () => {
  it('writes the C扫B dynamic layout exactly (CRC from an independent bitwise implementation)', () => {
    expect(buildMerchantQr(C_SCAN_B)).toBe(
      '000201' + '010212' + '2639' + '0016A000000333010108' + '0115898310058120001' + '52045812' + '5303156' + '540523.72' + '5802CN' +
        '5915POSFW TEST SHOP' + '6008SHANGHAI' + '6233' + '0117ECR-20240611-0042' + '0708TERM0001' + '63042946',
    );
  });

  it('puts a name in another script in tag 64, counting its length in characters', () => {
    const payload = buildMerchantQr({ ...C_SCAN_B, alternateLanguage: { language: 'ZH', merchantName: '测试商店', merchantCity: '上海' } });
    expect(payload.slice(payload.indexOf('6420'))).toBe('64200002ZH0104测试商店0202上海6304D210');
    expect(parseMerchantQr(payload).alternateLanguage).toEqual({ language: 'ZH', merchantName: '测试商店', merchantCity: '上海' });
  });

  it('reproduces the published SGQR payload byte for byte from its fields', () => {
    const spec: MerchantQrSpec = {
      pointOfInitiation: 'static',
      merchantAccount: { tag: '26', guid: 'SG.PAYNOW', fields: { '01': '2', '02': '202012345X', '03': '1', '04': '20211231' } },
      additionalMerchantAccounts: [
        { tag: '51', guid: 'SG.SGQR', merchantId: '202012345X123', fields: { '07': '20191231', '02': '01.0001', '03': '828671', '04': '01', '05': '123', '06': '0000' } },
      ],
      mcc: '0000',
      currencyNumeric: '702',
      countryCode: 'SG',
      merchantName: 'RATINAN LEE',
      merchantCity: 'SINGAPORE',
      postalCode: '828761',
      billNumber: '987654321X',
    };
    expect(buildMerchantQr(spec)).toBe(samples.find((s) => s.name === 'sgqr-paynow')!.payload);
  });

  it('round-trips through the decoder: what the flows put in is what a wallet reads', () => {
    const qr = parseMerchantQr(buildMerchantQr({ ...C_SCAN_B, unreservedTemplates: [{ tag: '80', guid: 'COM.POSFW', fields: { '01': 'ORDER-9' } }] }));
    expect(qr).toMatchObject({
      pointOfInitiation: 'dynamic',
      merchantAccounts: [{ tag: '26', guid: 'A000000333010108', fields: { '00': 'A000000333010108', '01': '898310058120001' } }],
      mcc: '5812',
      currencyNumeric: '156',
      amount: '23.72',
      countryCode: 'CN',
      merchantName: 'POSFW TEST SHOP',
      merchantCity: 'SHANGHAI',
      additionalData: { billNumber: 'ECR-20240611-0042', terminalLabel: 'TERM0001' },
      unreservedTemplates: [{ tag: '80', guid: 'COM.POSFW', fields: { '01': 'ORDER-9' } }],
    });
  });

  it('a static QR may leave the amount out (the wallet asks the customer)', () => {
    const { amountMinor: _a, currencyDecimals: _d, ...rest } = C_SCAN_B;
    const payload = buildMerchantQr({ ...rest, pointOfInitiation: 'static' });
    expect(payload.startsWith('000201010211')).toBe(true);
    expect(parseMerchantQr(payload).amount).toBeUndefined();
  });

  it('writes the amount with the currency decimals and no separators', () => {
    const amountOf = (amountMinor: number, currencyDecimals: number) => parseMerchantQr(buildMerchantQr({ ...C_SCAN_B, amountMinor, currencyDecimals })).amount;
    expect([amountOf(5, 2), amountOf(123456789, 2), amountOf(1000, 0), amountOf(1500, 3)]).toEqual(['0.05', '1234567.89', '1000', '1.500']);
  });
});

describe('buildMerchantQr refuses a spec it cannot encode, naming the field', () => {
  it.each([
    ['not an object', 'x', 'invalid-spec', 'expected the spec as an object'],
    ['unknown field', { ...C_SCAN_B, merchantname: 'x' }, 'invalid-spec', expect.stringMatching(/^merchantname: unknown field; expected one of pointOfInitiation, /)],
    ['bad point of initiation', { ...C_SCAN_B, pointOfInitiation: '12' }, 'invalid-spec', 'pointOfInitiation: expected "static" or "dynamic", got "12"'],
    ['missing merchant name', { ...C_SCAN_B, merchantName: undefined }, 'invalid-spec', 'merchantName: expected a string, got undefined'],
    ['merchant name too long', { ...C_SCAN_B, merchantName: 'N'.repeat(26) }, 'too-long', 'merchantName (tag 59): Merchant Name: value of 26 characters exceeds the maximum 25'],
    ['merchant name not ASCII', { ...C_SCAN_B, merchantName: '测试商店' }, 'bad-value', 'merchantName (tag 59): Merchant Name: expected printable ASCII (format ans), got U+6D4B at character 0'],
    ['city too long', { ...C_SCAN_B, merchantCity: 'C'.repeat(16) }, 'too-long', 'merchantCity (tag 60): Merchant City: value of 16 characters exceeds the maximum 15'],
    ['MCC not 4 digits', { ...C_SCAN_B, mcc: '58' }, 'wrong-length', 'mcc (tag 52): Merchant Category Code: expected exactly 4 characters, got 2'],
    ['currency alphabetic', { ...C_SCAN_B, currencyNumeric: 'CNY' }, 'bad-value', 'currencyNumeric (tag 53): Transaction Currency: expected digits (format N), got "C" at character 0'],
    ['country lower case', { ...C_SCAN_B, countryCode: 'cn' }, 'bad-value', 'countryCode (tag 58): Country Code: expected an ISO 3166-1 alpha-2 code (two capital letters), got "cn"'],
    ['dynamic without amount', { ...C_SCAN_B, amountMinor: undefined }, 'invalid-spec', 'amountMinor: a dynamic QR is one payment of a known amount: expected amountMinor'],
    ['amount without decimals', { ...C_SCAN_B, currencyDecimals: undefined }, 'invalid-spec', 'currencyDecimals: expected the currency decimals with amountMinor'],
    ['fractional minor units', { ...C_SCAN_B, amountMinor: 23.72 }, 'invalid-spec', 'amountMinor: expected a positive whole number of minor units, got 23.72'],
    ['zero amount', { ...C_SCAN_B, amountMinor: 0 }, 'invalid-spec', 'amountMinor: expected a positive whole number of minor units, got 0'],
    ['amount over 13 characters', { ...C_SCAN_B, amountMinor: 1e13 }, 'invalid-spec', 'amountMinor (tag 54): amount 100000000000.00 has 15 characters; tag 54 holds at most 13'],
    ['account tag outside 26-51', { ...C_SCAN_B, merchantAccount: { tag: '15', guid: 'X' } }, 'invalid-spec', 'merchantAccount.tag: expected a two-digit ID "26"-"51", got "15"'],
    ['account without GUI', { ...C_SCAN_B, merchantAccount: { tag: '26' } }, 'invalid-spec', 'merchantAccount.guid: expected a string, got undefined'],
    ['GUI too long', { ...C_SCAN_B, merchantAccount: { tag: '26', guid: 'G'.repeat(33) } }, 'too-long', 'merchantAccount.guid (tag 26.00): Globally Unique Identifier: value of 33 characters exceeds the maximum 32'],
    ['field 01 next to merchantId', { ...C_SCAN_B, merchantAccount: { tag: '26', guid: 'G', merchantId: 'M', fields: { '01': 'X' } } }, 'invalid-spec', 'merchantAccount.fields: expected two-digit IDs other than 00 and 01 (merchantId), got "01"'],
    ['field ID not two digits', { ...C_SCAN_B, merchantAccount: { tag: '26', guid: 'G', fields: { '5': 'X' } } }, 'invalid-spec', 'merchantAccount.fields: expected two-digit IDs other than 00, got "5"'],
    ['account template over 99', { ...C_SCAN_B, merchantAccount: { tag: '26', guid: 'G', fields: { '02': 'x'.repeat(60), '03': 'y'.repeat(30) } } }, 'too-long', 'merchantAccount (tag 26): Merchant Account Information: value of 103 characters exceeds the maximum 99'],
    ['two accounts with one ID', { ...C_SCAN_B, additionalMerchantAccounts: [{ tag: '26', guid: 'H' }] }, 'invalid-spec', 'additionalMerchantAccounts: two templates use ID 26'],
    ['bill number too long', { ...C_SCAN_B, billNumber: 'B'.repeat(26) }, 'too-long', 'billNumber (tag 62.01): Bill Number: value of 26 characters exceeds the maximum 25'],
    ['tag 62 over 99', { ...C_SCAN_B, billNumber: 'B'.repeat(25), storeLabel: 'S'.repeat(25), referenceLabel: 'R'.repeat(25), terminalLabel: 'T'.repeat(25) }, 'too-long', 'additional data (tag 62): Additional Data Field Template: value of 116 characters exceeds the maximum 99'],
    ['language without name', { ...C_SCAN_B, alternateLanguage: { language: 'ZH' } }, 'invalid-spec', 'alternateLanguage.merchantName: expected a string, got undefined'],
    ['unreserved tag outside 80-99', { ...C_SCAN_B, unreservedTemplates: [{ tag: '64', guid: 'X' }] }, 'invalid-spec', 'unreservedTemplates[0].tag: expected a two-digit ID "80"-"99", got "64"'],
  ])('%s', (_what, spec, code, message) => {
    const err = errorOf(spec);
    expect(err.code).toBe(code);
    expect(err.message).toEqual(message);
  });
});
