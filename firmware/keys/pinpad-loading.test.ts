// Loading a PIN pad from TR-31 blocks: the published examples load and their PIN blocks decrypt under the BDK;
// tampered, wrong-usage, wrong-mode and legacy blocks are refused with a reason and leave the pad untouched.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decryptPin } from '../crypto/dukpt';
import { encodeKeyBlock } from '../crypto/tr31';
import { createSimPinPad, type SimPinPad } from '../hal/pinpad/pinpad.sim';
import { KeyWrap } from './key-wrap';
import { loadPinPadKeyBlock, PinPadLoadError, type InitialKeyLoader } from './pinpad-loading';

const hex = (s: string) => Buffer.from(s, 'hex');
// ASC X9 TR-31:2018 Annex A.7.3.2 and ANSI X9.143:2021 §8.4.2: a TDES BDK (B0, mode X) with its KS block.
const A732 = { kbpk: '1D22BF32387C600AD97F9B97A51311AC', bdk: 'E8BC63E5479455E26577F715D587FE68', block: 'B0104B0TX12S0100KS1800604B120F9292800000BB68BE8680A400D9191AD4ECE45B6E6C0D21C4738A52190E248719E24B433627' };
const X9143_842 = { kbpk: A732.kbpk, block: 'B0120B0TX12S0100KS1800604B120F929280000015CEB14B76D551F21EC43A75390FA118A98C6CB049E3B9E864A5F4A8B9A5108A6DB5635C95B042D7' };
// TR-31:2018 A.7.3.1 (version C): read, loaded only where legacy blocks are allowed.
const A731_C = { kbpk: 'B8ED59E0A279A295E9F5ED7944FD06B9', block: 'C0096B0TX12S0100KS1800604B120F9292800000BFB9B689CB567E66FC3FEE5AD5F52161FC6545B9D60989015D02155C' };
// Thales payShield 10k: a TDES BDK (B0, mode N) under an AES-256 KBPK, no KS block.
const PAYSHIELD = { kbpk: '41'.repeat(32), block: 'D0112B0TN00N000037DB9B046B7B0048785690759580ABC3B9842AB4BB7717B49E92528E575785D8123559376A2553B27BE94F054F4E971C' };
// TR-31:2018 A.7.2.2: a P0 PIN encryption key, never a PIN pad's initial key.
const P0 = { kbpk: 'DD7515F2BFC17F85CE48F3CA25CB21F6', block: 'B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E' };
const PAN = '4761739001010010';

