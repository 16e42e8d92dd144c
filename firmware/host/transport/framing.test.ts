// Exact-byte tests for the acquirer-link framing: prefixes, headers, split/coalesced chunks, bad lengths.
import { encodeFrame, FrameDecoder, FramingError, resolveFraming } from './framing';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const payload = hex('0800 8220000000000000');

describe('encodeFrame', () => {
  it('defaults to a 2-byte big-endian binary length', () => {
    expect(encodeFrame(payload).toString('hex')).toBe('000a08008220000000000000');
  });

  it('writes a 4-byte binary length', () => {
    expect(encodeFrame(hex('abcd'), { lengthBytes: 4 }).toString('hex')).toBe('00000002abcd');
  });

  it('writes ASCII decimal lengths', () => {
    expect(encodeFrame(hex('abcd'), { lengthEncoding: 'ascii' }).toString('hex')).toBe('3032abcd');
    expect(encodeFrame(Buffer.alloc(123, 0x41), { lengthEncoding: 'ascii', lengthBytes: 4 }).subarray(0, 4).toString('latin1')).toBe('0123');
  });

  it('writes BCD lengths', () => {
    expect(encodeFrame(Buffer.alloc(123), { lengthEncoding: 'bcd' }).subarray(0, 2).toString('hex')).toBe('0123');
    expect(encodeFrame(Buffer.alloc(1234), { lengthEncoding: 'bcd', lengthBytes: 4 }).subarray(0, 4).toString('hex')).toBe('00001234');
  });

  it('puts the TPDU header after the prefix and counts it by default', () => {
    const tpdu = hex('6000030000');
    expect(encodeFrame(hex('abcd'), { header: tpdu }).toString('hex')).toBe('00076000030000abcd');
  });

  it('can leave the header out of the count, or count the prefix itself', () => {
    const tpdu = hex('6000030000');
    expect(encodeFrame(hex('abcd'), { header: tpdu, includeHeader: false }).toString('hex')).toBe('00026000030000abcd');
    expect(encodeFrame(hex('abcd'), { lengthIncludesPrefix: true }).toString('hex')).toBe('0004abcd');
  });

  it('refuses a body larger than maxFrame or than the prefix can say', () => {
    expect(() => encodeFrame(Buffer.alloc(11), { maxFrame: 10 })).toThrow(FramingError);
    try {
      encodeFrame(Buffer.alloc(100), { lengthEncoding: 'ascii' });
      throw new Error('expected a FramingError');
    } catch (err) {
      expect(err).toBeInstanceOf(FramingError);
      expect((err as FramingError).code).toBe('EOVERSIZE');
      expect((err as FramingError).message).toBe("length 100 does not fit a 2-byte ascii prefix (max 99)");
    }
  });

  it('rejects bad options synchronously with a message naming the option', () => {
    expect(() => resolveFraming({ lengthBytes: 3 as 2 })).toThrow('framing.lengthBytes: expected 2 or 4, got 3');
    expect(() => resolveFraming({ lengthEncoding: 'ebcdic' as 'ascii' })).toThrow("framing.lengthEncoding: expected 'binary', 'ascii' or 'bcd', got ebcdic");
    expect(() => resolveFraming({ maxFrame: 0 })).toThrow('framing.maxFrame: expected a positive integer, got 0');
    expect(() => encodeFrame('abc' as unknown as Buffer)).toThrow('encodeFrame: expected payload to be a Buffer or Uint8Array');
  });
});

