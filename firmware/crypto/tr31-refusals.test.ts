// TR-31 refusals: tampered, truncated and malformed blocks, bad key length fields, check values and expectations.
import { displayCheckValue } from './key-check-value';
import { decodeKeyBlock, encodeKeyBlock, readKeyBlockHeader, Tr31Error } from './tr31';
import { sealPayload } from './tr31-binding';
import { deriveBindingKeys } from './tr31-derive';
import { buildHeader } from './tr31-header';

const hex = (s: string) => Buffer.from(s, 'hex');

/** The Tr31Error `fn` throws (fails the test when it returns or throws something else). */
function tr31ErrorOf(fn: () => unknown): Tr31Error {
  try {
    fn();
  } catch (err) {
    if (err instanceof Tr31Error) return err;
    throw err;
  }
  throw new Error('expected a Tr31Error, but the call returned');
}

function expectTr31(fn: () => unknown, code: string, text = ''): void {
  const err = tr31ErrorOf(fn);
  expect({ code: err.code, message: err.message }).toEqual({ code, message: expect.stringContaining(text) });
}

// Published examples (TR-31:2018 A.7.2.1, A.7.2.2, A.7.3.1, A.7.4; see tr31.test.ts for sources).
const SAMPLES = [
  { kbpk: '89E88CF7931444F334BD7547FC3F380C', block: 'A0072P0TE00E0000F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE8701' },
  { kbpk: 'DD7515F2BFC17F85CE48F3CA25CB21F6', block: 'B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E' },
  { kbpk: 'B8ED59E0A279A295E9F5ED7944FD06B9', block: 'C0096B0TX12S0100KS1800604B120F9292800000BFB9B689CB567E66FC3FEE5AD5F52161FC6545B9D60989015D02155C' },
  { kbpk: '88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6', block: 'D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34' },
];
const [A, B, , D] = SAMPLES;

/** Another character of the same kind (hex digit, letter, digit), so the block stays well-formed-looking. */
function sibling(c: string): string {
  if (/[0-9A-F]/.test(c)) return '0123456789ABCDEF'['0123456789ABCDEF'.indexOf(c) ^ 1];
  if (/[G-Z]/.test(c)) return c === 'Z' ? 'Y' : String.fromCharCode(c.charCodeAt(0) + 1);
  return c === 'a' ? 'b' : 'a';
}

describe('tampering', () => {
  it.each(SAMPLES.map((s) => [s.block.slice(0, 16), s] as const))('%s: changing any one character is refused; in the authenticated body it is a MAC failure', (_h, s) => {
    const kbpk = hex(s.kbpk);
    const headerLength = readKeyBlockHeader(s.block).text.length;
    const codes = new Set<string>();
    for (let i = 0; i < s.block.length; i++) {
      const changed = s.block.slice(0, i) + sibling(s.block[i]) + s.block.slice(i + 1);
      const err = tr31ErrorOf(() => decodeKeyBlock(changed, kbpk));
      if (i >= headerLength || (i >= 5 && i < 12)) expect([i, err.code]).toEqual([i, 'mac']);
      codes.add(err.code);
    }
    expect([...codes].every((c) => ['mac', 'version', 'length-field', 'truncated', 'header', 'optional-block', 'characters'].includes(c))).toBe(true);
  });

  it.each(SAMPLES.map((s) => [s.block.slice(0, 16), s] as const))('%s: flipping the low bit of any byte is refused', (_h, s) => {
    for (let i = 0; i < s.block.length; i++) {
      const changed = s.block.slice(0, i) + String.fromCharCode(s.block.charCodeAt(i) ^ 1) + s.block.slice(i + 1);
      expect(tr31ErrorOf(() => decodeKeyBlock(changed, hex(s.kbpk)))).toBeInstanceOf(Tr31Error);
    }
  });

  it.each(SAMPLES.map((s) => [s.block.slice(0, 16), s] as const))('%s: every truncation is refused', (_h, s) => {
    for (let n = 0; n < s.block.length; n++) expect(tr31ErrorOf(() => decodeKeyBlock(s.block.slice(0, n), hex(s.kbpk)))).toBeInstanceOf(Tr31Error);
  });

  it('a wrong KBPK of the right size is a MAC failure', () => {
    expectTr31(() => decodeKeyBlock(B.block, Buffer.alloc(16, 0x11)), 'mac', 'key block MAC does not verify (version B): wrong KBPK, or the block was altered');
    expectTr31(() => decodeKeyBlock(D.block, Buffer.alloc(32, 0x11)), 'mac', 'version D');
  });

  it('accepts lower-case hex in the body (the MAC covers the bytes, not their spelling)', () => {
    const lower = A.block.slice(0, 16) + A.block.slice(16).toLowerCase();
    expect(decodeKeyBlock(lower, hex(A.kbpk)).key.toString('hex').toUpperCase()).toBe('F039121BEC83D26B169BDCD5B22AAF8F');
  });
});

