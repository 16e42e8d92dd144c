// E2E tests of `posfw qr decode|encode` through the built CLI (build first: npx tsc -p tsconfig.build.json).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc16Hex } from '../../firmware/qr/crc16';
import samples from '../../firmware/qr/fixtures/published-samples.json';
import { runCli } from '../helpers/cli';

const EMVCO = samples.find((s) => s.name === 'emvco-spec')!.payload;
const C_SCAN_B_SPEC = {
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
const C_SCAN_B_PAYLOAD =
  '00020101021226390016A0000003330101080115898310058120001520458125303156540523.725802CN5915POSFW TEST SHOP6008SHANGHAI62330117ECR-20240611-00420708TERM000163042946';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'posfw-qr-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('posfw qr decode', () => {
  it('prints every data object by name, templates indented, and the CRC verdict', async () => {
    const r = await runCli(['qr', 'decode', EMVCO]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('00  Payload Format Indicator                         01');
    expect(lines).toContain('29  Merchant Account Information');
    expect(lines).toContain('    05  Payment network specific                     A93FO3230Q');
    expect(lines).toContain('    01  Merchant Name - Alternate Language           最佳运输');
    expect(lines).toContain('    07  Terminal Label                               A6008667');
    expect(lines).toContain('91  Unreserved Template');
    expect(lines.slice(-3)).toEqual(['63  CRC                                              A13A', 'CRC A13A ok', '']);
    expect(lines).toHaveLength(30);
  });

  it('--json: validity, CRC verdict, the object tree and the fields by name', async () => {
    const r = await runCli(['qr', 'decode', EMVCO, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.valid).toBe(true);
    expect(out.crc).toEqual({ ok: true, expected: 'A13A', found: 'A13A' });
    expect(out.objects.find((o: { tag: string }) => o.tag === '64').children.map((c: { path: string; value: string }) => [c.path, c.value])).toEqual([
      ['64.00', 'ZH'],
      ['64.01', '最佳运输'],
      ['64.02', '北京'],
    ]);
    expect(out.merchantQr).toMatchObject({ pointOfInitiation: 'dynamic', amount: '23.72', currencyNumeric: '156', merchantName: 'BEST TRANSPORT', crc: 'A13A' });
  });

  it.each(samples.map((s) => [s.name, s.payload, s.crc]))('decodes the published sample %s', async (_name, payload, crc) => {
    const r = await runCli(['qr', 'decode', payload, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, crc: { ok: true, found: crc } });
  });

  it('reads the payload from stdin (one trailing newline dropped)', async () => {
    const r = await runCli(['qr', 'decode', '-', '--json'], { input: EMVCO + '\n' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).merchantQr.alternateLanguage).toEqual({ language: 'ZH', merchantName: '最佳运输', merchantCity: '北京' });
  });

  it('a bad CRC: the tree and the verdict on stdout, the reason on stderr, exit 1', async () => {
    const r = await runCli(['qr', 'decode', EMVCO.slice(0, -4) + 'A13B']);
    expect(r.code).toBe(1);
    expect(r.stdout.endsWith('63  CRC                                              A13B\nCRC mismatch: expected A13A, found A13B\n')).toBe(true);
    expect(r.stderr).toBe('posfw qr decode: tag 63 at position 240: CRC mismatch: expected A13A, found A13B\n');
    const json = JSON.parse((await runCli(['qr', 'decode', EMVCO.slice(0, -4) + 'A13B', '--json'])).stdout);
    expect(json).toMatchObject({ valid: false, crc: { ok: false, expected: 'A13A', found: 'A13B' }, error: { code: 'crc-mismatch', tag: '63', position: 240 } });
  });

  it('a one-character change in the merchant name fails the CRC', async () => {
    const r = await runCli(['qr', 'decode', EMVCO.replace('BEST TRANSPORT', 'BEST TRANSP0RT')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^posfw qr decode: tag 63 at position 240: CRC mismatch: expected [0-9A-F]{4}, found A13A\n$/);
  });

  it('a malformed TLV: nothing on stdout, why on stderr, exit 1 (and a JSON error with --json)', async () => {
    const r = await runCli(['qr', 'decode', '000201010212599BEST']);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toBe('posfw qr decode: tag 59 at position 12: expected a two-digit length, got "9B"\n');
    const j = await runCli(['qr', 'decode', '0002010102125920BEST', '--json']);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toEqual({
      valid: false,
      error: { code: 'overrun', message: 'tag 59 at position 12: length 20 runs past the end of the payload: 4 characters left', tag: '59', position: 12 },
    });
    expect(j.stderr).toBe('posfw qr decode: tag 59 at position 12: length 20 runs past the end of the payload: 4 characters left\n');
  });

  it('a rule broken under a good CRC: the tree, "CRC ok", and the rule on stderr, exit 1', async () => {
    const body = C_SCAN_B_PAYLOAD.slice(0, -8).replace('6008SHANGHAI', '6016SHANGHAI PUDONG!') + '6304';
    const r = await runCli(['qr', 'decode', body + crc16Hex(body)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\nCRC [0-9A-F]{4} ok\n$/);
    expect(r.stderr).toBe('posfw qr decode: tag 60 at position 104: Merchant City: value of 16 characters exceeds the maximum 15\n');
  });

  it('usage errors exit 2: no payload, unknown option, no subcommand', async () => {
    const none = await runCli(['qr', 'decode']);
    expect([none.code, none.stderr]).toEqual([2, 'posfw qr decode: expected a payload as the argument or on stdin, got nothing\n']);
    expect((await runCli(['qr', 'decode', EMVCO, '--hex'])).code).toBe(2);
    expect((await runCli(['qr'])).code).toBe(2);
    expect((await runCli(['qr', 'decode', '--help'])).code).toBe(0);
  });
});

describe('posfw qr encode', () => {
  it('prints the payload for a JSON spec, which decodes back', async () => {
    const r = await runCli(['qr', 'encode', '--json', JSON.stringify(C_SCAN_B_SPEC)]);
    expect([r.code, r.stderr, r.stdout]).toEqual([0, '', C_SCAN_B_PAYLOAD + '\n']);
    const back = await runCli(['qr', 'decode', r.stdout.trim(), '--json']);
    expect(JSON.parse(back.stdout).merchantQr.additionalData).toEqual({ billNumber: 'ECR-20240611-0042', terminalLabel: 'TERM0001', fields: { '01': 'ECR-20240611-0042', '07': 'TERM0001' } });
  });

  it('reads the spec from @file and from stdin', async () => {
    const file = join(dir, 'spec.json');
    writeFileSync(file, JSON.stringify({ ...C_SCAN_B_SPEC, alternateLanguage: { language: 'ZH', merchantName: '测试商店', merchantCity: '上海' } }));
    const fromFile = await runCli(['qr', 'encode', '--json', `@${file}`]);
    expect([fromFile.code, fromFile.stdout.slice(fromFile.stdout.indexOf('6420'))]).toEqual([0, '64200002ZH0104测试商店0202上海6304D210\n']);
    const fromStdin = await runCli(['qr', 'encode', '--json', '-'], { input: JSON.stringify(C_SCAN_B_SPEC) });
    expect(fromStdin.stdout).toBe(C_SCAN_B_PAYLOAD + '\n');
  });

  it('a spec the builder refuses exits 1 naming the field', async () => {
    const r = await runCli(['qr', 'encode', '--json', JSON.stringify({ ...C_SCAN_B_SPEC, merchantName: 'A MERCHANT NAME OF 26 CHAR' })]);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toBe('posfw qr encode: merchantName (tag 59): Merchant Name: value of 26 characters exceeds the maximum 25\n');
  });

  it('usage errors exit 2: no --json, invalid JSON, unreadable file', async () => {
    expect((await runCli(['qr', 'encode'])).code).toBe(2);
    const bad = await runCli(['qr', 'encode', '--json', '{"mcc":']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^posfw qr encode: expected SPEC as JSON \(or @file\), got invalid JSON: /);
    const missing = await runCli(['qr', 'encode', '--json', `@${join(dir, 'absent.json')}`]);
    expect([missing.code, missing.stderr]).toEqual([2, `posfw qr encode: cannot read the spec file ${join(dir, 'absent.json')}: ENOENT\n`]);
  });
});
