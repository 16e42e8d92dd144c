// E2E tests of `posfw iso8583 decode|encode|spec` through the built CLI (build first: npx tsc -p tsconfig.build.json).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSpec } from '../../firmware/host/iso8583';
import { ROOT, runCli } from '../helpers/cli';

const ASCII_SPEC = join(ROOT, 'firmware', 'host', 'iso8583', 'fixtures', 'ascii-spec.json');
const SALE_HEX =
  '0200F020000020C01004000000000000000116476173900101011900000000000000100000012334' +
  '4761739001010119D221220117589288895445524D303030314D45524348414E5430303030303031' +
  '080123456789ABCDEF00094543522D5245462D310101010101010101';

/** One value of every field type and length type in the default spec (test card data). */
const EVERY_TYPE: Record<string, string> = {
  '2': '4761739001010119123', // n LLVAR, odd
  '3': '310000', // n fixed
  '4': '000000012345',
  '7': '0611093015',
  '14': '2212',
  '22': '021', // n fixed, odd
  '32': '12345678901',
  '35': '4761739001010119D2212201175892888', // z LLVAR, odd
  '37': '123456789012', // an fixed
  '38': 'AB12CD',
  '39': '00',
  '41': 'TERM0001', // ans fixed
  '42': 'MERCHANT0000001',
  '44': 'APPROVED', // ans LLVAR
  '48': 'private {data} with "quotes"', // ans LLLVAR
  '52': '0123456789ABCDEF', // b LLVAR
  '53': 'FFFF9876543210E00001',
  '54': '1001156C000000050000',
  '62': 'ECR-20240611-000042',
  '64': '1122334455667788', // b fixed
  '70': '301',
  '90': '020000004206110930150000001234500000000000',
  '128': 'A1A2A3A4A5A6A7A8', // secondary bitmap
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'posfw-iso-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('posfw iso8583 decode', () => {
  test('prints the message with card data masked', async () => {
    const r = await runCli(['iso8583', 'decode', SALE_HEX]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('MTI 0200  (spec posfw-default)');
    expect(r.stdout).toMatch(/ {4}2 {2}Primary account number +476173\*{6}0119\n/);
    expect(r.stdout).toMatch(/ {3}35 {2}Track 2 data +\[REDACTED 17 bytes\]\n/);
    expect(r.stdout).toMatch(/ {3}52 {2}PIN block +\[REDACTED 8 bytes\]\n/);
    expect(r.stdout).not.toContain('4761739001010119');
    expect(r.stdout).not.toContain('0123456789ABCDEF');
  });

  test('--json, and --reveal shows card data', async () => {
    const masked = await runCli(['iso8583', 'decode', SALE_HEX, '--json']);
    expect(masked.code).toBe(0);
    const view = JSON.parse(masked.stdout);
    expect(view.spec).toBe('posfw-default');
    expect(view.mti).toBe('0200');
    expect(view.fields['2']).toEqual({ name: 'Primary account number', value: '476173******0119' });
    const revealed = JSON.parse((await runCli(['iso8583', 'decode', SALE_HEX, '--json', '--reveal'])).stdout);
    expect(revealed.fields['2'].value).toBe('4761739001010119');
    expect(revealed.fields['52'].value).toBe('0123456789ABCDEF');
    expect(revealed.fields['35'].value).toBe('4761739001010119D22122011758928889');
  });

  test('reads hex from stdin', async () => {
    const r = await runCli(['iso8583', 'decode', '-', '--json'], { input: SALE_HEX.match(/.{1,32}/g)!.join('\n') + '\n' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).fields['41'].value).toBe('TERM0001');
  });

  test('garbage bytes: field, offset and what was expected on stderr, exit 1', async () => {
    const truncated = await runCli(['iso8583', 'decode', SALE_HEX.slice(0, 46)]);
    expect(truncated.code).toBe(1);
    expect(truncated.stdout).toBe('');
    expect(truncated.stderr).toBe('posfw iso8583 decode: field 2 at byte 19: expected 8 BCD bytes, got 4\n');
    const badNibble = await runCli(['iso8583', 'decode', '0200' + '3000000000000000' + '00000A' + '000000001000']);
    expect(badNibble.code).toBe(1);
    expect(badNibble.stderr).toBe('posfw iso8583 decode: field 3 at byte 12: expected BCD digits 0-9, got 0x0A\n');
  });

  test('--json errors are JSON on stdout too', async () => {
    const r = await runCli(['iso8583', 'decode', '0200' + '0800000000000000', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      error: {
        message: 'field 5 at byte 10: expected a field defined in spec "posfw-default", got bit 5 set in the bitmap',
        field: 5,
        offset: 10,
        expected: 'a field defined in spec "posfw-default"',
        got: 'bit 5 set in the bitmap',
      },
    });
  });

  test('input that is not hex', async () => {
    const r = await runCli(['iso8583', 'decode', '0200ZZ']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('posfw iso8583 decode: expected hex bytes, got "Z" at position 4\n');
  });
});

describe('posfw iso8583 encode', () => {
  test('prints upper-case hex; b fields as hex with an optional hex: prefix', async () => {
    const r = await runCli(['iso8583', 'encode', '{"mti":"0200","fields":{"2":"4761739001010119","4":"1000","52":"hex:0123456789abcdef"}}']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('0200' + '5000000000001000' + '164761739001010119' + '000000001000' + '080123456789ABCDEF' + '\n');
  });

  test('encode then decode round-trips every field type', async () => {
    const enc = await runCli(['iso8583', 'encode', JSON.stringify({ mti: '0210', fields: EVERY_TYPE })]);
    expect(enc.code).toBe(0);
    const dec = await runCli(['iso8583', 'decode', enc.stdout.trim(), '--json', '--reveal']);
    expect(dec.code).toBe(0);
    const view = JSON.parse(dec.stdout);
    expect(view.mti).toBe('0210');
    expect(Object.fromEntries(Object.entries(view.fields as Record<string, { value: string }>).map(([k, f]) => [k, f.value]))).toEqual(EVERY_TYPE);
  });

  test('a bad value names the field', async () => {
    const r = await runCli(['iso8583', 'encode', '{"mti":"0200","fields":{"4":"12.50"}}']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('posfw iso8583 encode: field 4: expected digits (n), got "." at position 2\n');
  });

  test('invalid JSON', async () => {
    const r = await runCli(['iso8583', 'encode', '{"mti":']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^posfw iso8583 encode: expected a JSON message, got invalid JSON: /);
  });
});

describe('--spec FILE', () => {
  test('ASCII spec: encode and decode round trip', async () => {
    const msg = { mti: '0200', fields: { '2': '4761739001010119', '4': '1234', '35': '4761739001010119=2212', '52': '0123456789ABCDEF', '128': '5A5A5A5A5A5A5A5A' } };
    const enc = await runCli(['iso8583', 'encode', JSON.stringify(msg), '--spec', ASCII_SPEC]);
    expect(enc.code).toBe(0);
    expect(Buffer.from(enc.stdout.trim(), 'hex').subarray(0, 4).toString('latin1')).toBe('0200');
    const dec = await runCli(['iso8583', 'decode', enc.stdout.trim(), '--spec', ASCII_SPEC, '--json', '--reveal']);
    expect(dec.code).toBe(0);
    const view = JSON.parse(dec.stdout);
    expect(view.spec).toBe('ascii-hex-example');
    expect(view.fields['4'].value).toBe('000000001234');
    expect(view.fields['35'].value).toBe('4761739001010119=2212');
    expect(view.fields['52'].value).toBe('0123456789ABCDEF');
  });

  test('an invalid spec file is reported with its path', async () => {
    const file = join(dir, 'bad-spec.json');
    writeFileSync(file, JSON.stringify({ ...defaultSpec, bitmapEncoding: 'base64' }));
    const r = await runCli(['iso8583', 'decode', SALE_HEX, '--spec', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`posfw iso8583 decode: ${file}: invalid ISO 8583 spec\n  - $.bitmapEncoding: Invalid option: expected one of "binary"|"hex"\n`);
  });

  test('spec prints the default spec as JSON that loads back', async () => {
    const r = await runCli(['iso8583', 'spec']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(defaultSpec)));
  });
});
