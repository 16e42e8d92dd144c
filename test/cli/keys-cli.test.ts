// End-to-end tests for `posfw keys tr31 decode|encode` through the built CLI, with published TR-31 / X9.143 blocks.
import { runCli } from '../helpers/cli';

// ANSI X9.143:2021 8.4.2 (version B, BDK with a KS block) and TR-31:2018 A.7.4 / A.7.2.1 (versions D and A), as
// transcribed in openemv/tr31 test/tr31_decrypt_test.c and knovichikhin/psec tests/test_tr31.py.
const B0 = {
  kbpk: '1D22BF32387C600AD97F9B97A51311AC',
  block: 'B0120B0TX12S0100KS1800604B120F929280000015CEB14B76D551F21EC43A75390FA118A98C6CB049E3B9E864A5F4A8B9A5108A6DB5635C95B042D7',
  key: 'E8BC63E5479455E26577F715D587FE68',
};
const D = {
  kbpk: '88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6',
  block: 'D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34',
  key: '3F419E1CB7079442AA37474C2EFBF8B8',
};
const A = { kbpk: '89E88CF7931444F334BD7547FC3F380C', block: 'A0072P0TE00E0000F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE8701', key: 'F039121BEC83D26B169BDCD5B22AAF8F' };

const decode = (args: string[]) => runCli(['keys', 'tr31', 'decode', ...args]);
const encode = (args: string[]) => runCli(['keys', 'tr31', 'encode', ...args]);

describe('posfw keys tr31 decode', () => {
  it('prints the header fields as JSON, without the key unless --reveal (X9.143:2021 8.4.2)', async () => {
    const r = await decode(['--kbpk', B0.kbpk, B0.block, '--json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout)).toEqual({
      version: 'B',
      keyUsage: 'B0',
      algorithm: 'T',
      modeOfUse: 'X',
      keyLength: 16,
      keyVersion: '12',
      exportability: 'S',
      keyContext: '0',
      optionalBlocks: [{ id: 'KS', data: '00604B120F9292800000' }],
      checkValue: '9A4212',
    });
    expect(r.stdout).not.toContain(B0.key);
  });

  it('--reveal adds the key in upper-case hex; the KBPK may be lower case', async () => {
    const r = await decode(['--kbpk', A.kbpk.toLowerCase(), A.block, '--json', '--reveal']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ version: 'A', keyUsage: 'P0', modeOfUse: 'E', keyLength: 16, checkValue: 'CB9DEA', key: A.key });
  });

  it('prints readable text without --json (TR-31:2018 A.7.4, version D)', async () => {
    const r = await decode(['--kbpk', D.kbpk, D.block]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'version        D  AES key derivation binding, CMAC',
        'key usage      P0  PIN encryption key',
        'algorithm      A  AES',
        'mode of use    E  Encrypt/wrap only',
        'key version    00  (none)',
        'exportability  E  Exportable under a KEK, in a form meeting X9.24',
        'key context    0  Determined by the wrapping key',
        'key length     16 bytes',
        'check value    08793E25AB',
        '',
      ].join('\n'),
    );
  });

  const tampered = B0.block.slice(0, 60) + (B0.block[60] === '0' ? '1' : '0') + B0.block.slice(61);
  it.each([
    [[B0.block, '--kbpk', '0123456789ABCDEFFEDCBA9876543210'], 'key block MAC does not verify (version B): wrong KBPK, or the block was altered'],
    [[tampered, '--kbpk', B0.kbpk], 'key block MAC does not verify (version B): wrong KBPK, or the block was altered'],
    [[B0.block.replace('B0120', 'B0128'), '--kbpk', B0.kbpk], 'key block length field says 128 characters but the block has 120'],
    [[B0.block.slice(0, 112), '--kbpk', B0.kbpk], 'key block length field says 120 characters but the block has 112'],
    [[B0.block.replace('B0120', 'B01X0'), '--kbpk', B0.kbpk], 'key block length field "01X0" is not 4 decimal digits'],
    [['E' + B0.block.slice(1), '--kbpk', B0.kbpk], 'key block version ID "E" is not one this codec reads (A, B, C or D)'],
    [[B0.block.slice(0, 119) + 'G', '--kbpk', B0.kbpk], 'key block character 120 ("G") is not a hex digit; the encrypted key and MAC are hex'],
    [[B0.block, '--kbpk', D.kbpk], 'a version B key block needs a TDES KBPK of 16 or 24 bytes, got 32 bytes'],
  ])('exits 1 with the reason when the block does not check out %#', async (args, reason) => {
    const r = await decode([...args, '--json', '--reveal']);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toBe(`posfw keys tr31 decode: key block refused: ${reason}\n`);
    expect(r.stderr).not.toContain(B0.key);
  });

  it.each([
    [[B0.block], "error: required option '--kbpk <hex>' not specified"],
    [['--kbpk', B0.kbpk], "error: missing required argument 'block'"],
    [[B0.block, '--kbpk', 'XYZ'], 'posfw keys tr31 decode: --kbpk must contain hex digits only (0-9, A-F)'],
    [[B0.block, '--kbpk', '0011223344'], 'posfw keys tr31 decode: --kbpk must be 8 bytes (16 hex digits) or 16 bytes'],
  ])('exits 2 on a usage error %#', async (args, message) => {
    const r = await decode(args);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain(message);
  });

  it('exits 2 for an unknown subcommand', async () => {
    const r = await runCli(['keys', 'tr31', 'unwrap']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error: unknown command 'unwrap'");
  });
});

