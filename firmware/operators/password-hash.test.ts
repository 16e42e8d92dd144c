// Password hashing: scrypt round trip, fresh salts, parameters in the hash, malformed hashes never match.
import { hashPassword, parseHash, verifyPassword } from './password-hash';

const FAST = { N: 1024, r: 8, p: 1, keyLen: 32 };

describe('password hashing', () => {
  it('verifies the right password and refuses others', async () => {
    const h = await hashPassword('246810', FAST);
    expect(h).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(h).not.toContain('246810');
    await expect(verifyPassword('246810', h)).resolves.toBe(true);
    await expect(verifyPassword('246811', h)).resolves.toBe(false);
    await expect(verifyPassword('', h)).resolves.toBe(false);
  });

  it('salts every hash: the same password hashes differently each time', async () => {
    const [a, b] = await Promise.all([hashPassword('0000', FAST), hashPassword('0000', FAST)]);
    expect(a).not.toBe(b);
    expect(parseHash(a)!.salt.equals(parseHash(b)!.salt)).toBe(false);
  });

  it('uses the default cost (N=16384, r=8) unless told otherwise', async () => {
    expect(parseHash(await hashPassword('1357'))!.params).toEqual({ N: 16384, r: 8, p: 1, keyLen: 32 });
  });

  it('a malformed stored hash never matches, an empty password is refused', async () => {
    for (const bad of ['', 'plain', 'scrypt$3$8$1$AAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAA', 'bcrypt$1$2$3$4$5']) await expect(verifyPassword('x', bad)).resolves.toBe(false);
    await expect(hashPassword('')).rejects.toThrow('non-empty password');
  });
});
