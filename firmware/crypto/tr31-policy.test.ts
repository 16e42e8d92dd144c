// PIN-pad key loading policy: published B0 blocks accepted, everything else refused with a reason; keys that work.
import { deterministicFill } from './deterministic-fill';
import { deriveInitialKey, encryptPin } from './dukpt';
import { encodeKeyBlock, type KeyBlockSpec } from './tr31';
import { checkPinPadKeyBlock, unwrapPinPadKey, type PinPadKeyDecision } from './tr31-policy';

const hex = (s: string) => Buffer.from(s, 'hex');
const up = (b: Buffer) => b.toString('hex').toUpperCase();

function refusal(d: PinPadKeyDecision): { code: string; reason: string } {
  if (d.accepted) throw new Error(`expected a refusal, got an accepted ${d.keyUsage} key`);
  return { code: d.code, reason: d.reason };
}

// Published blocks (sources in tr31.test.ts): TR-31:2018 A.7.3.x, X9.143:2021 8.4.x, payShield 10k, A.7.2.2, A.7.4.
const B0_B = { kbpk: '1D22BF32387C600AD97F9B97A51311AC', block: 'B0104B0TX12S0100KS1800604B120F9292800000BB68BE8680A400D9191AD4ECE45B6E6C0D21C4738A52190E248719E24B433627' };
const B0_B_X9143 = { kbpk: '1D22BF32387C600AD97F9B97A51311AC', block: 'B0120B0TX12S0100KS1800604B120F929280000015CEB14B76D551F21EC43A75390FA118A98C6CB049E3B9E864A5F4A8B9A5108A6DB5635C95B042D7' };
const B0_C = { kbpk: 'B8ED59E0A279A295E9F5ED7944FD06B9', block: 'C0096B0TX12S0100KS1800604B120F9292800000BFB9B689CB567E66FC3FEE5AD5F52161FC6545B9D60989015D02155C' };
const B0_D_MODE_N = { kbpk: '41'.repeat(32), block: 'D0112B0TN00N000037DB9B046B7B0048785690759580ABC3B9842AB4BB7717B49E92528E575785D8123559376A2553B27BE94F054F4E971C' };
const P0_B = { kbpk: 'DD7515F2BFC17F85CE48F3CA25CB21F6', block: 'B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E' };
const P0_D = { kbpk: '88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6', block: 'D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34' };
const D0_D = { kbpk: '41'.repeat(32), block: 'D0144D0AN00N0000127862F945C2DED04530FAF7CDBC8B0BA10C7AA79BD5E0C2C5D6AC173BF588E4B19ACF1357178D50EA0AB193228E13958304FC6149632DFDCADF3A5B3D57E814' };

