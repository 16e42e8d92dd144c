// Unit tests of salvage (reading what it can of a broken message) and of the garbled-reply encoding.
import { defaultSpec, Iso8583Codec } from '../../firmware/host/iso8583';
import { salvage } from './salvage';
import { garble } from './server';

const codec = new Iso8583Codec(defaultSpec);
const msg = { mti: '0200', fields: { 3: '000000', 4: '000000001000', 11: '000123', 41: 'TERM0001', 62: 'REF-1' } };

test('a truncated message yields its MTI and every field before the broken one', () => {
  const bytes = codec.pack(msg);
  expect(salvage(codec, bytes.subarray(0, bytes.length - 2))).toEqual({ mti: '0200', fields: { 3: '000000', 4: '000000001000', 11: '000123', 41: 'TERM0001' } });
  expect(salvage(codec, bytes)).toEqual({ mti: '0200', fields: msg.fields });
});

test('bytes without a readable MTI yield nothing', () => {
  expect(salvage(codec, Buffer.from([0xab, 0xcd, 0x00]))).toEqual({ mti: undefined, fields: {} });
  expect(salvage(codec, Buffer.alloc(0))).toEqual({ mti: undefined, fields: {} });
  expect(salvage(codec, Buffer.from([0x02, 0x00, 0x20]))).toEqual({ mti: '0200', fields: {} });
});

test('garble() keeps the length but the MTI no longer decodes', () => {
  const bytes = codec.pack(msg);
  const g = garble(bytes);
  expect(g.length).toBe(bytes.length);
  expect(g.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xff]));
  expect(g.subarray(2)).toEqual(bytes.subarray(2));
  expect(codec.tryUnpack(g).ok).toBe(false);
});
