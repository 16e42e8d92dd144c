// Lock-out with back-off after repeated wrong passwords, as pure functions of an account's counters and the time.

/** How many wrong passwords lock an account, and for how long (doubling with each further lock-out, capped). */
export interface LockoutPolicy {
  maxAttempts: number;
  lockoutMs: number;
  maxLockoutMs: number;
}

/** What an account remembers between attempts (persisted with it, so a restart does not reset a lock-out). */
export interface LockoutState {
  /** Wrong passwords since the last success or lock-out. */
  failures: number;
  /** Lock-outs since the last success: the next one lasts `lockoutMs * 2^lockouts`. */
  lockouts: number;
  /** Epoch ms until which every attempt is refused. */
  lockedUntil?: number;
}

export const UNLOCKED: LockoutState = { failures: 0, lockouts: 0 };

/** Milliseconds left of a lock-out at `now` (0 when not locked). */
export function lockedFor(state: LockoutState, now: number): number {
  return state.lockedUntil !== undefined && state.lockedUntil > now ? state.lockedUntil - now : 0;
}

/** Wrong attempts left before the account locks (at `now`). */
export function attemptsLeft(state: LockoutState, policy: LockoutPolicy): number {
  return Math.max(0, policy.maxAttempts - state.failures);
}

/** The state after a wrong password at `now`: counted, and locked once `maxAttempts` is reached. */
export function afterFailure(state: LockoutState, now: number, policy: LockoutPolicy): LockoutState {
  const failures = state.failures + 1;
  if (failures < policy.maxAttempts) return { ...state, failures, lockedUntil: undefined };
  const ms = Math.min(policy.lockoutMs * 2 ** state.lockouts, policy.maxLockoutMs);
  return { failures: 0, lockouts: state.lockouts + 1, lockedUntil: now + ms };
}

/** The state after a right password: counters cleared. */
export function afterSuccess(): LockoutState {
  return { ...UNLOCKED };
}