describe('published blocks', () => {
  it.each([
    ['TR-31:2018 A.7.3.2 (B, B0, mode X, KS)', B0_B, 'E8BC63E5479455E26577F715D587FE68', '9A4212'],
    ['X9.143:2021 8.4.2 (B, B0, mode X, KS)', B0_B_X9143, 'E8BC63E5479455E26577F715D587FE68', '9A4212'],
  ])('accepts %s', (_name, v, key, kcv) => {
    const d = unwrapPinPadKey(v.block, hex(v.kbpk));
    expect(d).toMatchObject({ accepted: true, keyUsage: 'B0', scheme: 'tdes', checkValue: kcv });
    if (!d.accepted) return;
    expect([up(d.key), up(d.initialKeyId as Buffer), d.header.modeOfUse]).toEqual([key, '00604B120F9292800000', 'X']);
  });

  it('accepts a TDES BDK with mode N under an AES-256 KBPK (payShield 10k D0112B0TN...)', () => {
    expect(unwrapPinPadKey(B0_D_MODE_N.block, hex(B0_D_MODE_N.kbpk))).toMatchObject({ accepted: true, keyUsage: 'B0', scheme: 'tdes', checkValue: 'FF5087' });
  });

  it('refuses version C (TR-31:2018 A.7.3.1) unless allowLegacy is given', () => {
    expect(refusal(unwrapPinPadKey(B0_C.block, hex(B0_C.kbpk)))).toEqual({
      code: 'legacy-version',
      reason: 'version C key blocks use the deprecated TDES key variant binding; a PIN pad is loaded from version B or D blocks (the board config must allow legacy blocks to accept A or C)',
    });
    expect(unwrapPinPadKey(B0_C.block, hex(B0_C.kbpk), { allowLegacy: true })).toMatchObject({ accepted: true, keyUsage: 'B0', checkValue: 'F4B08D' });
  });

  it.each([
    ['A.7.2.2 P0', P0_B, 'key usage P0 (PIN encryption key) cannot be loaded into a PIN pad: it takes B1 (initial DUKPT key) or B0 (BDK)'],
    ['A.7.4 P0', P0_D, 'key usage P0 (PIN encryption key)'],
    ['payShield D0', D0_D, 'key usage D0 (Symmetric data encryption key)'],
  ])('refuses the wrong key usage: %s', (_name, v, reason) => {
    expect(refusal(unwrapPinPadKey(v.block, hex(v.kbpk)))).toEqual({ code: 'key-usage', reason: expect.stringContaining(reason) });
  });

  it('reports a tampered block as a MAC failure, not as a policy question', () => {
    const tampered = B0_B.block.replace('B0TX', 'B1TX');
    expect(refusal(unwrapPinPadKey(tampered, hex(B0_B.kbpk)))).toEqual({ code: 'mac', reason: expect.stringContaining('MAC does not verify') });
  });

  it('reports a KBPK of the wrong length or a truncated block', () => {
    expect(refusal(unwrapPinPadKey(B0_B.block, Buffer.alloc(32)))).toMatchObject({ code: 'kbpk' });
    expect(refusal(unwrapPinPadKey(B0_B.block.slice(0, 60), hex(B0_B.kbpk)))).toMatchObject({ code: 'truncated' });
  });
});