describe('FrameDecoder', () => {
  it('decodes one whole frame', () => {
    const d = new FrameDecoder();
    const frames = d.push(hex('000a08008220000000000000'));
    expect(frames.map((f) => f.payload.toString('hex'))).toEqual(['08008220000000000000']);
    expect(frames[0]!.header.length).toBe(0);
    expect(d.buffered).toBe(0);
  });

  it('reassembles a frame split byte by byte, including a split prefix', () => {
    const d = new FrameDecoder();
    const wire = encodeFrame(payload);
    const out: string[] = [];
    for (const b of wire) out.push(...d.push(Buffer.of(b)).map((f) => f.payload.toString('hex')));
    expect(out).toEqual(['08008220000000000000']);
    expect(d.buffered).toBe(0);
  });

  it('splits coalesced frames and keeps the tail of the next one', () => {
    const d = new FrameDecoder();
    const first = d.push(hex('0002aaaa 0001bb 0003cc'));
    expect(first.map((f) => f.payload.toString('hex'))).toEqual(['aaaa', 'bb']);
    expect(d.buffered).toBe(3);
    expect(d.push(hex('dd')).length).toBe(0);
    expect(d.push(hex('ee 0000')).map((f) => f.payload.toString('hex'))).toEqual(['ccddee', '']);
  });

  it('strips and returns the header; honours includeHeader=false', () => {
    const tpdu = hex('6000000003');
    const d = new FrameDecoder({ header: tpdu });
    const [f] = d.push(hex('0007 6000000003 abcd'));
    expect(f!.header.toString('hex')).toBe('6000000003');
    expect(f!.payload.toString('hex')).toBe('abcd');
    const d2 = new FrameDecoder({ header: tpdu, includeHeader: false });
    expect(d2.push(hex('0002 6000000003 abcd'))[0]!.payload.toString('hex')).toBe('abcd');
  });

  it('decodes ASCII, BCD and 4-byte prefixes, and self-counting lengths', () => {
    expect(new FrameDecoder({ lengthEncoding: 'ascii' }).push(hex('3032 abcd'))[0]!.payload.toString('hex')).toBe('abcd');
    expect(new FrameDecoder({ lengthEncoding: 'bcd' }).push(hex('0002 abcd'))[0]!.payload.toString('hex')).toBe('abcd');
    expect(new FrameDecoder({ lengthBytes: 4 }).push(hex('00000002 abcd'))[0]!.payload.toString('hex')).toBe('abcd');
    expect(new FrameDecoder({ lengthIncludesPrefix: true }).push(hex('0004 abcd'))[0]!.payload.toString('hex')).toBe('abcd');
  });

  it('round-trips every option combination', () => {
    const tpdu = hex('6000030000');
    for (const lengthBytes of [2, 4] as const) {
      for (const lengthEncoding of ['binary', 'ascii', 'bcd'] as const) {
        for (const header of [undefined, tpdu]) {
          for (const includeHeader of [true, false]) {
            const opts = { lengthBytes, lengthEncoding, header, includeHeader };
            const d = new FrameDecoder(opts);
            const wire = Buffer.concat([encodeFrame(hex('0210ab'), opts), encodeFrame(hex('0810'), opts)]);
            expect(d.push(wire).map((f) => f.payload.toString('hex'))).toEqual(['0210ab', '0810']);
          }
        }
      }
    }
  });

  it('flags an oversize frame, keeps earlier frames on the error and refuses more input until reset', () => {
    const d = new FrameDecoder({ maxFrame: 16 });
    let caught: unknown;
    try {
      d.push(hex('0001aa 0011'));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(FramingError);
    expect((caught as FramingError).code).toBe('EOVERSIZE');
    expect((caught as FramingError).message).toBe('frame of 17 bytes exceeds maxFrame 16');
    expect((caught as FramingError).frames.map((f) => f.payload.toString('hex'))).toEqual(['aa']);
    expect(d.failed?.code).toBe('EOVERSIZE');
    expect(d.buffered).toBe(0);
    expect(() => d.push(hex('0001aa'))).toThrow(expect.objectContaining({ code: 'EUNUSABLE' }));
    d.reset();
    expect(d.push(hex('0001aa'))[0]!.payload.toString('hex')).toBe('aa');
  });

  it('flags non-decimal ASCII and BCD prefixes as EBADLENGTH', () => {
    expect(() => new FrameDecoder({ lengthEncoding: 'ascii' }).push(Buffer.from('0x12', 'latin1'))).toThrow(
      expect.objectContaining({ code: 'EBADLENGTH', message: 'length prefix is not ascii decimal' }),
    );
    expect(() => new FrameDecoder({ lengthEncoding: 'bcd' }).push(hex('0a00'))).toThrow(expect.objectContaining({ code: 'EBADLENGTH' }));
  });

  it('flags lengths too small for the header or the self-counted prefix', () => {
    expect(() => new FrameDecoder({ header: hex('6000030000') }).push(hex('0004 60000300'))).toThrow(
      expect.objectContaining({ code: 'EBADLENGTH', message: 'length 4 is smaller than the 5-byte header it counts' }),
    );
    expect(() => new FrameDecoder({ lengthIncludesPrefix: true }).push(hex('0001'))).toThrow(
      expect.objectContaining({ code: 'EBADLENGTH', message: 'length 1 is smaller than the 2-byte prefix it counts' }),
    );
  });

  it('copies frames out of its buffer (later input never changes a returned payload)', () => {
    const d = new FrameDecoder();
    const chunk = hex('0002abcd0002');
    const [f] = d.push(chunk);
    chunk.fill(0);
    d.push(hex('eeff'));
    expect(f!.payload.toString('hex')).toBe('abcd');
  });
});
