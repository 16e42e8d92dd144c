// Token buckets on the injected clock: how often the host may be asked (sign-on, echo, queries), how often a key may fail.
import type { Clock } from '../common/clock';
import { HttpError } from './http';

interface Bucket {
  tokens: number;
  at: number;
}

/** Most buckets kept at once (one per client address for failed keys); the stalest go first. */
const MAX_BUCKETS = 1024;

/**
 * `perMinute` tokens a minute per key, at most `burst` saved up. {@link take} answers 0 when a token was taken, else
 * the whole seconds until one is there (a `Retry-After`).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly perMinute: number,
    private readonly burst = Math.max(1, Math.ceil(perMinute / 4)),
  ) {
    if (!(perMinute > 0)) throw new RangeError(`RateLimiter: expected perMinute > 0, got ${perMinute}`);
  }

  /** Takes a token for `key`: 0 when allowed, else seconds to wait. */
  take(key = ''): number {
    const b = this.refill(key);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return this.wait(b);
  }

  /** Seconds until `key` has a token (0: it has one now); takes nothing. */
  peek(key = ''): number {
    const b = this.refill(key);
    return b.tokens >= 1 ? 0 : this.wait(b);
  }

  private wait(b: Bucket): number {
    return Math.max(1, Math.ceil(((1 - b.tokens) * 60) / this.perMinute));
  }

  private refill(key: string): Bucket {
    const now = this.clock.now();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value as string);
      b = { tokens: this.burst, at: now };
    } else {
      this.buckets.delete(key);
      b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 60_000) * this.perMinute);
      b.at = now;
    }
    this.buckets.set(key, b);
    return b;
  }
}

/** Throws 429 with Retry-After when the host was asked too often. */
export function limitHost(limiter: RateLimiter, what: string): void {
  const wait = limiter.take();
  if (wait > 0) throw new HttpError(429, 'rate-limited', `${what} reaches the acquirer and is limited; retry in ${wait} s`, undefined, { 'Retry-After': String(wait) });
}
