// ISO 9564-1 format 0 / format 4 PIN blocks against published vectors, round trips and every rejection reason.
import { aesDecrypt } from './block-cipher';
import { PinBlockError, decodePinBlockFormat0, decodePinBlockFormat4, encodePinBlockFormat0, encodePinBlockFormat4 } from './pinblock';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const up = (b: Buffer) => b.toString('hex').toUpperCase();
const fixed = (h: string) => () => hex(h);

/** Runs `fn` and returns the PinBlockError it throws (fails the test otherwise). */
function rejection(fn: () => unknown): PinBlockError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PinBlockError);
    return err as PinBlockError;
  }
  throw new Error('expected a PinBlockError');
}

describe('ISO 9564-1 format 0', () => {
  // ANSI X9.24-1:2009 A.4 (DUKPT test data): PIN 1234, PAN 4012345678909 -> clear block 041274EDCBA9876F
  // (transcribed in openemv/dukpt test/dukpt_tdes_test.c).
  it('encodes the X9.24-1 A.4 example block', () => {
    expect(up(encodePinBlockFormat0('1234', '4012345678909'))).toBe('041274EDCBA9876F');
    expect(decodePinBlockFormat0(hex('041274EDCBA9876F'), '4012345678909')).toBe('1234');
  });

  // knovichikhin/psec tests/test_pinblock.py (encode/decode_pinblock_iso_0), PAN 5555555551234567.
  it.each([
    ['1234', '041261AAAAEDCBA9'],
    ['123456789', '091261032D8DCBA9'],
    ['1234567890', '0A1261032D82CBA9'],
    ['123456789012', '0C1261032D8226A9'],
  ])('PIN of %s digits <-> %s (psec vectors)', (pin, block) => {
    expect(up(encodePinBlockFormat0(pin, '5555555551234567'))).toBe(block);
    expect(decodePinBlockFormat0(hex(block), '5555555551234567')).toBe(pin);
  });

  it('round-trips every PIN length 4..12 with 13..19 digit PANs', () => {
    for (let len = 4; len <= 12; len++) {
      const pin = '9081726354'.repeat(2).slice(0, len);
      const pan = '4761739001010010123'.slice(0, 13 + (len % 7));
      const block = encodePinBlockFormat0(pin, pan);
      expect(block).toHaveLength(8);
      expect(decodePinBlockFormat0(block, pan)).toBe(pin);
    }
  });

  // Rejections: blocks from psec's test_decode_pinblock_iso_0_exception, plus length/PAN cases.
  it.each([
    ['241261AAAAEDCBA9', '5555555551234567', 'control-field'],
    ['0F1261AAAAEDCBA9', '5555555551234567', 'pin-length'],
    ['021261AAAAEDCBA9', '5555555551234567', 'pin-length'],
    ['041261AAAAEDCBAA', '5555555551234567', 'fill'],
    ['051261AAAAEDCBA9', '5555555551234567', 'pin-digits'],
    ['041261AAAAEDCB', '5555555551234567', 'block-length'],
    ['041261AAAAEDCBA9', '555555555123', 'pan'],
    ['041261AAAAEDCBA9', '5555555551234A', 'pan'],
    ['041261AAAAEDCBA9', '55555555512345678901', 'pan'],
  ])('decode rejects %s (PAN %s) with %s', (block, pan, reason) => {
    const err = rejection(() => decodePinBlockFormat0(hex(block), pan));
    expect(err.reason).toBe(reason);
    expect(err.message).not.toMatch(/1234|5555555551234567/);
  });

  it.each([
    ['123', '5555555551234567', 'pin-length'],
    ['1234567890123', '5555555551234567', 'pin-length'],
    ['123A', '5555555551234567', 'pin-digits'],
    ['1234', '555555555555', 'pan'],
    ['1234', '', 'pan'],
  ])('encode rejects PIN %s / PAN %s with %s', (pin, pan, reason) => {
    expect(rejection(() => encodePinBlockFormat0(pin, pan)).reason).toBe(reason);
  });

  it('names the reason in the message without echoing digits', () => {
    const err = rejection(() => decodePinBlockFormat0(hex('041261AAAAEDCBAA'), '5555555551234567'));
    expect(err.message).toBe('fill nibble at position 15 is not F (format 0 fills with F)');
  });
});

