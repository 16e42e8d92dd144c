// CRC-16/CCITT-FALSE: catalogue check value, zero padding, UTF-8 input, and the CRC of every published sample.
import { crc16CcittFalse, crc16Hex } from './crc16';
import samples from './fixtures/published-samples.json';

/** Bit-at-a-time reference (the catalogue's definition), to cross-check the table-driven implementation. */
function reference(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

describe('crc16CcittFalse', () => {
  it('gives the catalogue check value 0x29B1 for "123456789"', () => {
    expect(crc16CcittFalse('123456789')).toBe(0x29b1);
    expect(crc16CcittFalse(Buffer.from('123456789', 'ascii'))).toBe(0x29b1);
    expect(crc16Hex('123456789')).toBe('29B1');
  });

  it('leaves the initial value on empty input (no final XOR)', () => {
    expect(crc16CcittFalse('')).toBe(0xffff);
  });

  it('matches the bit-at-a-time definition on every single byte and on pseudo-random buffers', () => {
    for (let b = 0; b < 256; b++) expect(crc16CcittFalse(Uint8Array.of(b))).toBe(reference(Uint8Array.of(b)));
    let seed = 12345;
    for (let n = 0; n < 200; n++) {
      const buf = new Uint8Array(n);
      for (let i = 0; i < n; i++) buf[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      expect(crc16CcittFalse(buf)).toBe(reference(buf));
    }
  });

  it('checksums a string as its UTF-8 bytes', () => {
    expect(crc16CcittFalse('北京')).toBe(reference(Buffer.from('北京', 'utf8')));
    expect(crc16CcittFalse('北京')).not.toBe(reference(Buffer.from('北京', 'utf16le')));
  });
});

describe('crc16Hex', () => {
  it('pads to four upper-case hex digits', () => {
    let text = '';
    for (let i = 0; crc16CcittFalse(text) >= 0x1000; i++) text = `x${i}`;
    const hex = crc16Hex(text);
    expect(hex).toMatch(/^0[0-9A-F]{3}$/);
    expect(parseInt(hex, 16)).toBe(crc16CcittFalse(text));
    expect(crc16Hex('hello')).toMatch(/^[0-9A-F]{4}$/);
  });

  it.each(samples.map((s) => [s.name, s]))('reproduces the CRC written in the published sample %s', (_name, s) => {
    expect(s.payload.endsWith(`6304${s.crc}`)).toBe(true);
    expect(crc16Hex(s.payload.slice(0, -4))).toBe(s.crc);
  });
});
