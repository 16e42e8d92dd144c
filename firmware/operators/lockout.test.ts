// Lock-out with back-off: locked after maxAttempts, each further lock-out twice as long, capped; success clears it.
import { afterFailure, afterSuccess, attemptsLeft, lockedFor, UNLOCKED, type LockoutState } from './lockout';

const policy = { maxAttempts: 3, lockoutMs: 60_000, maxLockoutMs: 200_000 };

describe('lock-out', () => {
  it('counts wrong attempts and locks at the configured count', () => {
    let s: LockoutState = UNLOCKED;
    s = afterFailure(s, 0, policy);
    expect(attemptsLeft(s, policy)).toBe(2);
    s = afterFailure(s, 0, policy);
    expect(lockedFor(s, 0)).toBe(0);
    s = afterFailure(s, 1_000, policy);
    expect(lockedFor(s, 1_000)).toBe(60_000);
    expect(lockedFor(s, 61_000)).toBe(0);
    expect(attemptsLeft(s, policy)).toBe(3);
  });

  it('backs off: 60 s, 120 s, then capped at the maximum', () => {
    let s: LockoutState = UNLOCKED;
    const lockOnce = (now: number) => {
      for (let i = 0; i < 3; i++) s = afterFailure(s, now, policy);
      return lockedFor(s, now);
    };
    expect(lockOnce(0)).toBe(60_000);
    expect(lockOnce(100_000)).toBe(120_000);
    expect(lockOnce(300_000)).toBe(200_000);
    expect(afterSuccess()).toEqual({ failures: 0, lockouts: 0 });
  });
});
