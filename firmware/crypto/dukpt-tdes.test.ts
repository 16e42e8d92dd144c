// ANSI X9.24-1:2009 TDES DUKPT against the standard's Annex A.4 test data: IPEK, keys, PIN blocks, counter walk.
import { desEncrypt } from './block-cipher';
import {
  decryptTdesPinBlock,
  deriveIpek,
  deriveTdesTransactionKey,
  encryptTdesPinBlock,
  nextTdesKsn,
  tdesKsnCounter,
  tdesKsnWithCounter,
  tdesPinKey,
} from './dukpt-tdes';
import { DukptError } from './errors';

const hex = (s: string) => Buffer.from(s, 'hex');
const up = (b: Buffer) => b.toString('hex').toUpperCase();

// ANSI X9.24-1:2009 A.4 "DUKPT Test Data Examples" (transcribed in openemv/dukpt test/dukpt_tdes_test.c).
const BDK = hex('0123456789ABCDEFFEDCBA9876543210');
const INITIAL_KSN = hex('FFFF9876543210E00000');
const IPEK = '6AC292FAA1315B4D858AB3A3D7D5933A';
/** Clear format 0 block for PIN 1234, PAN 4012345678909. */
const CLEAR_BLOCK = hex('041274EDCBA9876F');
const KSN_PREFIX = 'FFFF9876543210';

/** A.4.2 initial sequence: KSN suffix, current transaction key, encrypted PIN block. */
const INITIAL_SEQUENCE: Array<[string, string, string]> = [
  ['E00001', '042666B49184CFA368DE9628D0397BC9', '1B9C1845EB993A7A'],
  ['E00002', 'C46551CEF9FD24B0AA9AD834130D3BC7', '10A01C8D02C69107'],
  ['E00003', '0DF3D9422ACA56E547676D07AD6BADFA', '18DC07B94797B466'],
  ['E00004', '279C0F6AEED0BE652B2C733E1383AE91', '0BC79509D5645DF7'],
  ['E00005', '5F8DC6D2C845C125508DDC048093B83F', '5BC0AF22AD87B327'],
  ['E00006', '5E415CB0BAF9F03CD0C14B63FB62FF43', 'A16DF70AE36158D8'],
  ['E00007', '0C8F780B7C8B49D0AE84A9EB2A6CE660', '27711C16CB257F8E'],
  ['E00008', '27F66D5244FF62E1AA6F6120EDEB4280', '50E55547A5027551'],
  ['E00009', '27E31064FDC565698900E2057F658E7E', '536CF7F678ACFC8D'],
  ['E0000A', '6CF2500A22507C7CC776CEADC1E33014', 'EDABBA23221833FE'],
  ['E0000B', '3E8260BA04B2D620C01482B3819A18B7', '2328981C57B4BDBA'],
  ['E0000C', 'B716E1E11CF53D80726CAEE75C3A624F', '038D03CC926CF286'],
  ['E0000D', 'E072EDF95340535FB6C581C58FBF2533', '6C8AA97088B62C68'],
  ['E0000E', 'A80046087F5B8F245AAD95E18429084F', 'F17C9E1D72CD4950'],
  ['E0000F', '93DD5B956C4878472E453AAEFD32A5AA', 'B170F6E7F7F2F64A'],
  ['E00010', '59598DCBD9BD94C094165CE453585F57', 'D5D9638559EF53D6'],
  ['E00011', '2B5F01F4F0CC05EA639D523231BF1BA2', 'D544F8CDD292C863'],
  ['E00012', '9CF640F279C2AEE615F725EEEAC2CBAF', '7A21BD10F36DC41D'],
  ['E00013', 'C3DF489FDF1153B4F03DE97C27DC4C2F', '78649BD17D0DFA60'],
  ['E00014', '658488507721B3F14737FA93F923CBD2', '7E7E16EA0C31AD56'],
  ['E00015', 'E161D1956A61F6D2F37AFD7F9CC3699A', '72105C22EBC791E6'],
];

/** A.4.3 rollover sequence: KSNs across counters with 10 one-bits (11-bit values are skipped). */
const ROLLOVER_SEQUENCE: Array<[string, string, string]> = [
  ['EFF800', 'F9CDFEBF4F5B1D9EB3EC12454527E176', '33365F5CC6F23C35'],
  ['EFF801', '5BEE92627E97825C911BF619DF72CA3B', '3A86BF003F835C9D'],
  ['EFF802', '64CA2F8AB93F61B01620B00BF77C7301', '3DB977D05C36DF3F'],
  ['EFF804', '35A168695B3BA83307E871C42021DD37', 'BA83243305712099'],
  ['EFF808', '12C380FCB72ED3C26FC6079AF63F4787', 'B0DA04AC90A36D85'],
  ['EFF810', 'D8007C833A1E3C49C6889B97A68C54FF', '2CF02BD9C309EEDA'],
  ['EFF820', 'A9C9FF9B735FDD49591F296B0BF0FD70', '9D1E2F77AEEE81C6'],
  ['EFF840', '0E3E221062CB5E03A384602783A004FA', '40870B0F8BA2011C'],
  ['EFF880', 'CA8225C587124DFBB87F279C0BE29727', '22E340D6ABB40981'],
  ['EFF900', '906AAC1751D4971A144D52C76C6E1F97', '1A4C10AFBA03A430'],
  ['EFFA00', '2B9E2CE7C2750337E10B54D2989EA6AF', '849763B43E5F9CFF'],
  ['EFFC00', 'F9430DF975082491C77BE4EF4FDB91EE', 'DEFC6F09F8927B71'],
  ['F00000', 'AA4D58DB653EC74A48C75F2F047DD2B5', '73EC88AD0AC5830E'],
];

