// DUKPT facade: scheme selection, PIN-pad encryptPin and host decryptPin against published X9.24 vectors.
import { DukptError, PinBlockError } from './errors';
import { deriveAesPinKey } from './dukpt-aes';
import { decryptPin, deriveInitialKey, deriveTransactionKey, encryptPin, nextKsn, schemeFor } from './dukpt';
import { encodePinBlockFormat4 } from './pinblock';

const hex = (s: string) => Buffer.from(s, 'hex');
const up = (b: Buffer) => b.toString('hex').toUpperCase();

// ANSI X9.24-1:2009 A.4 (openemv/dukpt test/dukpt_tdes_test.c).
const TDES_BDK = hex('0123456789ABCDEFFEDCBA9876543210');
const TDES_KSN0 = hex('FFFF9876543210E00000');
// ANSI X9.24-3-2017 supplement test vectors (x9.org), AES-128 / AES-256 BDKs, initial key ID 1234567890123456.
const AES128_BDK = hex('FEDCBA9876543210F1F1F1F1F1F1F1F1');
const AES256_BDK = hex('FEDCBA9876543210F1F1F1F1F1F1F1F1FEDCBA9876543210F1F1F1F1F1F1F1F1');
const aesKsn = (c: string) => hex('1234567890123456' + c);
/** The supplement's format 4 example: PIN 1234, PAN 4111111111111111, random fill 2F69ADDE2E9E7ACE. */
const X9_RANDOM = () => hex('2F69ADDE2E9E7ACE');

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('schemeFor', () => {
  it('maps key + KSN lengths to a scheme', () => {
    expect(schemeFor(16, 10)).toBe('tdes');
    expect(schemeFor(16, 12)).toBe('aes128');
    expect(schemeFor(32, 12)).toBe('aes256');
  });

  it.each([
    [32, 10],
    [24, 12],
    [16, 8],
    [0, 0],
  ])('refuses a %i-byte key with a %i-byte KSN', (k, s) => {
    const err = thrown(() => schemeFor(k, s));
    expect(err).toBeInstanceOf(DukptError);
    expect((err as DukptError).reason).toBe('scheme');
    expect(err.message).toContain('expected 16+10 (TDES), 16+12 (AES-128) or 32+12 (AES-256)');
  });
});

describe('deriveInitialKey / deriveTransactionKey', () => {
  it('TDES: published IPEK and E00001 key', () => {
    const { scheme, initialKey } = deriveInitialKey(TDES_BDK, TDES_KSN0);
    expect(scheme).toBe('tdes');
    expect(up(initialKey)).toBe('6AC292FAA1315B4D858AB3A3D7D5933A');
    expect(up(deriveTransactionKey(initialKey, hex('FFFF9876543210E00001'), 'tdes'))).toBe('042666B49184CFA368DE9628D0397BC9');
  });

  it('AES-128 and AES-256: published initial keys and counter-1 transaction keys', () => {
    const a = deriveInitialKey(AES128_BDK, aesKsn('00000000'));
    expect([a.scheme, up(a.initialKey)]).toEqual(['aes128', '1273671EA26AC29AFA4D1084127652A1']);
    expect(up(deriveTransactionKey(a.initialKey, aesKsn('00000001'), 'aes128'))).toBe('4F21B565BAD9835E112B6465635EAE44');
    const b = deriveInitialKey(AES256_BDK, aesKsn('00000000'));
    expect([b.scheme, up(b.initialKey)]).toEqual(['aes256', 'CE9CE0C101D1138F97FB6CAD4DF045A7083D4EAE2D35A31789D01CCF0949550F']);
    expect(up(deriveTransactionKey(b.initialKey, aesKsn('00000001'), 'aes256'))).toBe(
      '54AC2B32B145EA4A554CB8BC44B17467063A799856B1CCC2A138D36E8DBF78B3',
    );
  });

  it('refuses a scheme that does not fit the key and KSN', () => {
    const err = thrown(() => deriveTransactionKey(hex('1273671EA26AC29AFA4D1084127652A1'), aesKsn('00000001'), 'aes256'));
    expect((err as DukptError).reason).toBe('scheme');
  });
});

describe('nextKsn', () => {
  it('advances per scheme', () => {
    expect(up(nextKsn(TDES_KSN0, 'tdes'))).toBe('FFFF9876543210E00001');
    expect(up(nextKsn(aesKsn('0001FFFE'), 'aes128'))).toBe('123456789012345600020000');
    expect((thrown(() => nextKsn(aesKsn('FFFF0000'), 'aes256')) as DukptError).reason).toBe('exhausted');
  });
});

