// Spec loading: the ASCII/hex variant from a JSON file (exact bytes), the default spec as JSON, and errors naming file and JSON path.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSpec, Iso8583Codec, IsoSpecError, loadSpec, type IsoSpec } from './index';

const ASCII_SPEC = join(__dirname, 'fixtures', 'ascii-spec.json');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'posfw-iso-spec-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeSpec(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function specError(file: string): IsoSpecError {
  try {
    loadSpec(file);
  } catch (err) {
    expect(err).toBeInstanceOf(IsoSpecError);
    return err as IsoSpecError;
  }
  throw new Error('expected IsoSpecError');
}

/** Default spec with one field replaced (as JSON). */
function withField(n: number, field: unknown): unknown {
  const spec = JSON.parse(JSON.stringify(defaultSpec)) as { fields: Record<string, unknown> };
  spec.fields[n] = field;
  return spec;
}

describe('ASCII variant loaded from JSON', () => {
  const codec = new Iso8583Codec(loadSpec(ASCII_SPEC));
  const msg = {
    mti: '0200',
    fields: {
      2: '4761739001010119',
      3: '000000',
      4: '000000001234',
      32: '12345',
      52: Buffer.from('0123456789ABCDEF', 'hex'),
      128: Buffer.alloc(8, 0x5a),
    },
  };
  const expected = Buffer.concat([
    Buffer.from('0200' + 'F000000100001000' + '0000000000000001' + '16' + '4761739001010119' + '000000' + '000000001234', 'latin1'),
    Buffer.from('3035' + '012345', 'hex'), // field 32: ASCII prefix, BCD digits (odd: padded left)
    Buffer.from('0123456789ABCDEF' + '5A5A5A5A5A5A5A5A', 'latin1'), // b fields as hex ASCII
  ]);

  test('packs: ASCII MTI, hex-ASCII bitmaps, ASCII prefixes, hex-ASCII binary', () => {
    expect(codec.pack(msg).toString('hex')).toBe(expected.toString('hex'));
  });

  test('unpacks back, hex bitmap in lower case too', () => {
    expect(codec.unpack(expected)).toEqual(msg);
    const lower = Buffer.from(expected.toString('latin1').replace('F000000100001000', 'f000000100001000'), 'latin1');
    expect(codec.unpack(lower)).toEqual(msg);
  });

  test('ASCII track 2, LLLVAR ASCII prefix, binary with ASCII prefix', () => {
    const m = { mti: '0200', fields: { 35: '4761739001010119=2212', 48: 'ABC', 55: Buffer.from([0x9f, 0x27, 0x01]) } };
    const bytes = codec.pack(m);
    expect(bytes.subarray(20).toString('hex').toUpperCase()).toBe(
      Buffer.from('21' + '4761739001010119=2212' + '003ABC' + '003', 'latin1').toString('hex').toUpperCase() + '9F2701',
    );
    expect(codec.unpack(bytes)).toEqual(m);
  });

  test('errors in ASCII elements name the byte', () => {
    const bad = Buffer.from(expected);
    bad[1] = 0x41;
    expect(codec.tryUnpack(bad)).toMatchObject({ ok: false, error: { message: 'MTI at byte 1: expected ASCII digits, got 0x41' } });
    const badMap = Buffer.from(expected);
    badMap[5] = 0x47;
    expect(codec.tryUnpack(badMap)).toMatchObject({ ok: false, error: { message: 'primary bitmap at byte 5: expected hex digits 0-9 A-F, got 0x47' } });
    const badPrefix = Buffer.from(expected);
    badPrefix[36] = 0x39; // field 2 prefix "96" > 19
    expect(codec.tryUnpack(badPrefix)).toMatchObject({ ok: false, error: { field: 2, offset: 36, message: 'field 2 at byte 36: expected length at most 19 digits, got 96' } });
  });

  test('describe masks by the spec flags', () => {
    expect(codec.describe(msg).fields).toMatchObject({ 2: { value: '476173******0119' }, 52: { value: '[REDACTED 8 bytes]' } });
  });
});

describe('loadSpec', () => {
  test('the default spec survives a JSON round trip', () => {
    const file = writeSpec('default.json', defaultSpec);
    const loaded: IsoSpec = loadSpec(file);
    expect(loaded).toEqual(JSON.parse(JSON.stringify(defaultSpec)));
    const sale = { mti: '0200', fields: { 2: '4761739001010119', 4: '000000001000', 52: Buffer.alloc(8, 7) } };
    expect(new Iso8583Codec(loaded).pack(sale)).toEqual(new Iso8583Codec(defaultSpec).pack(sale));
  });

  test('missing file', () => {
    const e = specError(join(dir, 'nope.json'));
    expect(e.message).toMatch(/^\/.*nope\.json: invalid ISO 8583 spec\n {2}- cannot read file: ENOENT/);
  });

  test('not JSON', () => {
    const file = writeSpec('broken.json', '{ "name": ');
    expect(specError(file).message).toMatch(new RegExp(`^${file}: invalid ISO 8583 spec\\n  - not valid JSON: `));
  });

  test.each<[string, unknown, string]>([
    ['encoding not allowed for the type', withField(52, { ...defaultSpec.fields[52], encoding: 'bcd' }), '$.fields.52.encoding: expected "binary" or "ascii" for type "b", got "bcd"'],
    ['unknown property', withField(2, { ...defaultSpec.fields[2], maxLen: 19 }), '$.fields.2.maxLen: unknown property "maxLen"'],
    ['missing property', withField(3, { name: 'Processing code', type: 'n', encoding: 'bcd', lengthType: 'fixed' }), '$.fields.3.length: missing; expected number'],
    ['LLVAR longer than 99', withField(2, { ...defaultSpec.fields[2], length: 100 }), '$.fields.2.length: expected at most 99 for llvar, got 100'],
    ['pad char not a hex digit on BCD', withField(3, { ...defaultSpec.fields[3], pad: { side: 'left', char: ' ' } }), '$.fields.3.pad: expected a hex digit as pad char for a BCD field, got " "'],
    ['pad char not valid for the type', withField(41, { ...defaultSpec.fields[41], pad: { side: 'right', char: '\u0000' } }), '$.fields.41.pad: expected a pad char valid for type "ans", got "\\u0000"'],
    ['prefix on a fixed field', withField(3, { ...defaultSpec.fields[3], prefix: 'bcd' }), '$.fields.3.prefix: expected no prefix on a fixed-length field'],
    ['field number out of range', withField(129, defaultSpec.fields[128]), '$.fields.129: invalid key: expected a field number 2-128'],
    ['bad sensitivity', withField(2, { ...defaultSpec.fields[2], sensitive: 'secret' }), '$.fields.2.sensitive: Invalid option: expected one of "pan"|"track"|"pin"'],
    ['bad MTI encoding', { ...defaultSpec, mtiEncoding: 'ebcdic' }, '$.mtiEncoding: Invalid option: expected one of "bcd"|"ascii"'],
  ])('%s', (name, content, problem) => {
    const file = writeSpec(`${name.replace(/\W+/g, '-')}.json`, content);
    const e = specError(file);
    expect(e.source).toBe(file);
    expect(e.problems).toContain(problem);
    expect(e.message).toContain(`${file}: invalid ISO 8583 spec`);
  });
});