describe('malformed blocks', () => {
  it.each([
    ['', 'truncated', 'key block is 0 characters; its fixed header alone takes 16'],
    ['B0016P0TE00N', 'truncated', 'key block is 12 characters'],
    ['E0084B0TV16N0000B2AE5E26BBA7F246E84D5EA24167E208A6B66EF2E27E55A52DB52F0AEACB94C57547', 'version', 'key block version ID "E" is not one this codec reads (A, B, C or D)'],
    ['A007XP0TE00E0000F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE8701', 'length-field', 'key block length field "007X" is not 4 decimal digits'],
    ['A0080P0TE00E0000F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE8701', 'truncated', 'length field says 80 characters but the block has 72'],
    [A.block + '00000000', 'length-field', 'length field says 72 characters but the block has 80'],
    ['A0072P_TE00E0000F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE8701', 'header', 'header key usage "P_" is not 2 upper-case letters or digits'],
    ['A0072P0TE00E0X00F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE8701', 'header', 'number of optional blocks "0X" is not 2 decimal digits'],
    ['A0072P0TE00E0000F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE870\u00e9', 'characters', 'key block character 72 is not printable ASCII (code 0xE9)'],
    ['A0072P0TE00E0000F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE870\n', 'characters', 'code 0x0A'],
    ['A0072P0TE00E0000F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE870X', 'characters', 'key block character 72 ("X") is not a hex digit'],
    ['A0024M3TC00E00009AA5BBA6', 'truncated', 'key block has 8 characters after its header; version A needs at least 24'],
    ['B0088P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F534117000000006EED7B727B8A248E', 'length-field', 'encrypted key is 28 bytes, not a multiple of the 8-byte TDES block'],
  ])('%#: %s', (block, code, text) => {
    expectTr31(() => decodeKeyBlock(block, Buffer.alloc(16)), code, text);
  });

  it.each([
    ['B0024P0TE00N0100KS02000000', 'optional-block', 'optional block 1 of 1 (KS) length 2 is shorter than its own ID and length fields (4)'],
    ['B0024P0TE00N0100KS1Y000000', 'optional-block', 'optional block 1 of 1 (KS) length "1Y" is not 2 hex digits'],
    ['B0024P0TE00N0100KS0000', 'optional-block', 'extended length-of-length is 0'],
    ['B0024P0TE00N0100KSFF00', 'truncated', 'optional block 1 of 1 (KS) is 255 characters but runs past the end of the key block'],
    ['B0024P0TE00N0200KS08AAAA', 'truncated', 'optional block 2 of 2 starts at character 25, past the end'],
    ['B0032P0TE00N0200PB04KS08AAAA', 'optional-block', 'optional block 1 of 2 is the PB padding block, which must be the last optional block'],
    ['B0036P0TE00N0100KS0A00000000', 'optional-block', 'header is 26 characters, not a multiple of 8 as version B requires'],
    ['B0024P0TE00N0100**04', 'optional-block', 'optional block 1 of 1 ID "**" is not 2 upper-case letters or digits'],
  ])('optional blocks %#: %s', (block, code, text) => {
    expectTr31(() => readKeyBlockHeader(block), code, text);
  });

  it('the header-multiple rule takes the version block size: 24 characters are fine for B, not for D', () => {
    expect(() => readKeyBlockHeader('B0024P0TE00N0100KS08AAAA')).not.toThrow();
    expectTr31(() => readKeyBlockHeader('D0024P0TE00N0100KS08AAAA'), 'optional-block', 'not a multiple of 16 as version D requires');
  });
});

