// TR-31 / X9.143 key blocks against the published examples: decode A/B/C/D, exact-byte wrap of B/D, refusals.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cbcDecrypt } from './block-modes';
import { displayCheckValue } from './key-check-value';
import { decodeKeyBlock, encodeKeyBlock, readKeyBlockHeader, Tr31Error, type KeyBlockSpec } from './tr31';
import { deriveBindingKeys } from './tr31-derive';

const hex = (s: string) => Buffer.from(s, 'hex');
const up = (b: Buffer) => b.toString('hex').toUpperCase();

/** Expects `fn` to throw a Tr31Error with `code` whose message contains `text`. */
function expectTr31(fn: () => unknown, code: string, text = ''): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(Tr31Error);
  expect({ code: (caught as Tr31Error).code, message: (caught as Tr31Error).message }).toEqual({ code, message: expect.stringContaining(text) });
}

// Sources (every block, KBPK, key and check value below is published; none is computed by this code):
// - ASC X9 TR-31:2018 Annex A.7 examples and ANSI X9.143:2021 section 8 examples, as transcribed in
//   openemv/tr31 test/tr31_decrypt_test.c and knovichikhin/psec tests/test_tr31.py (test_kb_known_values).
// - Thales payShield 10k generated blocks published in openemv/tr31 test/tr31_decrypt_test.c (tests 1, 7, 8).
// - Third-party blocks in psec tests/test_tr31.py test_kb_known_values (3-key TDES KBPKs, masked keys, PB blocks).
const PUBLISHED: Array<{ source: string; kbpk: string; block: string; key: string; kcv?: string }> = [
  { source: 'TR-31:2018 A.7.2.1 (version A)', kbpk: '89E88CF7931444F334BD7547FC3F380C', block: 'A0072P0TE00E0000F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE8701', key: 'F039121BEC83D26B169BDCD5B22AAF8F', kcv: 'CB9DEA' },
  { source: 'TR-31:2018 A.7.2.2 (version B)', kbpk: 'DD7515F2BFC17F85CE48F3CA25CB21F6', block: 'B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E', key: '3F419E1CB7079442AA37474C2EFBF8B8', kcv: '57C409' },
  { source: 'TR-31:2018 A.7.3.1 (version C, BDK, KS block)', kbpk: 'B8ED59E0A279A295E9F5ED7944FD06B9', block: 'C0096B0TX12S0100KS1800604B120F9292800000BFB9B689CB567E66FC3FEE5AD5F52161FC6545B9D60989015D02155C', key: 'EDB380DD340BC2620247D445F5B8D678', kcv: 'F4B08D' },
  { source: 'TR-31:2018 A.7.3.2 (version B, BDK, KS block)', kbpk: '1D22BF32387C600AD97F9B97A51311AC', block: 'B0104B0TX12S0100KS1800604B120F9292800000BB68BE8680A400D9191AD4ECE45B6E6C0D21C4738A52190E248719E24B433627', key: 'E8BC63E5479455E26577F715D587FE68', kcv: '9A4212' },
  { source: 'TR-31:2018 A.7.4 (version D)', kbpk: '88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6', block: 'D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34', key: '3F419E1CB7079442AA37474C2EFBF8B8', kcv: '08793E25AB' },
  { source: 'X9.143:2021 8.1 (version D, masked key length)', kbpk: '88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6', block: 'D0144P0AE00E00002C77FA3F4A553BED6E88AE5C172A4166E3D4ACA8E2AC71C158A476FAC12C13C3829DE55D3AB54C48F4C4FEF7AC75E90FC47F1B77E7B19A73ED46E64410082557', key: '3F419E1CB7079442AA37474C2EFBF8B8', kcv: '08793E25AB' },
  { source: 'X9.143:2021 8.4.1 (version C, BDK)', kbpk: 'B8ED59E0A279A295E9F5ED7944FD06B9', block: 'C0112B0TX12S0100KS1800604B120F929280000042B758A2400AB598AE37782823DAF0BA4BDB0DAFF34915345CA169AE1F976A429EB139E5', key: 'EDB380DD340BC2620247D445F5B8D678', kcv: 'F4B08D' },
  { source: 'X9.143:2021 8.4.2 (version B, BDK)', kbpk: '1D22BF32387C600AD97F9B97A51311AC', block: 'B0120B0TX12S0100KS1800604B120F929280000015CEB14B76D551F21EC43A75390FA118A98C6CB049E3B9E864A5F4A8B9A5108A6DB5635C95B042D7', key: 'E8BC63E5479455E26577F715D587FE68', kcv: '9A4212' },
  { source: 'payShield 10k, version A', kbpk: 'EFE0853B256B583D868F251CE99EA1D9', block: 'A0072K0TN00N0000F40D5672C6D0EC86F860BA88D44D00F0CA9A8CE8CD2F640287A9A9EB', key: '5DB50B454F8389ADCE573BE50861F2BF', kcv: '5C9405' },
  { source: 'payShield 10k, version B', kbpk: 'EFE0853B256B583D868F251CE99EA1D9', block: 'B0080K0TN00N00001C414014375212C24995E405B5EE052CB92B67F455EA2680F6751088F9F1C228', key: '5DB50B454F8389ADCE573BE50861F2BF', kcv: '5C9405' },
  { source: 'payShield 10k, version C', kbpk: 'EFE0853B256B583D868F251CE99EA1D9', block: 'C0072K0TN00N0000C9B875FF7A5316BF221C09ED52080DE0B45632A4EA9CE87699CB565E', key: '5DB50B454F8389ADCE573BE50861F2BF', kcv: '5C9405' },
  { source: 'payShield 10k, version D, TDES BDK, mode N', kbpk: '41'.repeat(32), block: 'D0112B0TN00N000037DB9B046B7B0048785690759580ABC3B9842AB4BB7717B49E92528E575785D8123559376A2553B27BE94F054F4E971C', key: '1FA1F7CEC798D91545DA8AE0C7796BD9', kcv: 'FF5087' },
  { source: 'payShield 10k, version D, AES-256 data key', kbpk: '41'.repeat(32), block: 'D0144D0AN00N0000127862F945C2DED04530FAF7CDBC8B0BA10C7AA79BD5E0C2C5D6AC173BF588E4B19ACF1357178D50EA0AB193228E13958304FC6149632DFDCADF3A5B3D57E814', key: 'BE19E6A07A760F10EF8E83A226B63AAD141F463FDDD4F47DB244B4023EC3CACC' },
  { source: 'psec, version A, 2-key TDES KBPK', kbpk: 'AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB', block: 'A0088M3TC00E0000BE8AE894906D0B8F6FF555573A3907DC37FF13B12CE1CB8A97A97C8414AE1A8FF9183122', key: 'CCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD' },
  { source: 'psec, version B, 2-key TDES KBPK', kbpk: 'AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB', block: 'B0096M3TC00E0000D578DACC2286C7D10F20DEA88799CA8A2F44E0CC21226A2158D5DC8FD5C78E621327DA956C678808', key: 'CCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD' },
  { source: 'psec, version C, 2-key TDES KBPK', kbpk: 'AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB', block: 'C0088M3TC00E00009BC6306FC31891BF87B3148463627B1D68C603D9FAB9074E4A0D2E78D40B29905A826F5C', key: 'CCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD' },
  { source: 'psec, version A, 3-key TDES KBPK', kbpk: 'AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCC', block: 'A0088M3TC00E000022BD7EC46BBE2A6A73389D1BA6DB63120B386F912839F4679C0523399E4D8D0F1D9A356E', key: 'CCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD' },
  { source: 'psec, version B, 3-key TDES KBPK', kbpk: 'AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCC', block: 'B0096M3TC00E0000C7C6FE86A5DE769C20DCA238C52341378B484D544A9764D43963C3B2824AE56C2D07A565DD3AB342', key: 'CCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD' },
  { source: 'psec, version C, 3-key TDES KBPK', kbpk: 'AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCC', block: 'C0088M3TC00E000091FA4978279FD9C218BDCBE9CC62F11A182F828406B67AC61B5573748FCF348FD59FA93A', key: 'CCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD' },
  { source: 'psec, version A, masked key length', kbpk: '89E88CF7931444F334BD7547FC3F380C', block: 'A0088P0TE00E00007DD4DD9566DC0E2F956DCAC0FDE9153159539373E9D82D3CD4AFD305A7EF1BA67FE03712', key: 'F039121BEC83D26B169BDCD5B22AAF8F' },
  { source: 'psec, version B, KS block', kbpk: '89E88CF7931444F334BD7547FC3F380C', block: 'B0120P0TE12E0100KS1800604B120F9292800000E6E28F097CB0350B2EB2DF520947F779FA34D9759CEE7E0DEEACF8353DB778D47FA4EC20DA3A9754', key: 'F039121BEC83D26B169BDCD5B22AAF8F' },
  { source: 'psec, version A, KS and PB blocks', kbpk: 'B8ED59E0A279A295E9F5ED7944FD06B9', block: 'A0112P0TE12E0200KS1400604B120F929280PB047A1BB737854CD7AF58A8A1E4506A942277EDA76EBA6BA228AF62ADDA3AD8799E8B2C8CD7', key: 'F039121BEC83D26B169BDCD5B22AAF8F' },
];

