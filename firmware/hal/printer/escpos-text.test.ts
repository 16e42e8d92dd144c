// Tests for code-page / GB18030 text encoding and the '?' fallback.
import { encodeRow, fitsCodepage, inCodepage, printableText } from './escpos-text';

const hex = (b: Buffer) => b.toString('hex');

describe('escpos text', () => {
  it('knows which characters each code page has', () => {
    expect(inCodepage('é', 'cp437')).toBe(true);
    expect(inCodepage('€', 'cp437')).toBe(false);
    expect(inCodepage('€', 'cp858')).toBe(true);
    expect(inCodepage('消', 'cp858')).toBe(false);
    expect(inCodepage('\x1b', 'cp437')).toBe(false);
    expect(fitsCodepage('Café 12', 'cp437')).toBe(true);
  });

  it('encodes Latin rows in the code page (CP437 é = 0x82, CP858 € = 0xD5)', () => {
    expect(encodeRow('Café', 'cp437', true)).toEqual({ chinese: false, bytes: Buffer.from([0x43, 0x61, 0x66, 0x82]) });
    expect(hex(encodeRow('€5', 'cp858', false).bytes)).toBe('d535');
  });

  it('sends a row with Chinese whole in GB18030 when the printer has the font (消费 = CF FB B7 D1)', () => {
    expect(encodeRow('消费 SALE', 'cp437', true)).toEqual({ chinese: true, bytes: Buffer.from('cffbb7d12053414c45', 'hex') });
  });

  it("replaces what cannot print with '?' (one per character) when it has not", () => {
    expect(printableText('消费 SALE €', 'cp437', false)).toBe('?? SALE ?');
    expect(encodeRow('消费', 'cp437', false)).toEqual({ chinese: false, bytes: Buffer.from('??') });
  });

  it('never passes control codes through as text', () => {
    expect(printableText('A\x1b@B\x10\x04\x01', 'cp437', true)).toBe('A?@B???');
    expect(printableText('A\u0085B', 'cp858', true)).toBe('A?B');
  });
});
