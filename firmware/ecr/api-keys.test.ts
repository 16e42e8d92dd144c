// API keys: stored as scrypt hashes only, verified, roles ordered, revocation seen at once by a store that cached the key.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyError, ApiKeyStore, apiKeysFile, roleAllows } from './api-keys';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'posfw-keys-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('creates a key shown once, stores only its salted hash, and verifies it', async () => {
  const cli = new ApiKeyStore(apiKeysFile(dir));
  const { token, key } = await cli.create('till-1', 'cashier');
  expect(token).toMatch(/^posfw_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
  const file = readFileSync(apiKeysFile(dir), 'utf8');
  expect(file).not.toContain(token.split('_')[2]);
  expect(JSON.parse(file).keys[0]).toMatchObject({ id: key.id, name: 'till-1', role: 'cashier', salt: expect.any(String), hash: expect.any(String) });
  expect(statSync(apiKeysFile(dir)).mode & 0o077).toBe(0);
  const api = new ApiKeyStore(apiKeysFile(dir));
  expect(await api.verify(token)).toMatchObject({ name: 'till-1', role: 'cashier' });
  expect(await api.verify(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeUndefined();
  expect(await api.verify('posfw_00000000_' + 'A'.repeat(43))).toBeUndefined();
  expect(await api.verify('garbage')).toBeUndefined();
});

it('a revoked key stops working at once, even where it was verified before', async () => {
  const cli = new ApiKeyStore(apiKeysFile(dir));
  const api = new ApiKeyStore(apiKeysFile(dir));
  const { token } = await cli.create('boss', 'supervisor');
  expect(await api.verify(token)).toMatchObject({ role: 'supervisor' });
  cli.revoke('boss');
  expect(await api.verify(token)).toBeUndefined();
  expect(api.list()).toEqual([]);
});

it('refuses bad names, bad roles, duplicates and unknown keys with typed errors', async () => {
  const s = new ApiKeyStore(apiKeysFile(dir));
  await expect(s.create('has space', 'cashier')).rejects.toMatchObject({ code: 'bad-name' });
  await expect(s.create('x', 'admin' as never)).rejects.toMatchObject({ code: 'bad-role' });
  await s.create('x', 'cashier');
  await expect(s.create('x', 'supervisor')).rejects.toBeInstanceOf(ApiKeyError);
  expect(() => s.revoke('nobody')).toThrow(/no key named "nobody"/);
});

it('orders roles: a supervisor may do what a cashier may, not the other way round', () => {
  expect(roleAllows('supervisor', 'cashier')).toBe(true);
  expect(roleAllows('cashier', 'supervisor')).toBe(false);
  expect(roleAllows('cashier', 'cashier')).toBe(true);
});