describe('decodeKeyBlock: published examples', () => {
  it.each(PUBLISHED.map((v) => [v.source, v] as const))('%s', (_source, v) => {
    const { header, key } = decodeKeyBlock(v.block, hex(v.kbpk));
    expect(up(key)).toBe(v.key);
    expect(header.version).toBe(v.block[0]);
    expect(header.length).toBe(v.block.length);
    if (v.kcv) expect(displayCheckValue(header.algorithm, key)?.startsWith(v.kcv)).toBe(true);
  });

  it('reads every header field of TR-31:2018 A.7.3.1 (C0096B0TX12S0100KS18...)', () => {
    const v = PUBLISHED[2];
    const { header } = decodeKeyBlock(v.block, hex(v.kbpk));
    expect(header).toEqual({
      version: 'C',
      length: 96,
      keyUsage: 'B0',
      algorithm: 'T',
      modeOfUse: 'X',
      keyVersion: '12',
      exportability: 'S',
      keyContext: '0',
      optionalBlocks: [{ id: 'KS', data: '00604B120F9292800000', length: 24 }],
      text: 'C0096B0TX12S0100KS1800604B120F9292800000',
    });
  });

  // ANSI X9.143:2021 8.5 and 8.6: RSA and EC private keys, certificates in CT blocks with extended lengths,
  // TS time stamps and KP (KBPK check value, CMAC) blocks. Data in test/fixtures/tr31/x9143-asymmetric.json.
  const big = JSON.parse(readFileSync(join(__dirname, '../../test/fixtures/tr31/x9143-asymmetric.json'), 'utf8'));
  it.each([['rsa'], ['ec']])('X9.143:2021 asymmetric example (%s): extended-length CT block, TS and KP checked', (name) => {
    const v = big[name];
    const { header, key } = decodeKeyBlock(v.keyBlock, hex(v.kbpk));
    expect(up(key)).toBe(v.key);
    expect(header.optionalBlocks.map((b) => b.id)).toEqual(['CT', 'KP', 'TS', 'PB']);
    expect(header.optionalBlocks[0].length).toBeGreaterThan(255);
    expect(header.optionalBlocks.find((b) => b.id === 'KP')?.data).toBe('01' + v.kbpkCheckValue);
    expect(header.optionalBlocks.find((b) => b.id === 'TS')?.data).toBe(v.timestamp);
  });

  it('derives the A.7.4 KBMK (KBAK) as published alongside the example', () => {
    const keys = deriveBindingKeys('D', hex(PUBLISHED[4].kbpk));
    expect(up(keys.kbmk)).toBe('4EF24317696213840451890756757E573E0673483888F9B7F9B7517827F95022');
  });
});