describe('encryptPin (PIN pad) / decryptPin (host)', () => {
  it('TDES: format 0 under the PIN variant matches the published E00001 block', () => {
    const { initialKey } = deriveInitialKey(TDES_BDK, TDES_KSN0);
    const ksn = hex('FFFF9876543210E00001');
    const out = encryptPin({ scheme: 'tdes', initialKey, ksn, pin: '1234', pan: '4012345678909' });
    expect(out.format).toBe(0);
    expect(up(out.pinBlock)).toBe('1B9C1845EB993A7A');
    expect(decryptPin({ bdk: TDES_BDK, ksn, pinBlock: out.pinBlock, pan: '4012345678909', format: 0 })).toBe('1234');
  });

  it.each([
    ['00000001', 'A912150391AB65A67E52883D81CE2D15'],
    ['00000002', '52A00503BD34BA1383F6A7EE9FE2547F'],
  ])('AES-128 counter %s: format 4 under the PIN working key matches the supplement example', (counter, block) => {
    const { initialKey } = deriveInitialKey(AES128_BDK, aesKsn('00000000'));
    const ksn = aesKsn(counter);
    const out = encryptPin({ scheme: 'aes128', initialKey, ksn, pin: '1234', pan: '4111111111111111', random: X9_RANDOM });
    expect(out.format).toBe(4);
    expect(up(out.pinBlock)).toBe(block);
    expect(decryptPin({ bdk: AES128_BDK, ksn, pinBlock: hex(block), pan: '4111111111111111', format: 4 })).toBe('1234');
  });

  it('AES-256: format 4 under the published AES-256 PIN working key, and back on the host', () => {
    const { initialKey } = deriveInitialKey(AES256_BDK, aesKsn('00000000'));
    const ksn = aesKsn('00000001');
    const out = encryptPin({ scheme: 'aes256', initialKey, ksn, pin: '987654', pan: '4111111111111111', random: X9_RANDOM });
    const publishedPinKey = hex('8C1AB7BEE973829E30242E0BBBDD4946D540C98FC1B5BDCF94790001A23FD502');
    expect(out.pinBlock.equals(encodePinBlockFormat4('987654', '4111111111111111', publishedPinKey, X9_RANDOM))).toBe(true);
    expect(up(deriveAesPinKey(deriveTransactionKey(initialKey, ksn, 'aes256'), ksn, 'aes256'))).toBe(up(publishedPinKey));
    expect(decryptPin({ bdk: AES256_BDK, ksn, pinBlock: out.pinBlock, pan: '4111111111111111', format: 4 })).toBe('987654');
  });

  it('round-trips with default random fill across a run of AES KSNs', () => {
    const { initialKey } = deriveInitialKey(AES128_BDK, aesKsn('00000000'));
    let ksn: Buffer = aesKsn('00000000');
    for (let i = 0; i < 5; i++) {
      ksn = nextKsn(ksn, 'aes128');
      const { pinBlock } = encryptPin({ scheme: 'aes128', initialKey, ksn, pin: '24680', pan: '6212345678901234567' });
      expect(decryptPin({ bdk: AES128_BDK, ksn, pinBlock, pan: '6212345678901234567', format: 4 })).toBe('24680');
    }
  });

  it('host refuses a format that does not fit the scheme, a short block, and a block for another KSN', () => {
    const ksn = hex('FFFF9876543210E00001');
    const block = hex('1B9C1845EB993A7A');
    const wrongFormat = thrown(() => decryptPin({ bdk: TDES_BDK, ksn, pinBlock: block, pan: '4012345678909', format: 4 }));
    expect((wrongFormat as PinBlockError).reason).toBe('format');
    const short = thrown(() => decryptPin({ bdk: TDES_BDK, ksn, pinBlock: block.subarray(0, 7), pan: '4012345678909', format: 0 }));
    expect((short as PinBlockError).reason).toBe('block-length');
    // the published E00002 block decrypted with the E00001 key is not a valid format 0 block
    const otherKsn = thrown(() => decryptPin({ bdk: TDES_BDK, ksn, pinBlock: hex('10A01C8D02C69107'), pan: '4012345678909', format: 0 }));
    expect(otherKsn).toBeInstanceOf(PinBlockError);
  });

  it('PIN pad refuses a bad PIN with PinBlockError and the initial KSN with DukptError', () => {
    const { initialKey } = deriveInitialKey(TDES_BDK, TDES_KSN0);
    const badPin = thrown(() => encryptPin({ scheme: 'tdes', initialKey, ksn: hex('FFFF9876543210E00001'), pin: '12', pan: '4012345678909' }));
    expect((badPin as PinBlockError).reason).toBe('pin-length');
    const zero = thrown(() => encryptPin({ scheme: 'tdes', initialKey, ksn: TDES_KSN0, pin: '1234', pan: '4012345678909' }));
    expect((zero as DukptError).reason).toBe('counter-zero');
  });
});
