// ANSI X9.24-3-2017 AES DUKPT against the X9 supplement test vectors (AES-128 and AES-256 BDKs).
import {
  aesKsnCounter,
  aesKsnWithCounter,
  deriveAesInitialKey,
  deriveAesPinKey,
  deriveAesTransactionKey,
  derivationData,
  KeyUsage,
  nextAesKsn,
} from './dukpt-aes';
import { DukptError } from './errors';

const hex = (s: string) => Buffer.from(s, 'hex');
const up = (b: Buffer) => b.toString('hex').toUpperCase();

// Source of every expected value below: ANSI X9.24-3-2017 Supplement, "Test Vectors" (ASC X9, 2018-01-29,
// https://x9.org/standards/x9-24-part-3-test-vectors/), as transcribed in openemv/dukpt
// test/dukpt_aes128_test.c and test/dukpt_aes256_test.c (transaction keys, KSN sequences) and in the
// CyberChef payment-operations tests (PIN working keys for counters 8, 0x20000 and 0x845FED).
const IKID = '1234567890123456';
const BDK128 = hex('FEDCBA9876543210F1F1F1F1F1F1F1F1');
const BDK256 = hex('FEDCBA9876543210F1F1F1F1F1F1F1F1FEDCBA9876543210F1F1F1F1F1F1F1F1');
const IK128 = '1273671EA26AC29AFA4D1084127652A1';
const IK256 = 'CE9CE0C101D1138F97FB6CAD4DF045A7083D4EAE2D35A31789D01CCF0949550F';
const ksn = (counter: number) => hex(IKID + counter.toString(16).padStart(8, '0'));

/** Counter -> [AES-128 transaction (intermediate derivation) key, AES-256 one]. */
const TXN_KEYS: Array<[number, string, string]> = [
  [1, '4F21B565BAD9835E112B6465635EAE44', '54AC2B32B145EA4A554CB8BC44B17467063A799856B1CCC2A138D36E8DBF78B3'],
  [2, '2F34D68DE10F68D38091A73B9E7C437C', '5DD5A0253842BBBE1D7C0DA27021412C6F1FAB53FB928DEAE56DA06090A9DE97'],
  [3, '031504E530365CF81264238540518318', '8EEEF7C464AE415BB1D73FAED21993CD669F7999092A579EC6DD3CC680C65171'],
  [4, '0EEFC7ADA628BA68878DA9165A8A1887', 'C18CBED570B3B89ECADA7CEC9C224CD5A86ECF3DE377D3EFAB720F8C4D76B9D0'],
  [5, 'C2A7AC328A5DA2D6002D62465BFC028B', '6B3C3C93307151C25DC2309456F01C5C3108DAD571C321899A9B7E0C009FD2EB'],
  [6, 'D30F7D9351DA58448A2F5E92B4EE3B7D', 'B8BB61AE3E2D5CD8C699E0C578FB2C7B89B0C0CF02DBAB60864D8049C986C844'],
  [7, 'A8253CEED9AC042C54F75D35C8352278', '88D0ACA287B3066F5DE0C93396337D4C2DA8D92C1F720A576D62CEB4C979E01E'],
  [8, '718EE6CF0B27E53D5F7AF99C4D8146A2', '20A796D5077D51B8E7613893A4F095B134E02917DC84BD391F3661D0873FF308'],
  [0x1fffe, 'E21E8C8D347F8561A2BE752DAA85A111', 'A289508CBF1228452CD86AB77B15CB35577AC828C18BB66681E5A16D6C9CCED3'],
  [0x20000, 'F7AE9025468A25D37B7249CFFED224C8', 'D62DDA94A47D7DA5D763443B4ECB15EA8DD62E0E4F915958BA459591F8312E37'],
  [0x20001, '692C8EA4013645135B36497131DF9D2C', '44110A1102748D4A3AC326F53D8CAC650212590CA7126D54546DDE0F20E89CEE'],
  [0xfffe2000, '48E585B694EB0B18D5C35443E163C0BA', '4625EB06E4886D4AFCC9AE37ED4F4E4E1653C9E60E3F24742A87A26AA96AB7A6'],
  [0xfffe4000, '396C2C7CA1EA701C03B86B7D41F0C562', 'FF20E1BB575539ACCB44E3111BE8757F83AE8549A2DD71B441A4A424F7FFD4B1'],
  [0xfffe8000, '0387625F189B58AE03EF0E8CCA41105E', '630535C9C53E1EC6524016930B56F6728909C45403536B419AEBCB25B7351C07'],
  [0xffff0000, 'F6BA59389BD14A9855BE9727E7C52E3C', '6D6DB7AAAE8B3EA90E57A39E4BBA71E173B21B446B30A78D64BFC6A8806C55EE'],
];

/** Counter -> AES-128 PIN encryption working key (from the AES-128 BDK). */
const PIN_KEYS_128: Array<[number, string]> = [
  [1, 'AF8CB133A78F8DC2D1359F18527593FB'],
  [2, 'D30BDC73EC9714B000BEC66BDB7B6D09'],
  [3, '7D69F01F3B45449F62C7816ECE723268'],
  [8, '4D9DF3FBEE3448FC3E676D04320A90F5'],
  [0x20000, 'AB828BE7B58C7EC5D5ED0D5D320A0C9D'],
  [0x845fed, 'D1DDA386AA4A556AF0119FDCB5D132C6'],
  [0xfffe4000, '6239A27F572DEDB17BCA1AC413EF9FE9'],
  [0xfffe8000, 'F10C1404137A80718FCCE8BD90FF9F67'],
  [0xffff0000, '27EFAC1D158632588F4AC69E45C247C4'],
];