describe('loading a PIN pad from a TR-31 key block', () => {
  let dir: string;
  let pad: SimPinPad;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'posfw-loadpad-'));
    const config = { driver: 'sim' as const, scheme: 'tdes' as const, initialKey: '6AC292FAA1315B4D858AB3A3D7D5933A', ksn: 'FFFF9876543210E00000' };
    pad = createSimPinPad(config, { dataDir: dir, keyWrap: new KeyWrap(Buffer.alloc(32, 1), 'sim-pinpad') });
    await pad.open();
  });
  afterEach(async () => {
    await pad.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function pinBlock(): Promise<{ pinBlock: Buffer; ksn: Buffer; format: 0 | 4 }> {
    const r = pad.entry.requestPin({ pan: PAN, label: 'SALE', allowBypass: false });
    pad.enterPin('1234');
    const out = await r;
    if (out.kind !== 'pin') throw new Error(out.kind);
    return out;
  }

  it.each([
    ['TR-31:2018 A.7.3.2', A732.block],
    ['X9.143:2021 8.4.2', X9143_842.block],
  ])('%s (B0 BDK with KS) loads: the pad derives the IPEK, and its PIN blocks open under the BDK', async (_name, block) => {
    const r = await loadPinPadKeyBlock(pad.keys, block, hex(A732.kbpk));
    expect(r).toEqual({ keyUsage: 'B0', scheme: 'tdes', blockCheckValue: '9A4212', initialKeyCheckValue: expect.stringMatching(/^[0-9A-F]{6}$/), ksn: '00604B120F9292800000' });
    const p = await pinBlock();
    expect(p.ksn.toString('hex').toUpperCase()).toBe('00604B120F9292800001');
    expect(decryptPin({ bdk: hex(A732.bdk), ksn: p.ksn, pinBlock: p.pinBlock, pan: PAN, format: 0 })).toBe('1234');
  });

  it('a block without KS takes the KSN given, and refuses to guess one', async () => {
    await expect(loadPinPadKeyBlock(pad.keys, PAYSHIELD.block, hex(PAYSHIELD.kbpk))).rejects.toMatchObject({ code: 'ksn', message: expect.stringContaining('give the initial KSN with --ksn') });
    const r = await loadPinPadKeyBlock(pad.keys, PAYSHIELD.block, hex(PAYSHIELD.kbpk), { ksn: hex('FFFF1234560000000000') });
    expect(r).toMatchObject({ keyUsage: 'B0', blockCheckValue: 'FF5087', ksn: 'FFFF1234560000000000' });
    await expect(loadPinPadKeyBlock(pad.keys, A732.block, hex(A732.kbpk), { ksn: hex('FFFF1234560000000000') })).rejects.toThrow(/KS block gives the initial KSN 00604B120F9292800000, --ksn another one/);
  });

  it('loads an AES-128 B1 initial key with its IK block (X9.24-3 supplement key)', async () => {
    const kbpk = hex('89E88CF7931444F334BD7547FC3F380C');
    const block = encodeKeyBlock({ version: 'D', keyUsage: 'B1', algorithm: 'A', modeOfUse: 'X', optionalBlocks: [{ id: 'IK', data: '1234567890123456' }] }, hex('1273671EA26AC29AFA4D1084127652A1'), kbpk);
    expect(await loadPinPadKeyBlock(pad.keys, block, kbpk)).toMatchObject({ keyUsage: 'B1', scheme: 'aes128', ksn: '123456789012345600000000' });
    const p = await pinBlock();
    expect(p.format).toBe(4);
    expect(decryptPin({ bdk: hex('FEDCBA9876543210F1F1F1F1F1F1F1F1'), ksn: p.ksn, pinBlock: p.pinBlock, pan: PAN, format: 4 })).toBe('1234');
  });

  it.each([
    ['tampered (B0 changed to B1 in the header)', A732.block.replace('B0TX', 'B1TX'), A732.kbpk, 'mac', /MAC does not verify/],
    ['wrapped under another KBPK', A732.block, 'DD7515F2BFC17F85CE48F3CA25CB21F6', 'mac', /MAC does not verify/],
    ['wrong usage (P0, a PIN encryption key)', P0.block, P0.kbpk, 'key-usage', /key usage P0 \(PIN encryption key\) cannot be loaded into a PIN pad: it takes B1 \(initial DUKPT key\) or B0 \(BDK\)/],
    ['legacy version C without the board allowing it', A731_C.block, A731_C.kbpk, 'legacy-version', /version C key blocks use the deprecated TDES key variant binding/],
  ])('refuses a block %s, naming why, and leaves the pad as it was', async (_name, block, kbpk, code, reason) => {
    const before = await pinBlock();
    const err = await loadPinPadKeyBlock(pad.keys, block, hex(kbpk)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PinPadLoadError);
    expect(err).toMatchObject({ code, message: expect.stringMatching(reason) });
    expect(decryptPin({ bdk: hex('0123456789ABCDEFFEDCBA9876543210'), ...(await pinBlock()), pan: PAN, format: 0 })).toBe('1234');
    expect(before.ksn.equals((await pinBlock()).ksn)).toBe(false);
  });

  it('refuses a wrong mode of use (E: encrypt only, no derivation), and takes version C where the board allows legacy blocks', async () => {
    const kbpk = hex('89E88CF7931444F334BD7547FC3F380C');
    const modeE = encodeKeyBlock({ version: 'D', keyUsage: 'B1', algorithm: 'T', modeOfUse: 'E' }, hex('6AC292FAA1315B4D858AB3A3D7D5933A'), kbpk);
    await expect(loadPinPadKeyBlock(pad.keys, modeE, kbpk, { ksn: hex('FFFF9876543210E00000') })).rejects.toMatchObject({
      code: 'mode-of-use',
      message: 'mode of use E (Encrypt/wrap only) does not allow key derivation; a B1 key for DUKPT must have mode X (derive keys) or N (no special restrictions)',
    });
    expect(await loadPinPadKeyBlock(pad.keys, A731_C.block, hex(A731_C.kbpk), { allowLegacy: true })).toMatchObject({ keyUsage: 'B0', blockCheckValue: 'F4B08D' });
  });

  it('wipes the clear keys it held once the pad has its own copy', async () => {
    const seen: Buffer[] = [];
    const spy: InitialKeyLoader = { loadInitialKey: async (k) => void seen.push(k.initialKey) };
    await loadPinPadKeyBlock(spy, A732.block, hex(A732.kbpk));
    expect(seen[0].equals(Buffer.alloc(16))).toBe(true);
  });
});