describe('ISO 9564-1 format 4', () => {
  // ANSI X9.24-3-2017 supplement test vectors, format 4 example: PIN 1234, PAN 4111111111111111,
  // random 2F69ADDE2E9E7ACE, under the counter-1 and counter-2 AES-128 PIN keys
  // (https://x9.org/standards/x9-24-part-3-test-vectors/, X9.24-3-2017-Test-Vectors-20180129-1.pdf).
  const x9Random = fixed('2F69ADDE2E9E7ACE');
  it.each([
    ['AF8CB133A78F8DC2D1359F18527593FB', 'A912150391AB65A67E52883D81CE2D15'],
    ['D30BDC73EC9714B000BEC66BDB7B6D09', '52A00503BD34BA1383F6A7EE9FE2547F'],
  ])('X9.24-3 supplement example under key %s', (key, block) => {
    expect(up(encodePinBlockFormat4('1234', '4111111111111111', hex(key), x9Random))).toBe(block);
    expect(decodePinBlockFormat4(hex(block), '4111111111111111', hex(key))).toBe('1234');
  });

  it('matches the supplement intermediate values (plaintext PIN field, block A)', () => {
    const key = hex('AF8CB133A78F8DC2D1359F18527593FB');
    const b = aesDecrypt(key, hex('A912150391AB65A67E52883D81CE2D15'));
    // published intermediate block B = A XOR PAN field (44111111111111111000000000000000)
    expect(up(b)).toBe('9A95036DE7CDB6CEF47BDE89057CB820');
    expect(up(aesDecrypt(key, hex('DE84127CF6DCA7DFE47BDE89057CB820')))).toBe('441234AAAAAAAAAA2F69ADDE2E9E7ACE');
  });

  // ep2 eft/pos 2000 Security Specification 8.0.0, 8.4 PIN Encryption (as cited in psec tests).
  it('decodes the ep2 example', () => {
    expect(decodePinBlockFormat4(hex('CC17F65586BFD0953010226C4FC5B3CA'), '432198765432109870', hex('C1D0F8FB4958670DBA40AB1F3752EF0D'))).toBe('1234');
  });

  // psec tests: deterministic encipher with FF random bytes; a PAN shorter than 12 digits.
  it('matches psec known answers', () => {
    const key = hex('00112233445566778899AABBCCDDEEFF');
    expect(up(encodePinBlockFormat4('1234', '1234567890123456789', key, fixed('FFFFFFFFFFFFFFFF')))).toBe('28B41FDDD29B743E93124BD8E32D921E');
    expect(decodePinBlockFormat4(hex('39B69B1B91FE05D48F7EF0D68EB2CBD6'), '1', key)).toBe('123456');
  });

  it('round-trips every PIN length with AES-128/192/256 keys and default random fill', () => {
    for (const size of [16, 24, 32]) {
      const key = Buffer.alloc(size, 0x5a);
      for (let len = 4; len <= 12; len++) {
        const pin = '314159265358'.slice(0, len);
        const block = encodePinBlockFormat4(pin, '4111111111111111', key);
        expect(block).toHaveLength(16);
        expect(decodePinBlockFormat4(block, '4111111111111111', key)).toBe(pin);
      }
    }
  });

  it('uses fresh random fill by default', () => {
    const key = hex('00112233445566778899AABBCCDDEEFF');
    expect(encodePinBlockFormat4('1234', '4111111111111111', key).equals(encodePinBlockFormat4('1234', '4111111111111111', key))).toBe(false);
  });

  // Rejections: enciphered blocks from psec's test_decipher_pinblock_iso_4_exception.
  it.each([
    ['E60B15B90ABDF14CEE337C97440F0D6E', '7D5AF4C33667A2098626027FB7A9A1B7', '4266229809609384667', 'control-field'],
    ['C7BBEBA16C5AD97D5866450718C03750', '2F9C910447F17293EC95DEDE1E3CA201', '8220499325458689523', 'pin-digits'],
    ['820F6C7C12355BDFF1AB6CE12E8EED89', 'CCF310A8300B46C925A86B1098089301', '939589847393485609', 'fill'],
    ['4FE3F0311936FBCE44F17159F1659CF09B2BF8913BB514A1', '51334B00A6CBA3EC7B1C6F871F060AFC', '2129100799029059903', 'pin-length'],
    ['C1D0F8FB4958670DBA40AB1F3752EF0D', 'CC17F65586BFD0953010226C4FC5B3CA00', '432198765432109870', 'block-length'],
    ['C1D0F8FB4958670DBA40AB1F3752EF0D', 'CC17F65586BFD0953010226C4FC5B3CA', '43219876543210987099', 'pan'],
    ['C1D0F8FB4958670DBA40AB1F', 'CC17F65586BFD0953010226C4FC5B3CA', '432198765432109870', 'key'],
  ])('decode under key %s rejects %s with the right reason', (key, block, pan, reason) => {
    expect(rejection(() => decodePinBlockFormat4(hex(block), pan, hex(key))).reason).toBe(reason);
  });

  it('rejects a block read with the wrong PAN', () => {
    const err = rejection(() => decodePinBlockFormat4(hex('A912150391AB65A67E52883D81CE2D15'), '4111111111111112', hex('AF8CB133A78F8DC2D1359F18527593FB')));
    expect(['control-field', 'pin-length', 'pin-digits', 'fill']).toContain(err.reason);
  });

  it.each([
    ['123', '4111111111111111', 16, 'pin-length'],
    ['12a4', '4111111111111111', 16, 'pin-digits'],
    ['1234', '', 16, 'pan'],
    ['1234', '41111111111111111111', 16, 'pan'],
    ['1234', '4111 1111', 16, 'pan'],
    ['1234', '4111111111111111', 8, 'key'],
  ])('encode rejects PIN %s / PAN %s / %s-byte key with %s', (pin, pan, keySize, reason) => {
    expect(rejection(() => encodePinBlockFormat4(pin, pan, Buffer.alloc(keySize, 1), x9Random)).reason).toBe(reason);
  });

  it('refuses a random source that does not return 8 bytes', () => {
    expect(() => encodePinBlockFormat4('1234', '4111111111111111', Buffer.alloc(16), () => Buffer.alloc(4))).toThrow('8 bytes');
  });
});
