// Unit tests for the scan-head stream decoder and AIM identifiers: exact bytes in, exact scans and rejections out.
import { ScanFramer, checkCode, finishCode, type ScanFramerOptions, type ScanResult } from './scanner-decode';
import { aimSymbology, stripAim } from './scanner-decode-aim';

const b = (s: string) => Buffer.from(s, 'latin1');
const framer = (o: Partial<ScanFramerOptions> = {}) => new ScanFramer({ prefix: '', suffix: '\r', symbologyIds: 'none', maxLength: 16, ...o });
const scan = (data: string, symbology?: string): ScanResult => ({ kind: 'scan', scan: symbology ? { data, symbology } : { data } });

describe('aimSymbology / stripAim', () => {
  it.each([
    [']Q1', 'qr'],
    [']Q3', 'gs1-qr'],
    [']E0', 'ean13'],
    [']E4', 'ean8'],
    [']C0', 'code128'],
    [']C1', 'gs1-128'],
    [']A0', 'code39'],
    [']d2', 'gs1-datamatrix'],
    [']d1', 'datamatrix'],
    [']e0', 'gs1-databar'],
    [']I1', 'itf'],
    [']L0', 'pdf417'],
    [']z0', 'aztec'],
    [']Y9', ']Y9'],
  ])('%s -> %s', (id, name) => expect(aimSymbology(id)).toBe(name));
  it('throws for a non-identifier', () => expect(() => aimSymbology('Q1')).toThrow('expected an AIM identifier'));
  it('strips a leading identifier only', () => {
    expect(stripAim(']Q1https://qr.example/x')).toEqual({ data: 'https://qr.example/x', symbology: 'qr' });
    expect(stripAim('6901234567892')).toEqual({ data: '6901234567892' });
    expect(stripAim(']Q')).toEqual({ data: ']Q' });
  });
});

describe('checkCode / finishCode', () => {
  it('keeps GS, RS and EOT', () => {
    expect(checkCode('[)>\x1e06\x1d1PABC\x1e\x04', 64)).toBeUndefined();
  });
  it.each([['\x00'], ['\x1b[2J'], ['\t'], ['\n'], ['\x7f'], ['\x1f']])('refuses control %j', (c) => {
    expect(checkCode(`12${c}34`, 64)).toEqual({ reason: 'control-characters', detail: 'code contains control characters other than GS, RS or EOT' });
  });
  it('counts length in UTF-8 bytes', () => {
    expect(checkCode('支付', 6)).toBeUndefined();
    expect(checkCode('支付', 5)).toEqual({ reason: 'overlong', detail: 'code of 6 bytes exceeds 5' });
  });
  it('refuses an empty code, also after AIM stripping', () => {
    expect(finishCode(']Q1', 'aim', 8)).toEqual({ kind: 'reject', reject: { reason: 'empty', detail: 'empty code' } });
  });
});

describe('ScanFramer', () => {
  it('frames codes on the suffix, across any chunking', () => {
    const f = framer();
    const bytes = b('6901234567892\r1345678901234567\r');
    const out: ScanResult[] = [];
    for (const byte of bytes) out.push(...f.push(Uint8Array.of(byte)));
    expect(out).toEqual([scan('6901234567892'), scan('1345678901234567')]);
    expect(f.buffered).toBe(0);
  });

  it('strips a prefix and a multi-byte suffix, and refuses a frame without the prefix', () => {
    const f = framer({ prefix: '\x02', suffix: '\x03\r\n' });
    expect(f.push(b('\x02ABC\x03\r'))).toEqual([]);
    expect(f.push(b('\nXYZ\x03\r\n\x02OK\x03\r\n'))).toEqual([
      scan('ABC'),
      { kind: 'reject', reject: { reason: 'garbled', detail: 'frame does not start with the configured prefix' } },
      scan('OK'),
    ]);
  });

  it('strips AIM identifiers and reports the symbology', () => {
    const f = framer({ symbologyIds: 'aim', maxLength: 32 });
    expect(f.push(b(']Q1weixin://wxpay/x\r]E06901234567892\r]C10109501101530003\x1d10ABC\rnoaim\r'))).toEqual([
      scan('weixin://wxpay/x', 'qr'),
      scan('6901234567892', 'ean13'),
      scan('0109501101530003\x1d10ABC', 'gs1-128'),
      scan('noaim'),
    ]);
  });

  it('tolerates CR LF after a CR suffix, even split across chunks', () => {
    const f = framer();
    expect(f.push(b('A1\r'))).toEqual([scan('A1')]);
    expect(f.push(b('\nA2\r\nA3\r'))).toEqual([scan('A2'), scan('A3')]);
  });

  it('rejects a bare suffix as empty', () => {
    expect(framer().push(b('\r'))).toEqual([{ kind: 'reject', reject: { reason: 'empty', detail: 'empty code' } }]);
  });

  it('rejects an overlong code once, holds a bounded buffer, and recovers at the next suffix', () => {
    const f = framer({ maxLength: 16 });
    const out: ScanResult[] = [];
    for (let i = 0; i < 100; i++) out.push(...f.push(b('9999999999')));
    expect(out).toEqual([{ kind: 'reject', reject: { reason: 'overlong', detail: 'no suffix within 16 bytes' } }]);
    expect(f.buffered).toBeLessThanOrEqual(16);
    expect(f.push(b('99\rAFTER\r'))).toEqual([scan('AFTER')]);
  });

  it('rejects a complete frame that is too long', () => {
    expect(framer({ maxLength: 4 }).push(b('12345\r1234\r'))).toEqual([
      { kind: 'reject', reject: { reason: 'overlong', detail: 'frame of 5 bytes exceeds 4' } },
      scan('1234'),
    ]);
  });

  it('rejects control characters and invalid UTF-8, then keeps reading', () => {
    const f = framer();
    expect(f.push(Buffer.concat([b('\x1b[31mX\r'), Buffer.from([0xff, 0xfe, 0x0d]), b('OK\r')]))).toEqual([
      { kind: 'reject', reject: { reason: 'control-characters', detail: 'code contains control characters other than GS, RS or EOT' } },
      { kind: 'reject', reject: { reason: 'garbled', detail: 'code is not valid UTF-8' } },
      scan('OK'),
    ]);
  });

  it('decodes UTF-8 split inside a character', () => {
    const f = framer();
    const bytes = Buffer.from('付款码\r', 'utf8');
    expect(f.push(bytes.subarray(0, 4))).toEqual([]);
    expect(f.push(bytes.subarray(4))).toEqual([scan('付款码')]);
  });

  it('drops a partial frame on reset', () => {
    const f = framer();
    f.push(b('PART'));
    f.reset();
    expect(f.push(b('NEW\r'))).toEqual([scan('NEW')]);
  });

  it('throws for an empty suffix or a bad maxLength', () => {
    expect(() => framer({ suffix: '' })).toThrow('expected a non-empty suffix');
    expect(() => framer({ maxLength: 0 })).toThrow('expected maxLength to be a positive integer');
  });
});