describe('encodeKeyBlock', () => {
  it('reproduces TR-31:2018 A.7.4 exactly with its published padding (no masking)', () => {
    const v = PUBLISHED[4];
    const block = encodeKeyBlock({ version: 'D', keyUsage: 'P0', algorithm: 'A', modeOfUse: 'E', exportability: 'E' }, hex(v.key), hex(v.kbpk), {
      maskedKeyLength: 16,
      random: () => hex('1C2965473CE206BB855B01533782'),
    });
    expect(block).toBe(v.block);
  });

  it('reproduces X9.143:2021 8.1 exactly with its published padding (default AES masking to 32 bytes)', () => {
    const v = PUBLISHED[5];
    const block = encodeKeyBlock({ version: 'D', keyUsage: 'P0', algorithm: 'A', modeOfUse: 'E', exportability: 'E' }, hex(v.key), hex(v.kbpk), {
      random: (n) => (n === 30 ? hex('1A87BBFA2CFE78D383E5F4C6AA83473C1C2965473CE206BB855B01533782') : Buffer.alloc(0)),
    });
    expect(block).toBe(v.block);
  });

  it.each([
    [PUBLISHED[1], { keyUsage: 'P0', modeOfUse: 'E', exportability: 'E' }],
    [PUBLISHED[3], { keyUsage: 'B0', modeOfUse: 'X', keyVersion: '12', exportability: 'S', optionalBlocks: [{ id: 'KS', data: '00604B120F9292800000' }] }],
  ])('reproduces the published version B block $source given the padding it carries', (v, fields) => {
    // The padding is random in the standard; read it back from the published block and wrap again.
    const kbpk = hex(v.kbpk);
    const header = readKeyBlockHeader(v.block);
    const keys = deriveBindingKeys('B', kbpk);
    const body = hex(v.block.slice(header.text.length));
    const clear: Buffer = cbcDecrypt('tdes', keys.kbek, body.subarray(body.length - 8), body.subarray(0, body.length - 8));
    const block = encodeKeyBlock({ version: 'B', algorithm: 'T', ...fields }, hex(v.key), kbpk, {
      maskedKeyLength: 16,
      random: () => clear.subarray(18),
    });
    expect(block).toBe(v.block);
  });

  it.each([
    ['B', 16],
    ['B', 24],
    ['D', 16],
    ['D', 24],
    ['D', 32],
  ] as const)('round-trips version %s under a %i-byte KBPK with optional blocks', (version, kbpkLength) => {
    const kbpk = Buffer.alloc(kbpkLength, 0x5a);
    const key = hex('0123456789ABCDEFFEDCBA9876543210');
    const optionalBlocks = [{ id: 'KS', data: 'FFFF9876543210E00000' }, { id: 'LB', data: 'X'.repeat(300) }];
    const block = encodeKeyBlock({ version, keyUsage: 'B1', algorithm: 'T', modeOfUse: 'X', optionalBlocks }, key, kbpk);
    const out = decodeKeyBlock(block, kbpk);
    expect(up(out.key)).toBe(up(key));
    expect(out.header.optionalBlocks.slice(0, 2).map((b) => [b.id, b.data])).toEqual(optionalBlocks.map((b) => [b.id, b.data]));
    expect(out.header.text.length % (version === 'D' ? 16 : 8)).toBe(0);
  });

  it('masks TDES keys to 24 bytes and AES keys to 32 by default, so block lengths do not reveal key lengths', () => {
    const kbpk = Buffer.alloc(32, 1);
    const lengths = [16, 24, 32].map((n) => encodeKeyBlock({ version: 'D', keyUsage: 'B1', algorithm: 'A', modeOfUse: 'X' }, Buffer.alloc(n, 2), kbpk).length);
    expect(new Set(lengths)).toEqual(new Set([144]));
    const tdes = [16, 24].map((n) => encodeKeyBlock({ version: 'B', keyUsage: 'B1', algorithm: 'T', modeOfUse: 'X' }, Buffer.alloc(n, 2), kbpk.subarray(0, 16)).length);
    expect(tdes).toEqual([96, 96]);
  });

  it('writes A and C only with allowLegacy', () => {
    const kbpk = Buffer.alloc(16, 7);
    const spec = { version: 'C', keyUsage: 'P0', algorithm: 'T', modeOfUse: 'E' } as const;
    expectTr31(() => encodeKeyBlock(spec, Buffer.alloc(16, 1), kbpk), 'version', 'version C key blocks are deprecated');
    const block = encodeKeyBlock(spec, Buffer.alloc(16, 1), kbpk, { allowLegacy: true });
    expect(decodeKeyBlock(block, kbpk).key).toEqual(Buffer.alloc(16, 1));
    const single = encodeKeyBlock({ ...spec, version: 'A', algorithm: 'D' }, Buffer.alloc(8, 3), Buffer.alloc(8, 9), { allowLegacy: true });
    expect(decodeKeyBlock(single, Buffer.alloc(8, 9)).key).toEqual(Buffer.alloc(8, 3));
  });

  it.each<[Partial<KeyBlockSpec>, string, string]>([
    [{ keyUsage: 'b1' }, 'input', 'key usage "b1" is not 2 upper-case letters or digits'],
    [{ modeOfUse: '?' }, 'input', 'mode of use "?"'],
    [{ optionalBlocks: [{ id: 'PB', data: '00' }] }, 'input', 'PB padding block is added by the encoder'],
    [{ optionalBlocks: [{ id: 'LB', data: 'caf\u00e9' }] }, 'characters', 'optional block LB data character 4 is not printable ASCII'],
    [{ optionalBlocks: [{ id: 'LB', data: 'X'.repeat(9990) }] }, 'input', 'the length field allows 9999'],
    [{ algorithm: 'A' }, 'input', 'a 17-byte key does not fit algorithm A (16, 24 or 32 bytes)'],
  ])('refuses bad input %#', (fields, code, text) => {
    const spec: KeyBlockSpec = { version: 'B', keyUsage: 'B1', algorithm: 'T', modeOfUse: 'X', ...fields };
    const key = fields.algorithm === 'A' ? Buffer.alloc(17) : Buffer.alloc(16);
    expectTr31(() => encodeKeyBlock(spec, key, Buffer.alloc(16)), code, text);
  });

  it('refuses a KBPK of the wrong size or algorithm for the version', () => {
    expectTr31(() => encodeKeyBlock({ version: 'B', keyUsage: 'B1', algorithm: 'T', modeOfUse: 'X' }, Buffer.alloc(16), Buffer.alloc(32)), 'kbpk', 'needs a TDES KBPK of 16 or 24 bytes, got 32 bytes');
    expectTr31(() => encodeKeyBlock({ version: 'D', keyUsage: 'B1', algorithm: 'T', modeOfUse: 'X' }, Buffer.alloc(16), Buffer.alloc(8)), 'kbpk', 'needs an AES KBPK of 16, 24 or 32 bytes, got 8 bytes');
  });
});

describe('readKeyBlockHeader', () => {
  // openemv/tr31 test/tr31_decode_test.c: B1 initial DUKPT keys with KS, KC (legacy KCV) and KP blocks.
  it('reads B1 headers with KS, KC and KP optional blocks without a key', () => {
    const h = readKeyBlockHeader('B0128B1TX00N0300KS18FFFF00A0200001E00000KC0C000169E3KP0C00ECAD626F9F1A826814AA066D86C8C18BD0E14033E1EBEC75BEDF586E6E325F3AA8C0E5');
    expect([h.keyUsage, h.algorithm, h.modeOfUse, h.exportability]).toEqual(['B1', 'T', 'X', 'N']);
    expect(h.optionalBlocks.map((b) => [b.id, b.data])).toEqual([
      ['KS', 'FFFF00A0200001E00000'],
      ['KC', '000169E3'],
      ['KP', '00ECAD62'],
    ]);
  });
});
