// Unit tests for HID POS scanned-data reports: exact 64-byte layout, multi-report codes, overlong and damaged reports.
import { HidPosDecoder, encodeHidPosReports } from './scanner-decode-hidpos';

function report(len: number, aim: string, data: string, continued = false): Buffer {
  const r = Buffer.alloc(64);
  r[0] = 0x02;
  r[1] = len;
  r.write(aim, 2, 'latin1');
  r.write(data, 5, 'latin1');
  r[63] = continued ? 1 : 0;
  return r;
}

describe('encodeHidPosReports', () => {
  it('lays out one report exactly', () => {
    const [r] = encodeHidPosReports('6901234567892', ']E0');
    expect(r?.toString('hex')).toBe('020d5d4530' + Buffer.from('6901234567892').toString('hex') + '00'.repeat(64 - 18));
  });
  it('splits long codes into 56-byte reports with the continued flag', () => {
    const rs = encodeHidPosReports('x'.repeat(120), ']Q1');
    expect(rs.map((r) => [r[1], r[63]])).toEqual([[56, 1], [56, 1], [8, 0]]);
    expect(rs.every((r) => r.subarray(2, 5).toString() === ']Q1')).toBe(true);
  });
  it('throws for a bad AIM identifier', () => expect(() => encodeHidPosReports('1', 'Q1')).toThrow('expected an AIM identifier'));
});

describe('HidPosDecoder', () => {
  it('decodes a single report with symbology', () => {
    expect(new HidPosDecoder(64).push(report(13, ']E0', '6901234567892'))).toEqual([{ kind: 'scan', scan: { data: '6901234567892', symbology: 'ean13' } }]);
  });
  it('ignores bytes beyond the length and reports with other IDs', () => {
    const d = new HidPosDecoder(64);
    expect(d.push(Buffer.from([0x04, 1, 2, 3]))).toEqual([]);
    expect(d.push(report(3, '\0\0\0', 'ABCDEF'))).toEqual([{ kind: 'scan', scan: { data: 'ABC' } }]);
  });
  it('joins continued reports, taking the symbology from the first', () => {
    const d = new HidPosDecoder(256);
    const text = 'https://qr.alipay.com/' + 'a'.repeat(100);
    const out = encodeHidPosReports(text, ']Q1').flatMap((r) => d.push(r));
    expect(out).toEqual([{ kind: 'scan', scan: { data: text, symbology: 'qr' } }]);
  });
  it('rejects an overlong code once and recovers', () => {
    const d = new HidPosDecoder(100);
    const out = encodeHidPosReports('9'.repeat(300)).flatMap((r) => d.push(r));
    expect(out).toEqual([{ kind: 'reject', reject: { reason: 'overlong', detail: 'code exceeds 100 bytes' } }]);
    expect(d.push(report(2, '', 'OK'))).toEqual([{ kind: 'scan', scan: { data: 'OK' } }]);
  });
  it('rejects short reports, impossible lengths and control characters', () => {
    const d = new HidPosDecoder(64);
    expect(d.push(Buffer.from([0x02, 3, 0x41]))).toEqual([{ kind: 'reject', reject: { reason: 'garbled', detail: 'scanned-data report of 3 bytes (expected 64)' } }]);
    expect(d.push(report(57, '', 'A'))).toEqual([{ kind: 'reject', reject: { reason: 'garbled', detail: 'scanned-data report claims 57 bytes (at most 56)' } }]);
    expect(d.push(report(3, '', 'A\x1bB'))[0]).toMatchObject({ kind: 'reject', reject: { reason: 'control-characters' } });
    expect(d.push(report(0, '', ''))).toEqual([{ kind: 'reject', reject: { reason: 'empty', detail: 'empty code' } }]);
  });
});
