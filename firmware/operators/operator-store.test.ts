// Operator accounts on disk: factory accounts, must-change on real boards, lock-out that survives a restart, no clear text.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../common/clock';
import { silentLogger } from '../log';
import { OperatorStore, passwordProblem, type OperatorStoreOptions } from './operator-store';

const FAST = { N: 1024, r: 8, p: 1, keyLen: 32 };
let dir: string;
const clock = new FakeClock(Date.UTC(2026, 10, 30, 9));
const opts = (over: Partial<OperatorStoreOptions> = {}): OperatorStoreOptions => ({
  dataDir: dir,
  clock,
  log: silentLogger,
  lockout: { maxAttempts: 3, lockoutMs: 60_000, maxLockoutMs: 600_000 },
  factoryPasswords: 'must-change',
  scrypt: FAST,
  ...over,
});

beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'posfw-ops-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('operator store', () => {
  it('creates the factory accounts hashed in operators.json (mode 0600), never in clear text', async () => {
    const store = await OperatorStore.open(opts());
    expect(store.list().map((a) => [a.id, a.role])).toEqual([['00', 'supervisor'], ['01', 'cashier'], ['02', 'cashier'], ['03', 'cashier'], ['04', 'cashier'], ['05', 'cashier']]);
    const file = join(dir, 'operators.json');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/123456|"0000"/);
    expect(text).toContain('scrypt$1024$8$1$');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('factory passwords work once and must be changed on a real board; the simulator keeps them', async () => {
    const real = await OperatorStore.open(opts());
    expect(await real.verify('01', '0000')).toEqual({ ok: true, id: '01', role: 'cashier', mustChange: true });
    expect(await real.changePassword('01', '0000', '0000')).toMatchObject({ ok: false, reason: 'weak' });
    expect(await real.changePassword('01', '0000', '4711')).toEqual({ ok: true });
    expect(await real.verify('01', '4711')).toEqual({ ok: true, id: '01', role: 'cashier', mustChange: false });
    expect(await real.verify('01', '0000')).toMatchObject({ ok: false, reason: 'wrong' });
    rmSync(join(dir, 'operators.json'));
    const sim = await OperatorStore.open(opts({ factoryPasswords: 'allowed' }));
    expect(await sim.verifySupervisor('123456')).toEqual({ ok: true, id: '00', role: 'supervisor', mustChange: false });
  });

  it('locks the supervisor out after the configured wrong attempts, and the lock-out survives a restart', async () => {
    const store = await OperatorStore.open(opts());
    expect(await store.verifySupervisor('111111')).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 2 });
    expect(await store.verifySupervisor('222222')).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 1 });
    expect(await store.verifySupervisor('333333')).toEqual({ ok: false, reason: 'locked', lockedForMs: 60_000 });
    expect(await store.verifySupervisor('123456')).toEqual({ ok: false, reason: 'locked', lockedForMs: 60_000 });
    const again = await OperatorStore.open(opts());
    await clock.advance(30_000);
    expect(await again.verifySupervisor('123456')).toEqual({ ok: false, reason: 'locked', lockedForMs: 30_000 });
    await clock.advance(30_000);
    expect(await again.verifySupervisor('123456')).toMatchObject({ ok: true, role: 'supervisor' });
  });

  it('an unknown operator is refused without creating anything', async () => {
    const store = await OperatorStore.open(opts());
    expect(await store.verify('42', '0000')).toEqual({ ok: false, reason: 'unknown' });
    expect(store.role('42')).toBeUndefined();
  });

  it('password rules: digits, length by role, no factory or repeated-digit passwords', () => {
    expect(passwordProblem('12a4', 'cashier')).toBe('digits only');
    expect(passwordProblem('123', 'cashier')).toBe('4 to 12 digits');
    expect(passwordProblem('4711', 'supervisor')).toBe('6 to 12 digits');
    expect(passwordProblem('123456', 'supervisor')).toBe('not a factory password');
    expect(passwordProblem('7777', 'cashier')).toBe('not one digit repeated');
    expect(passwordProblem('4711', 'cashier')).toBeUndefined();
  });
});
