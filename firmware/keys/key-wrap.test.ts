// Wrapping under the device key: per-purpose keys, context binding, tampering and the wrong device key refused.
import { KeyWrap, KeyWrapError, purposeKey } from './key-wrap';

const DEVICE = Buffer.alloc(32, 0x11);

describe('KeyWrap', () => {
  it('derives one key per purpose, none equal to the device key', () => {
    const a = purposeKey(DEVICE, 'journal-data-keys');
    const b = purposeKey(DEVICE, 'sim-pinpad');
    expect(a).toHaveLength(32);
    expect(a.equals(b)).toBe(false);
    expect(a.equals(DEVICE)).toBe(false);
    expect(() => purposeKey(Buffer.alloc(16), 'sim-pinpad')).toThrow('deviceKey: expected 32 bytes');
  });

  it('round-trips a secret bound to its context and purpose', () => {
    const w = new KeyWrap(DEVICE, 'journal-data-keys');
    const secret = Buffer.alloc(32, 0xab);
    const wrapped = w.wrap(secret, '000001-00000000|000001');
    expect(wrapped).toMatch(/^w1:/);
    expect(wrapped).not.toContain(secret.toString('hex'));
    expect(w.unwrap(wrapped, '000001-00000000|000001').equals(secret)).toBe(true);
    expect(() => w.unwrap(wrapped, '000002-00000000|000002')).toThrow(KeyWrapError);
    expect(() => new KeyWrap(DEVICE, 'sim-pinpad').unwrap(wrapped, '000001-00000000|000001')).toThrow(/does not open/);
    expect(() => new KeyWrap(Buffer.alloc(32, 0x12), 'journal-data-keys').unwrap(wrapped, '000001-00000000|000001')).toThrow(/does not open under this device key/);
  });

  it('refuses changed bytes and other formats', () => {
    const w = new KeyWrap(DEVICE, 'sim-pinpad');
    const wrapped = w.wrap(Buffer.from('secret'), 'ctx');
    const raw = Buffer.from(wrapped.slice(3), 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => w.unwrap(`w1:${raw.toString('base64')}`, 'ctx')).toThrow(expect.objectContaining({ code: 'authentication' }));
    expect(() => w.unwrap('6AC292FAA1315B4D858AB3A3D7D5933A', 'ctx')).toThrow(expect.objectContaining({ code: 'format' }));
  });
});
