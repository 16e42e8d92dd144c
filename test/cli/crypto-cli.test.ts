// End-to-end tests for `posfw dukpt` and `posfw pinblock` through the built CLI, with published X9.24 vectors.
import { runCli } from '../helpers/cli';

// ANSI X9.24-1:2009 A.4 test data.
const TDES_BDK = '0123456789ABCDEFFEDCBA9876543210';
// ANSI X9.24-3-2017 supplement test vectors (x9.org), initial key ID 1234567890123456.
const AES128_BDK = 'FEDCBA9876543210F1F1F1F1F1F1F1F1';
const AES256_BDK = AES128_BDK + AES128_BDK;

describe('posfw dukpt', () => {
  it('TDES: IPEK, E00001 transaction key and encrypted PIN block (X9.24-1 A.4)', async () => {
    const r = await runCli(['dukpt', '--bdk', TDES_BDK, '--ksn', 'FFFF9876543210E00001', '--pin', '1234', '--pan', '4012345678909', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      scheme: 'tdes',
      initialKey: '6AC292FAA1315B4D858AB3A3D7D5933A',
      transactionKey: '042666B49184CFA368DE9628D0397BC9',
      pinKey: '042666B49184CF5C68DE9628D0397B36',
      encryptedPinBlock: '1B9C1845EB993A7A',
    });
  });

  it('accepts lower-case hex and prints upper case; rollover KSN EFF801', async () => {
    const r = await runCli(['dukpt', '--bdk', TDES_BDK.toLowerCase(), '--ksn', 'ffff9876543210eff801', '--pin', '1234', '--pan', '4012345678909', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ transactionKey: '5BEE92627E97825C911BF619DF72CA3B', encryptedPinBlock: '3A86BF003F835C9D' });
  });

  it('AES-128: initial key, transaction key and the supplement format 4 block with --deterministic', async () => {
    const r = await runCli(['dukpt', '--bdk', AES128_BDK, '--ksn', '123456789012345600000001', '--pin', '1234', '--pan', '4111111111111111', '--deterministic', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      scheme: 'aes128',
      initialKey: '1273671EA26AC29AFA4D1084127652A1',
      transactionKey: '4F21B565BAD9835E112B6465635EAE44',
      pinKey: 'AF8CB133A78F8DC2D1359F18527593FB',
      encryptedPinBlock: 'A912150391AB65A67E52883D81CE2D15',
    });
  });

  it('AES-256: initial and transaction keys; random format 4 block decodes under the published PIN key', async () => {
    const r = await runCli(['dukpt', '--bdk', AES256_BDK, '--ksn', '123456789012345600000001', '--pin', '4321', '--pan', '4111111111111111', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      scheme: 'aes256',
      initialKey: 'CE9CE0C101D1138F97FB6CAD4DF045A7083D4EAE2D35A31789D01CCF0949550F',
      transactionKey: '54AC2B32B145EA4A554CB8BC44B17467063A799856B1CCC2A138D36E8DBF78B3',
    });
    expect(out.encryptedPinBlock).toMatch(/^[0-9A-F]{32}$/);
    const pinKey = '8C1AB7BEE973829E30242E0BBBDD4946D540C98FC1B5BDCF94790001A23FD502';
    expect(out.pinKey).toBe(pinKey);
    // The printed PIN key chains straight into pinblock decode.
    const d = await runCli(['pinblock', 'decode', '--format', '4', '--block', out.encryptedPinBlock, '--pan', '4111111111111111', '--key', out.pinKey, '--json']);
    expect([d.code, JSON.parse(d.stdout)]).toEqual([0, { pin: '4321' }]);
  });

  it('prints readable text without --json', async () => {
    const r = await runCli(['dukpt', '--bdk', TDES_BDK, '--ksn', 'FFFF9876543210E00001']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      ['scheme           tdes  TDES DUKPT (ANSI X9.24-1)', 'initial key      6AC292FAA1315B4D858AB3A3D7D5933A', 'transaction key  042666B49184CFA368DE9628D0397BC9', 'PIN key          042666B49184CF5C68DE9628D0397B36  (pinblock decode --key)', ''].join('\n'),
    );
  });

  it.each([
    [['--bdk', '0123', '--ksn', 'FFFF9876543210E00001'], 'posfw dukpt: --bdk must be 16 bytes (32 hex digits) or 32 bytes (64 hex digits), got 2 bytes\n'],
    [['--bdk', TDES_BDK.slice(0, 31) + 'G', '--ksn', 'FFFF9876543210E00001'], 'posfw dukpt: --bdk must contain hex digits only (0-9, A-F)\n'],
    [['--bdk', TDES_BDK, '--ksn', 'FFFF9876543210E0000'], 'posfw dukpt: --ksn must have an even number of hex digits, got 19\n'],
    [['--bdk', AES256_BDK, '--ksn', 'FFFF9876543210E00001'], expect.stringContaining('no DUKPT scheme for a 32-byte key with a 10-byte KSN')],
    [['--bdk', TDES_BDK, '--ksn', 'FFFF9876543210E00000'], expect.stringContaining('counter is 0')],
    [['--bdk', TDES_BDK, '--ksn', 'FFFF9876543210EFF803'], expect.stringContaining('11 one-bits; at most 10')],
    [['--bdk', TDES_BDK, '--ksn', 'FFFF9876543210E00001', '--pin', '1234'], 'posfw dukpt: --pin and --pan go together: give both or neither\n'],
  ])('exits 2 with a clear message on bad input %#', async (args, message) => {
    const r = await runCli(['dukpt', ...args, '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toEqual(message);
  });
});

describe('posfw pinblock', () => {
  it('encodes the X9.24-1 A.4 clear format 0 block', async () => {
    const r = await runCli(['pinblock', 'encode', '--format', '0', '--pin', '1234', '--pan', '4012345678909', '--json']);
    expect([r.code, JSON.parse(r.stdout)]).toEqual([0, { pinBlock: '041274EDCBA9876F' }]);
  });

  it('encodes the X9.24-3 supplement format 4 example with --deterministic, and randomly without it', async () => {
    const args = ['pinblock', 'encode', '--format', '4', '--pin', '1234', '--pan', '4111111111111111', '--key', 'af8cb133a78f8dc2d1359f18527593fb', '--json'];
    const fixed = await runCli([...args, '--deterministic']);
    expect([fixed.code, JSON.parse(fixed.stdout)]).toEqual([0, { pinBlock: 'A912150391AB65A67E52883D81CE2D15' }]);
    const random = await runCli(args);
    expect(random.code).toBe(0);
    expect(JSON.parse(random.stdout).pinBlock).toMatch(/^[0-9A-F]{32}$/);
    expect(JSON.parse(random.stdout).pinBlock).not.toBe('A912150391AB65A67E52883D81CE2D15');
  });

  it('decodes format 0 (clear, and TDES-enciphered under the E00001 PIN key) and format 4 (ep2 example)', async () => {
    const clear = await runCli(['pinblock', 'decode', '--format', '0', '--block', '041274edcba9876f', '--pan', '4012345678909', '--json']);
    expect([clear.code, JSON.parse(clear.stdout)]).toEqual([0, { pin: '1234' }]);
    const tdes = await runCli(['pinblock', 'decode', '--format', '0', '--block', '1B9C1845EB993A7A', '--pan', '4012345678909', '--key', '042666B49184CF5C68DE9628D0397B36']);
    expect([tdes.code, tdes.stdout]).toEqual([0, 'PIN  1234\n']);
    const ep2 = await runCli(['pinblock', 'decode', '--format', '4', '--block', 'CC17F65586BFD0953010226C4FC5B3CA', '--pan', '432198765432109870', '--key', 'C1D0F8FB4958670DBA40AB1F3752EF0D', '--json']);
    expect([ep2.code, JSON.parse(ep2.stdout)]).toEqual([0, { pin: '1234' }]);
  });

  it.each([
    [['--format', '0', '--block', '241261AAAAEDCBA9', '--pan', '5555555551234567'], 'invalid PIN block: not an ISO format 0 PIN block: control field is 2, expected 0'],
    [['--format', '0', '--block', '041261AAAAEDCBAA', '--pan', '5555555551234567'], 'invalid PIN block: fill nibble at position 15 is not F (format 0 fills with F)'],
    [['--format', '4', '--block', 'A912150391AB65A67E52883D81CE2D15', '--pan', '4111111111111111', '--key', 'D30BDC73EC9714B000BEC66BDB7B6D09'], 'invalid PIN block: '],
  ])('exits 1 and says why on an invalid block %#', async (args, message) => {
    const r = await runCli(['pinblock', 'decode', ...args, '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`posfw pinblock decode: ${message}`);
  });

  it.each([
    [['decode', '--format', '3', '--block', '00', '--pan', '4111111111111111'], '--format must be 0 or 4, got "3"'],
    [['decode', '--format', '4', '--block', 'A912150391AB65A67E52883D81CE2D15', '--pan', '4111111111111111'], '--format 4 needs --key'],
    [['decode', '--format', '4', '--block', 'A9121503', '--pan', '4111111111111111', '--key', 'D30BDC73EC9714B000BEC66BDB7B6D09'], '--block must be 16 bytes (32 hex digits), got 4 bytes'],
    [['decode', '--format', '0', '--block', 'XX1261AAAAEDCBA9', '--pan', '5555555551234567'], '--block must contain hex digits only'],
    [['encode', '--format', '0', '--pin', '12', '--pan', '4012345678909'], 'PIN must be 4 to 12 digits, got 2'],
    [['encode', '--format', '0', '--pin', '1234', '--pan', '40123'], 'format 0 PAN must be 13 to 19 decimal digits, got 5'],
    [['encode', '--format', '4', '--pin', '1234', '--pan', '4111111111111111', '--key', '0011'], '--key must be 16 bytes'],
  ])('exits 2 on bad input %#', async (args, message) => {
    const r = await runCli(['pinblock', ...args, '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });
});
