// Exponential reconnect backoff with optional jitter (pure).

/** Reconnect schedule: `initialDelayMs * factor^n`, capped at `maxDelayMs`, spread by ±`jitter` (a ratio). */
export interface BackoffOptions {
  /** First delay after a drop or failed attempt (default 500 ms). */
  initialDelayMs?: number;
  /** Upper bound (default 30 000 ms). */
  maxDelayMs?: number;
  /** Growth per failed attempt (default 2). */
  factor?: number;
  /** Random spread as a ratio of the delay, 0..1 (default 0.2), so a fleet does not reconnect in step. */
  jitter?: number;
}

export type ResolvedBackoff = Required<BackoffOptions>;

/** Applies defaults and checks ranges; throws RangeError naming the option. */
export function resolveBackoff(opts: BackoffOptions = {}): ResolvedBackoff {
  const r = { initialDelayMs: 500, maxDelayMs: 30_000, factor: 2, jitter: 0.2, ...opts };
  if (!(r.initialDelayMs > 0)) throw new RangeError(`reconnect.initialDelayMs: expected > 0, got ${r.initialDelayMs}`);
  if (!(r.maxDelayMs >= r.initialDelayMs)) throw new RangeError(`reconnect.maxDelayMs: expected >= initialDelayMs, got ${r.maxDelayMs}`);
  if (!(r.factor >= 1)) throw new RangeError(`reconnect.factor: expected >= 1, got ${r.factor}`);
  if (!(r.jitter >= 0 && r.jitter <= 1)) throw new RangeError(`reconnect.jitter: expected 0..1, got ${r.jitter}`);
  return r;
}

/** Delay before reconnect attempt number `attempt` (0-based). `random` returns 0..1; 0.5 means no spread. */
export function backoffDelay(attempt: number, b: ResolvedBackoff, random: () => number = Math.random): number {
  const base = Math.min(b.maxDelayMs, b.initialDelayMs * b.factor ** Math.min(attempt, 64));
  return Math.round(base * (1 + b.jitter * (2 * random() - 1)));
}