describe('key length field (MAC-valid blocks from psec tests/test_tr31.py, KBPK "EEEE...E")', () => {
  const kbpk = Buffer.from('E'.repeat(16), 'ascii');
  it.each([
    ['A0056M3TC00E0000C6F4C83842160CBA48D98A1218862857124FAF46', 'key length field is 3 bits, not a whole number of bytes'],
    ['B0064M3TC00E0000F74E0A3502C5CEE07342D5DE9E72135E4A81944F80691F0F', 'key length field is 3 bits'],
    ['C0056M3TC00E0000F71573EB7441BB50A5C4511893AFB37B5B95A4AD', 'key length field is 3 bits'],
    ['D0080M3TC00E000007E81A7F29A870D4A0CD5AB27E9FEC4A8863E879B11EA3A0ADA406AD26D35B2F', 'key length field is 3 bits'],
    ['A0056M3TC00E0000EF14FD71CFCDCE0630AD5C1CDE0041DCF95CF1D0', 'key length field says 16 bytes but the payload holds at most 14'],
    ['B0064M3TC00E00000398DC96A5DDB0EF61E26F8935173BD478DF9484050A672A', 'key length field says 16 bytes but the payload holds at most 14'],
    ['C0056M3TC00E000001235EC22408B6CE866746FF992B8707FD7A26D2', 'key length field says 16 bytes but the payload holds at most 14'],
    ['D0112P0AE00E00000DC02E4C2B63120403CC732FB1B17E6D44138E7C341AE7368DEAD6FB4673F25ECFD803F1101F701A7FE8BD3516D3D1BF', 'key length field says 32 bytes but the payload holds at most 30'],
  ])('%s', (block, text) => {
    expectTr31(() => decodeKeyBlock(block, kbpk), 'key-length', text);
  });

  it('refuses a MAC-valid block whose key length field is 0', () => {
    const kbpk16 = Buffer.alloc(16, 0x33);
    const header = buildHeader({ version: 'B', keyUsage: 'K0', algorithm: 'T', modeOfUse: 'B', keyVersion: '00', exportability: 'N', keyContext: '0', optionalBlocks: [] }, 48 + 16);
    const { encrypted, mac } = sealPayload('B', deriveBindingKeys('B', kbpk16), header, Buffer.alloc(24));
    const block = header + encrypted.toString('hex').toUpperCase() + mac.toString('hex').toUpperCase();
    expectTr31(() => decodeKeyBlock(block, kbpk16), 'key-length', 'key length field is 0: the block holds no key');
  });

  it('refuses a single-length key labelled TDES (psec known-value block A0088M3TC00E0000...)', () => {
    const block = 'A0088M3TC00E000062C2C14D8785A01A9E8283525CA96F490D0CC6346FC7C2AC1E6FF354468910379AA5BBA6';
    expectTr31(() => decodeKeyBlock(block, hex('AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB')), 'key-length', 'a 8-byte key does not fit algorithm T (16 or 24 bytes)');
  });
});

describe('KBPK, check values and expectations', () => {
  it('refuses a KBPK whose length or algorithm does not fit the version', () => {
    expectTr31(() => decodeKeyBlock(B.block, Buffer.alloc(32)), 'kbpk', 'a version B key block needs a TDES KBPK of 16 or 24 bytes, got 32 bytes');
    expectTr31(() => decodeKeyBlock(D.block, Buffer.alloc(8)), 'kbpk', 'needs an AES KBPK of 16, 24 or 32 bytes, got 8 bytes');
    expectTr31(() => decodeKeyBlock(B.block, hex(B.kbpk), { kbpkAlgorithm: 'A' }), 'kbpk', 'a version B key block is protected by a TDES KBPK, not AES');
    expectTr31(() => decodeKeyBlock(D.block, hex(D.kbpk), { kbpkAlgorithm: 'T' }), 'kbpk', 'a version D key block is protected by an AES KBPK, not TDES');
  });

  const kbpk = Buffer.alloc(16, 0x42);
  const key = hex('0123456789ABCDEFFEDCBA9876543210');
  const wrap = (blocks: Array<{ id: string; data: string }>) =>
    encodeKeyBlock({ version: 'B', keyUsage: 'B1', algorithm: 'T', modeOfUse: 'X', optionalBlocks: blocks }, key, kbpk);

  it('checks KC (wrapped key) and KP (KBPK) check values, legacy and CMAC', () => {
    const kc = displayCheckValue('T', key) as string;
    const kp = displayCheckValue('T', kbpk) as string;
    expect(decodeKeyBlock(wrap([{ id: 'KC', data: '00' + kc }, { id: 'KP', data: '00' + kp }]), kbpk).key).toEqual(key);
    expectTr31(() => decodeKeyBlock(wrap([{ id: 'KC', data: '00000000' }]), kbpk), 'kcv', 'KC check value of the wrapped key does not match');
    expectTr31(() => decodeKeyBlock(wrap([{ id: 'KP', data: '01' + '00'.repeat(5) }]), kbpk), 'kcv', 'KP check value of the KBPK does not match');
    expectTr31(() => decodeKeyBlock(wrap([{ id: 'KC', data: '02ABCDEF' }]), kbpk), 'optional-block', 'KC optional block "02ABCDEF" is not 00 (legacy) or 01 (CMAC)');
  });

  it('refuses a key usage, mode of use or algorithm the caller does not accept, after the MAC verified', () => {
    expectTr31(() => decodeKeyBlock(A.block, hex(A.kbpk), { keyUsages: ['B0', 'B1'] }), 'key-usage', 'key usage P0 is not accepted here (expected B0 or B1)');
    expectTr31(() => decodeKeyBlock(A.block, hex(A.kbpk), { modesOfUse: ['X', 'N'] }), 'mode-of-use', 'mode of use E is not accepted for key usage P0 (expected X or N)');
    expectTr31(() => decodeKeyBlock(A.block, hex(A.kbpk), { algorithms: ['A'] }), 'algorithm', 'key algorithm T is not accepted here (expected A)');
    const tampered = A.block.replace('P0TE', 'B1TX');
    expectTr31(() => decodeKeyBlock(tampered, hex(A.kbpk), { keyUsages: ['B1'] }), 'mac');
  });
});