/** Counter -> AES-256 PIN encryption working key (from the AES-256 BDK). */
const PIN_KEYS_256: Array<[number, string]> = [
  [1, '8C1AB7BEE973829E30242E0BBBDD4946D540C98FC1B5BDCF94790001A23FD502'],
  [2, '3583D6CD02FC38822CC71A8D7678E04F4A8556335E6CC66863D3DADC5AEE2C62'],
  [3, '96A1AB5D37CB7CF81DDE64F66C46E0389B833E7AD5F4E44C791F04FAFDA6DA0E'],
  [0xfffe4000, 'F388FF9FB1D66E8812BC67CA5B85CE5554063E09A2440EC1AF4EB433CCFBAF35'],
  [0xfffe8000, 'FAC4E05A67AB1522505CF0E94E5977B99D0E5B116D76ABB6B8A64F0D785FF6DF'],
  [0xffff0000, '88B82556AEF4A681E0687F443A4C4F305AF9203B114470DFC77C7F08BC43F9DA'],
];

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DukptError);
    return (err as DukptError).reason;
  }
  return 'no error';
}

describe('X9.24-3 AES DUKPT', () => {
  it('derives the published initial keys for AES-128 and AES-256 BDKs', () => {
    expect(up(deriveAesInitialKey(BDK128, ksn(0)))).toBe(IK128);
    expect(up(deriveAesInitialKey(BDK256, ksn(0)))).toBe(IK256);
    expect(up(deriveAesInitialKey(BDK128, ksn(0x1234)))).toBe(IK128);
  });

  it('builds the published derivation data for PIN working keys', () => {
    expect(up(derivationData(KeyUsage.pinEncryption, 'aes128', ksn(1), 1))).toBe('01011000000200809012345600000001');
    // 256-bit keys take two blocks; the supplement lists the data of the last one (key block counter 02).
    const dd = derivationData(KeyUsage.pinEncryption, 'aes256', ksn(0xffff0000), 0xffff0000);
    expect(up(dd)).toBe('010110000004010090123456FFFF0000');
    dd[1] = 2;
    expect(up(dd)).toBe('010210000004010090123456FFFF0000');
  });

  it.each(TXN_KEYS)('counter %i: transaction keys for AES-128 and AES-256', (counter, key128, key256) => {
    expect(up(deriveAesTransactionKey(hex(IK128), ksn(counter)))).toBe(key128);
    expect(up(deriveAesTransactionKey(hex(IK256), ksn(counter)))).toBe(key256);
  });

  it.each(PIN_KEYS_128)('counter %i: AES-128 PIN working key', (counter, key) => {
    const txn = deriveAesTransactionKey(hex(IK128), ksn(counter));
    expect(up(deriveAesPinKey(txn, ksn(counter), 'aes128'))).toBe(key);
  });

  it.each(PIN_KEYS_256)('counter %i: AES-256 PIN working key', (counter, key) => {
    const txn = deriveAesTransactionKey(hex(IK256), ksn(counter));
    expect(up(deriveAesPinKey(txn, ksn(counter), 'aes256'))).toBe(key);
  });
});

describe('AES DUKPT counter rules', () => {
  it('reads and writes the 32-bit counter after the initial key ID', () => {
    expect(aesKsnCounter(hex(IKID + 'FFFE8000'))).toBe(0xfffe8000);
    expect(up(aesKsnWithCounter(ksn(0), 0x845fed))).toBe(IKID + '00845FED');
  });

  it('walks the published KSN sequences (1..8, the 0x1FFFE rollover, the last four)', () => {
    let k: Buffer = ksn(0);
    for (let c = 1; c <= 8; c++) expect(up((k = nextAesKsn(k)))).toBe(up(ksn(c)));
    // 0x1FFFF has 17 one-bits: the supplement's 0x1FFFF vector is skipped, 0x1FFFE -> 0x20000
    expect(up(nextAesKsn(ksn(0x1fffe)))).toBe(up(ksn(0x20000)));
    expect(up(nextAesKsn(ksn(0x20000)))).toBe(up(ksn(0x20001)));
    expect(up(nextAesKsn(ksn(0xfffe2000)))).toBe(up(ksn(0xfffe4000)));
    expect(up(nextAesKsn(ksn(0xfffe4000)))).toBe(up(ksn(0xfffe8000)));
    expect(up(nextAesKsn(ksn(0xfffe8000)))).toBe(up(ksn(0xffff0000)));
  });

  it('is exhausted after the last valid counter 0xFFFF0000', () => {
    expect(reason(() => nextAesKsn(ksn(0xffff0000)))).toBe('exhausted');
    expect(reason(() => nextAesKsn(ksn(0xffffffff)))).toBe('exhausted');
  });

  it('refuses counter 0 and counters with 17 one-bits', () => {
    expect(reason(() => deriveAesTransactionKey(hex(IK128), ksn(0)))).toBe('counter-zero');
    expect(reason(() => deriveAesTransactionKey(hex(IK128), ksn(0x1ffff)))).toBe('counter-bits');
    expect(reason(() => deriveAesTransactionKey(hex(IK256), ksn(0xffffffff)))).toBe('counter-bits');
  });

  it('refuses wrong key and KSN lengths', () => {
    expect(reason(() => deriveAesInitialKey(Buffer.alloc(24), ksn(0)))).toBe('key-length');
    expect(reason(() => deriveAesInitialKey(BDK128, Buffer.alloc(10)))).toBe('ksn-length');
  });
});