describe('X9.24-1 TDES DUKPT', () => {
  const ipek = deriveIpek(BDK, INITIAL_KSN);

  it('derives the published IPEK (and ignores the counter of the KSN given)', () => {
    expect(up(ipek)).toBe(IPEK);
    expect(up(deriveIpek(BDK, hex('FFFF9876543210E00008')))).toBe(IPEK);
  });

  it('walks the A.4.2 initial sequence: KSNs, transaction keys and encrypted PIN blocks', () => {
    let ksn: Buffer = INITIAL_KSN;
    for (const [suffix, key, block] of INITIAL_SEQUENCE) {
      ksn = nextTdesKsn(ksn);
      expect(up(ksn)).toBe(KSN_PREFIX + suffix);
      const txnKey = deriveTdesTransactionKey(ipek, ksn);
      expect(up(txnKey)).toBe(key);
      expect(up(encryptTdesPinBlock(txnKey, CLEAR_BLOCK))).toBe(block);
      expect(decryptTdesPinBlock(txnKey, hex(block)).equals(CLEAR_BLOCK)).toBe(true);
    }
  });

  it('walks the A.4.3 rollover sequence, skipping counters with more than 10 one-bits', () => {
    let ksn: Buffer = hex(KSN_PREFIX + ROLLOVER_SEQUENCE[0][0]);
    for (const [suffix, key, block] of ROLLOVER_SEQUENCE) {
      expect(up(ksn)).toBe(KSN_PREFIX + suffix);
      const txnKey = deriveTdesTransactionKey(ipek, ksn);
      expect(up(txnKey)).toBe(key);
      expect(up(encryptTdesPinBlock(txnKey, CLEAR_BLOCK))).toBe(block);
      if (suffix !== 'F00000') ksn = nextTdesKsn(ksn);
    }
  });

  it('applies the PIN variant 00000000000000FF00000000000000FF', () => {
    // published E00001 key with bytes 7 and 15 XOR FF (A3^FF=5C, C9^FF=36), checked by hand
    expect(up(tdesPinKey(hex('042666B49184CFA368DE9628D0397BC9')))).toBe('042666B49184CF5C68DE9628D0397B36');
  });

  it('runs single DES as EDE with K|K|K (FIPS 81 "Now is t" example)', () => {
    expect(up(desEncrypt(hex('0123456789ABCDEF'), hex('4E6F772069732074')))).toBe('3FA40E8A984D4815');
  });
});

describe('TDES DUKPT counter rules', () => {
  const ipek = hex(IPEK);
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(DukptError);
      return (err as DukptError).reason;
    }
    return 'no error';
  };

  it('reads and writes the 21-bit counter without touching the 59 KSN bits above it', () => {
    const ksn = hex('FFFF9876543210FFFFFF');
    expect(tdesKsnCounter(ksn)).toBe(0x1fffff);
    expect(up(tdesKsnWithCounter(ksn, 0x12345))).toBe('FFFF9876543210E12345');
  });

  it('refuses counter 0 and counters with 11 one-bits', () => {
    expect(code(() => deriveTdesTransactionKey(ipek, INITIAL_KSN))).toBe('counter-zero');
    expect(code(() => deriveTdesTransactionKey(ipek, hex(KSN_PREFIX + 'EFF803')))).toBe('counter-bits');
  });

  it('skips from a 10-one-bit counter to counter + lowest set bit', () => {
    expect(up(nextTdesKsn(hex(KSN_PREFIX + 'EFF802')))).toBe(KSN_PREFIX + 'EFF804');
    // 0x1FF400 has 10 one-bits: + 0x400 -> 0x1FF800 (hand-checked)
    expect(up(nextTdesKsn(hex(KSN_PREFIX + 'FFF400')))).toBe(KSN_PREFIX + 'FFF800');
  });

  it('is exhausted after the last valid counter 0x1FF800', () => {
    expect(code(() => nextTdesKsn(hex(KSN_PREFIX + 'FFF800')))).toBe('exhausted');
    expect(code(() => nextTdesKsn(hex(KSN_PREFIX + 'FFFFFF')))).toBe('exhausted');
  });

  it('refuses wrong key and KSN lengths', () => {
    expect(code(() => deriveIpek(Buffer.alloc(24), INITIAL_KSN))).toBe('key-length');
    expect(code(() => deriveIpek(BDK, Buffer.alloc(12)))).toBe('ksn-length');
    expect(code(() => deriveTdesTransactionKey(Buffer.alloc(8), hex(KSN_PREFIX + 'E00001')))).toBe('key-length');
  });
});