describe('policy over wrapped test keys', () => {
  const AES128 = Buffer.alloc(16, 0x21);
  const wrap = (spec: Partial<KeyBlockSpec>, key: Buffer, kbpk: Buffer = AES128) =>
    encodeKeyBlock({ version: 'D', keyUsage: 'B1', algorithm: 'T', modeOfUse: 'X', ...spec }, key, kbpk);

  it.each([
    [{ modeOfUse: 'E' }, hex('00'.repeat(16)), 'mode-of-use', 'mode of use E (Encrypt/wrap only) does not allow key derivation; a B1 key for DUKPT must have mode X (derive keys) or N (no special restrictions)'],
    [{ modeOfUse: 'Y' }, hex('00'.repeat(16)), 'mode-of-use', 'mode of use Y (Create key variants)'],
    [{ algorithm: 'H' }, hex('00'.repeat(16)), 'algorithm', 'algorithm H (HMAC) has no DUKPT'],
    [{}, Buffer.alloc(24, 1), 'key-length', 'a 24-byte TDES key cannot be used for DUKPT here: the PIN pad takes 16-byte (double-length) TDES keys'],
    [{ algorithm: 'A' }, Buffer.alloc(24, 1), 'key-length', 'a 24-byte AES key cannot be used for DUKPT here'],
    [{ algorithm: 'A' }, Buffer.alloc(32, 1), 'kbpk-strength', 'an AES-256 key must not be wrapped by a weaker KBPK (16-byte AES, 128-bit strength)'],
    [{ optionalBlocks: [{ id: 'KS', data: 'FFFF9876543210E0000' }] }, Buffer.alloc(16, 1), 'optional-block', 'KS optional block must be 20 hex digits (a 10-byte initial KSN) for a double-length TDES key, got 19 characters'],
    [{ algorithm: 'A', optionalBlocks: [{ id: 'IK', data: 'NOTHEX0123456789' }] }, Buffer.alloc(16, 1), 'optional-block', 'IK optional block must be 16 hex digits (an 8-byte initial key ID)'],
  ])('refuses a bad B1 block, case %#', (spec, key, code, reason) => {
    expect(refusal(unwrapPinPadKey(wrap(spec, key), AES128))).toEqual({ code, reason: expect.stringContaining(reason) });
  });

  it('refuses an AES key under a TDES KBPK (version B): weaker wrapping', () => {
    const block = encodeKeyBlock({ version: 'B', keyUsage: 'B1', algorithm: 'A', modeOfUse: 'X' }, Buffer.alloc(16, 3), Buffer.alloc(24, 4));
    expect(refusal(unwrapPinPadKey(block, Buffer.alloc(24, 4)))).toEqual({ code: 'kbpk-strength', reason: expect.stringContaining('(24-byte TDES, 112-bit strength)') });
  });

  it('checkPinPadKeyBlock leaves the key to its caller on refusal (unwrapPinPadKey wipes it)', () => {
    const decoded = { header: { version: 'D', keyUsage: 'P0', algorithm: 'T', modeOfUse: 'E' } as never, key: Buffer.alloc(16, 9) };
    expect(checkPinPadKeyBlock(decoded, 16)).toMatchObject({ accepted: false, code: 'key-usage' });
    expect(decoded.key).toEqual(Buffer.alloc(16, 9));
  });

  // ANSI X9.24-1:2009 A.4: the IPEK of BDK 0123456789ABCDEFFEDCBA9876543210 / KSN FFFF9876543210E00000, and the
  // PIN block for PIN 1234, PAN 4012345678909 at counter 1.
  it('a loaded TDES B1 initial key (with its KS) produces the X9.24-1 A.4 PIN block', () => {
    const block = wrap({ optionalBlocks: [{ id: 'KS', data: 'FFFF9876543210E00000' }] }, hex('6AC292FAA1315B4D858AB3A3D7D5933A'));
    const d = unwrapPinPadKey(block, AES128);
    if (!d.accepted) throw new Error(d.reason);
    const ksn = Buffer.from(d.initialKeyId as Buffer);
    ksn[9] = 0x01;
    expect(up(encryptPin({ scheme: d.scheme, initialKey: d.key, ksn, pin: '1234', pan: '4012345678909' }).pinBlock)).toBe('1B9C1845EB993A7A');
  });

  it('a loaded B0 BDK derives the X9.24-1 A.4 IPEK', () => {
    const block = wrap({ keyUsage: 'B0', modeOfUse: 'N', optionalBlocks: [{ id: 'KS', data: 'FFFF9876543210E00000' }] }, hex('0123456789ABCDEFFEDCBA9876543210'));
    const d = unwrapPinPadKey(block, AES128);
    if (!d.accepted) throw new Error(d.reason);
    expect(up(deriveInitialKey(d.key, d.initialKeyId as Buffer).initialKey)).toBe('6AC292FAA1315B4D858AB3A3D7D5933A');
  });

  // ANSI X9.24-3-2017 supplement: AES-128 initial key for initial key ID 1234567890123456, and the format 4 PIN
  // block for PIN 1234, PAN 4111111111111111 at counter 1 with the published fill.
  it('a loaded AES-128 B1 initial key (with its IK) produces the X9.24-3 supplement PIN block', () => {
    const block = wrap({ algorithm: 'A', optionalBlocks: [{ id: 'IK', data: '1234567890123456' }] }, hex('1273671EA26AC29AFA4D1084127652A1'));
    const d = unwrapPinPadKey(block, AES128);
    if (!d.accepted) throw new Error(d.reason);
    expect(d.scheme).toBe('aes128');
    const ksn = Buffer.concat([d.initialKeyId as Buffer, hex('00000001')]);
    const { pinBlock } = encryptPin({ scheme: d.scheme, initialKey: d.key, ksn, pin: '1234', pan: '4111111111111111', random: deterministicFill });
    expect(up(pinBlock)).toBe('A912150391AB65A67E52883D81CE2D15');
  });
});
