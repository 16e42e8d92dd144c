// Operator accounts (cashiers 01-99, supervisor 00): scrypt hashes and lock-out counters in the data folder, never in the board config.
import { join } from 'node:path';
import type { Clock } from '../common/clock';
import type { Logger } from '../log';
import { afterFailure, afterSuccess, attemptsLeft, lockedFor, UNLOCKED, type LockoutPolicy, type LockoutState } from './lockout';
import { DEFAULT_SCRYPT, hashPassword, verifyPassword, type ScryptParams } from './password-hash';
import { readJsonFile, writeJsonFile } from './json-file';

export type Role = 'cashier' | 'supervisor';

/** The supervisor's (主管) operator id. */
export const SUPERVISOR_ID = '00';

/**
 * Factory accounts created on first boot: supervisor 00 with 123456 and cashiers 01-05 with 0000, the usual defaults of
 * Chinese bank POS terminals. Where the board's policy says so they must be changed at first login.
 */
export const FACTORY_ACCOUNTS: ReadonlyArray<{ id: string; role: Role; password: string }> = [
  { id: SUPERVISOR_ID, role: 'supervisor', password: '123456' },
  ...['01', '02', '03', '04', '05'].map((id) => ({ id, role: 'cashier' as const, password: '0000' })),
];

export interface Account extends LockoutState {
  id: string;
  role: Role;
  hash: string;
  /** True while the password is still the factory one. */
  factoryDefault: boolean;
  changedAt?: string;
}

export type VerifyResult =
  | { ok: true; id: string; role: Role; mustChange: boolean }
  | { ok: false; reason: 'unknown' | 'wrong' | 'locked'; attemptsLeft?: number; lockedForMs?: number };

export type ChangeResult = { ok: true } | { ok: false; reason: 'unknown' | 'wrong' | 'locked' | 'weak'; message?: string; attemptsLeft?: number; lockedForMs?: number };

export interface OperatorStoreOptions {
  dataDir: string;
  clock: Clock;
  log: Logger;
  lockout: LockoutPolicy;
  /** `must-change`: factory passwords work once and must be replaced at that login (real boards); `allowed`: kept (simulator). */
  factoryPasswords: 'must-change' | 'allowed';
  scrypt?: ScryptParams;
}

interface StoreFile {
  version: 1;
  accounts: Account[];
}

/** Why `password` may not become an operator's password, or undefined when it may. */
export function passwordProblem(password: string, role: Role): string | undefined {
  if (!/^\d+$/.test(password)) return 'digits only';
  const min = role === 'supervisor' ? 6 : 4;
  if (password.length < min || password.length > 12) return `${min} to 12 digits`;
  if (FACTORY_ACCOUNTS.some((a) => a.password === password)) return 'not a factory password';
  if (/^(\d)\1+$/.test(password)) return 'not one digit repeated';
  return undefined;
}

/** The accounts file and every check against it. Attempts run one at a time, so lock-out counters never race. */
export class OperatorStore {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly log: Logger;

  private constructor(
    private readonly opts: OperatorStoreOptions,
    private readonly file: string,
    private accounts: Account[],
  ) {
    this.log = opts.log.child({ ns: 'operators' });
  }

  /** Opens `<dataDir>/operators.json`, creating the factory accounts on first boot. */
  static async open(opts: OperatorStoreOptions): Promise<OperatorStore> {
    const file = join(opts.dataDir, 'operators.json');
    const stored = readJsonFile<StoreFile>(file);
    if (stored && (stored.version !== 1 || !Array.isArray(stored.accounts))) throw new Error(`${file}: not an operators file (expected version 1 with accounts)`);
    let accounts = stored?.accounts;
    if (!accounts) {
      const params = opts.scrypt ?? DEFAULT_SCRYPT;
      accounts = await Promise.all(FACTORY_ACCOUNTS.map(async (a) => ({ id: a.id, role: a.role, hash: await hashPassword(a.password, params), factoryDefault: true, ...UNLOCKED })));
      writeJsonFile(file, { version: 1, accounts } satisfies StoreFile);
      opts.log.child({ ns: 'operators' }).info({ accounts: accounts.map((a) => a.id) }, 'factory operator accounts created');
    }
    return new OperatorStore(opts, file, accounts);
  }

  /** Operator ids and roles (no hashes). */
  list(): Array<{ id: string; role: Role; factoryDefault: boolean; locked: boolean }> {
    const now = this.opts.clock.now();
    return this.accounts.map((a) => ({ id: a.id, role: a.role, factoryDefault: a.factoryDefault, locked: lockedFor(a, now) > 0 }));
  }

  role(id: string): Role | undefined {
    return this.accounts.find((a) => a.id === id)?.role;
  }

  /** Checks an operator's password, counting failures toward a lock-out. */
  verify(id: string, password: string): Promise<VerifyResult> {
    return this.serial(async () => {
      const r = await this.check(id, password);
      if (!r.ok) return r;
      const a = this.find(id)!;
      return { ok: true, id, role: a.role, mustChange: a.factoryDefault && this.opts.factoryPasswords === 'must-change' };
    });
  }

  /** Checks the supervisor password (authority for void, refund, settlement, settings). */
  verifySupervisor(password: string): Promise<VerifyResult> {
    return this.verify(SUPERVISOR_ID, password);
  }

  /** Replaces a password after checking the current one (a wrong one counts toward the lock-out). */
  changePassword(id: string, current: string, next: string): Promise<ChangeResult> {
    return this.serial(async () => {
      const r = await this.check(id, current);
      if (!r.ok) return r;
      const a = this.find(id)!;
      const problem = next === current ? 'not the same as before' : passwordProblem(next, a.role);
      if (problem) return { ok: false, reason: 'weak', message: problem };
      await this.save({ ...a, hash: await hashPassword(next, this.opts.scrypt ?? DEFAULT_SCRYPT), factoryDefault: false, changedAt: new Date(this.opts.clock.now()).toISOString() });
      this.log.info({ operator: id }, 'password changed');
      return { ok: true };
    });
  }

  private find(id: string): Account | undefined {
    return this.accounts.find((a) => a.id === id);
  }

  private async check(id: string, password: string): Promise<Exclude<VerifyResult, { ok: true }> | { ok: true }> {
    const now = this.opts.clock.now();
    const a = this.find(id);
    if (!a) {
      this.log.warn({ operator: id }, 'login refused: no such operator');
      return { ok: false, reason: 'unknown' };
    }
    const locked = lockedFor(a, now);
    if (locked > 0) return { ok: false, reason: 'locked', lockedForMs: locked };
    if (await verifyPassword(password, a.hash)) {
      if (a.failures || a.lockouts) await this.save({ ...a, ...afterSuccess() });
      return { ok: true };
    }
    const next = { ...a, ...afterFailure(a, now, this.opts.lockout) };
    await this.save(next);
    const lockedNow = lockedFor(next, now);
    this.log.warn({ operator: id, failures: next.failures, lockedForMs: lockedNow || undefined }, lockedNow ? 'wrong password: operator locked out' : 'wrong password');
    return lockedNow ? { ok: false, reason: 'locked', lockedForMs: lockedNow } : { ok: false, reason: 'wrong', attemptsLeft: attemptsLeft(next, this.opts.lockout) };
  }

  private async save(account: Account): Promise<void> {
    this.accounts = this.accounts.map((a) => (a.id === account.id ? account : a));
    writeJsonFile(this.file, { version: 1, accounts: this.accounts } satisfies StoreFile);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
