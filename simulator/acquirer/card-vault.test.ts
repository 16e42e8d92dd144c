// The host's card vault: PANs sealed under its own key (mode 0600), opened only by it; the index lives in memory only.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CardVault, VAULT_KEY_FILE } from './card-vault';

describe('CardVault', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'posfw-vault-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('seals with a random IV under a key of its own, kept across reopens', async () => {
    const v = await CardVault.open(dir);
    const a = v.seal('4761739001010010');
    expect(a).toMatch(/^hv1:/);
    expect(a).not.toContain('4761739001010010');
    expect(v.seal('4761739001010010')).not.toBe(a);
    expect(statSync(join(dir, VAULT_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect((await CardVault.open(dir)).open(a)).toBe('4761739001010010');
    const other = await CardVault.open(join(dir, 'other'));
    expect(other.open(a)).toBeUndefined();
    expect(other.indexOf('4761739001010010')).not.toBe(v.indexOf('4761739001010010')); // index keys never leave memory
  });

  it('refuses a key file that holds no key', async () => {
    writeFileSync(join(dir, VAULT_KEY_FILE), 'nope');
    await expect(CardVault.open(dir)).rejects.toThrow(/expected 64 hex digits/);
    expect(readFileSync(join(dir, VAULT_KEY_FILE), 'utf8')).toBe('nope');
  });
});