describe('posfw keys tr31 encode', () => {
  it.each([
    ['B', '0123456789ABCDEFFEDCBA9876543210', 'T', '6AC292FAA1315B4D858AB3A3D7D5933A', 'KS=FFFF9876543210E00000', 120],
    ['D', 'FEDCBA9876543210F1F1F1F1F1F1F1F1', 'A', '1273671EA26AC29AFA4D1084127652A1', 'IK=1234567890123456', 176],
  ])('wraps a B1 key in version %s that decode reads back', async (version, kbpk, algorithm, key, opt, length) => {
    const e = await encode(['--kbpk', kbpk, '--key', key, '--block-version', version, '--usage', 'B1', '--algorithm', algorithm, '--mode', 'X', '--opt', opt, '--json']);
    expect([e.code, e.stderr]).toEqual([0, '']);
    const { keyBlock, checkValue } = JSON.parse(e.stdout);
    expect(keyBlock).toHaveLength(length);
    expect(keyBlock.slice(0, 12)).toBe(`${version}0${length}B1${algorithm}X00N`);
    const d = await decode(['--kbpk', kbpk, keyBlock, '--json', '--reveal']);
    const out = JSON.parse(d.stdout);
    expect(out).toMatchObject({ keyUsage: 'B1', modeOfUse: 'X', key, checkValue });
    expect(out.optionalBlocks[0]).toEqual({ id: opt.slice(0, 2), data: opt.slice(3) });
  });

  it('prints readable text without --json; --mask changes the padding', async () => {
    const r = await encode(['--kbpk', A.kbpk, '--key', A.key, '--block-version', 'B', '--usage', 'P0', '--algorithm', 'T', '--mode', 'E', '--mask', '16']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^key block {4}B0080P0TE00N0000[0-9A-F]{64}\ncheck value {2}CB9DEA\n$/);
  });

  it.each([
    [['--block-version', 'C'], '--block-version must be B (TDES KBPK) or D (AES KBPK), got "C"'],
    [['--block-version', 'B', '--usage', 'b1'], 'key usage "b1" is not 2 upper-case letters or digits'],
    [['--block-version', 'B', '--kbpk', D.kbpk], 'a version B key block needs a TDES KBPK of 16 or 24 bytes, got 32 bytes'],
    [['--block-version', 'D', '--algorithm', 'A', '--key', '00112233'], 'a 4-byte key does not fit algorithm A (16, 24 or 32 bytes)'],
    [['--block-version', 'B', '--opt', 'KS'], '--opt must be ID=DATA'],
    [['--block-version', 'B', '--mask', 'x'], '--mask must be a whole number of bytes'],
  ])('exits 2 on bad input, never echoing the key %#', async (args, message) => {
    const base = { '--kbpk': A.kbpk, '--key': A.key, '--usage': 'B1', '--algorithm': 'T', '--mode': 'X' } as Record<string, string>;
    for (let i = 0; i < args.length; i += 2) base[args[i]] = args[i + 1];
    const r = await encode(Object.entries(base).flat());
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain(A.key);
  });
});
