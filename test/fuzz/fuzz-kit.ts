// The hostile-input suite's runner: seeded generators and mutators, bounded runs (inputs and time), typed-error checks, counts.
import { mulberry32 } from '../../firmware/common/prng';

/** `make fuzz` runs the long profile; `make test` the short one. Both are bounded in inputs and in time. */
export interface Profile {
  name: 'short' | 'long';
  inputs: number;
  maxMs: number;
  seed: number;
}

export function profile(): Profile {
  const long = process.env.FUZZ_PROFILE === 'long';
  const seed = Number(process.env.FUZZ_SEED ?? 20261130);
  const scale = Number(process.env.FUZZ_SCALE ?? 1);
  return long ? { name: 'long', inputs: Math.round(20000 * scale), maxMs: 60_000 * scale, seed } : { name: 'short', inputs: Math.round(400 * scale), maxMs: 4000, seed };
}

/** A seeded random source with the helpers the targets share. */
export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  bytes(max: number): Buffer {
    return Buffer.from(Array.from({ length: this.int(max + 1) }, () => this.int(256)));
  }
  /** Printable, control and non-ASCII characters. */
  text(max: number): string {
    const pools = ['abcXYZ0123456789', ' \t\r\n\0\x1b', '%?;=^/\\"\'{}[]:,', 'é中文€\u202e\ufffd', '\u0000\u007f\u0085'];
    return Array.from({ length: this.int(max + 1) }, () => {
      const p = this.pick(pools);
      return p[this.int(p.length)];
    }).join('');
  }
  /** Bit flips, byte changes, truncation, junk, deletion, insertion, duplication of a slice. */
  mutate(seed: Uint8Array): Buffer {
    const b = Buffer.from(seed);
    switch (this.int(7)) {
      case 0:
        for (let i = 1 + this.int(4); i > 0 && b.length; i--) b[this.int(b.length)] ^= 1 << this.int(8);
        return b;
      case 1:
        for (let i = 1 + this.int(3); i > 0 && b.length; i--) b[this.int(b.length)] = this.int(256);
        return b;
      case 2:
        return b.subarray(0, this.int(b.length + 1));
      case 3:
        return Buffer.concat([b, this.bytes(16)]);
      case 4: {
        const at = this.int(b.length);
        return Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
      }
      case 5: {
        const at = this.int(b.length + 1);
        return Buffer.concat([b.subarray(0, at), Buffer.from([this.int(256)]), b.subarray(at)]);
      }
      default: {
        const at = this.int(b.length + 1);
        const len = this.int(Math.max(1, b.length - at) + 1);
        return Buffer.concat([b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len)]);
      }
    }
  }
  /** Splits bytes into random chunks (how a serial line or socket delivers them). */
  chunks(b: Buffer): Buffer[] {
    const out: Buffer[] = [];
    for (let i = 0; i < b.length; ) {
      const n = 1 + this.int(Math.min(64, b.length - i));
      out.push(b.subarray(i, i + n));
      i += n;
    }
    return out;
  }
  /** A JSON value that is wrong in many ways: huge, negative, fractional, deep, prototype-named, odd strings. */
  hostileValue(depth = 0): unknown {
    switch (this.int(depth > 3 ? 9 : 11)) {
      case 0:
        return this.pick([0, -1, 1.5, 2 ** 31, 2 ** 31 - 1, 2 ** 53, 1e308, -1e308, 999_999_999_999, 1e-9]);
      case 1:
        return this.text(20);
      case 2:
        return 'x'.repeat(this.pick([65, 100, 1000, 9000]));
      case 3:
        return this.pick([null, true, false]);
      case 4:
        return this.pick(['', ' ', '0', '-0', 'NaN', 'Infinity', '1e3', '00001']);
      case 5:
        return this.pick(['sale', 'void', 'refund', 'balance', 'preauth', 'completion', 'payout', 'SALE']);
      case 6:
        return this.pick(['CNY', 'cny', 'USD', 'CN', 'CNYY']);
      case 7:
        return this.int(100000);
      case 8:
        return this.pick(['000001', '1', 'R-1', 'a b', '\u0000']);
      case 9:
        return Array.from({ length: this.int(4) }, () => this.hostileValue(depth + 1));
      default: {
        const o: Record<string, unknown> = {};
        for (let i = this.int(4); i > 0; i--) o[this.pick(['reference', 'rrn', 'stan', 'x', 'toString', 'valueOf'])] = this.hostileValue(depth + 1);
        return o;
      }
    }
  }
}

/** JSON text of `value` with a prototype-named key spliced into its first object (JSON.stringify never writes one). */
export function withPrototypeKey(json: string, rng: Rng): string {
  const key = rng.pick(['__proto__', 'constructor', 'prototype']);
  const at = json.indexOf('{');
  if (at < 0) return json;
  const inner = rng.pick(['{"polluted":true}', '{"prototype":{"polluted":true}}', '1', '"x"']);
  return `${json.slice(0, at + 1)}"${key}":${inner}${json[at + 1] === '}' ? '' : ','}${json.slice(at + 1)}`;
}

export interface Tally {
  target: string;
  inputs: number;
  accepted: number;
  rejected: number;
  crashes: Array<{ input: string; error: string }>;
  ms: number;
  slowestMs: number;
  seed: number;
}

/** An input that failed the target's expectations (an untyped throw, a 5xx, a changed journal...). */
export class Crash extends Error {}

/**
 * Runs `one` on up to `p.inputs` inputs or until `p.maxMs` passed, whichever comes first. `one` returns `accepted`
 * or `rejected` (a typed, explained refusal); anything it throws is a crash, kept with the input for reproduction.
 */
export async function run(target: string, p: Profile, one: (rng: Rng, i: number) => Promise<{ verdict: 'accepted' | 'rejected'; input: string }> | { verdict: 'accepted' | 'rejected'; input: string }, inputs = p.inputs): Promise<Tally> {
  const rng = new Rng(p.seed ^ [...target].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7));
  const tally: Tally = { target, inputs: 0, accepted: 0, rejected: 0, crashes: [], ms: 0, slowestMs: 0, seed: p.seed };
  const start = Date.now();
  for (let i = 0; i < inputs && Date.now() - start < p.maxMs; i++) {
    const t0 = Date.now();
    tally.inputs++;
    try {
      const r = await one(rng, i);
      tally[r.verdict]++;
    } catch (err) {
      if (tally.crashes.length < 20) tally.crashes.push({ input: (err as { input?: string }).input ?? `#${i}`, error: String((err as Error).stack ?? err).slice(0, 600) });
    }
    tally.slowestMs = Math.max(tally.slowestMs, Date.now() - t0);
  }
  tally.ms = Date.now() - start;
  return tally;
}

/** Checks a thrown error is one of `types` with a message; returns `rejected`, or throws a Crash naming the input. */
export function typed(err: unknown, types: ReadonlyArray<new (...args: never[]) => Error>, input: string): 'rejected' {
  if (types.some((t) => err instanceof t) && (err as Error).message.length > 0) return 'rejected';
  throw Object.assign(new Crash(`untyped rejection of ${input}: ${(err as Error)?.stack ?? String(err)}`), { input });
}

export function table(tallies: Tally[], p: Profile): string {
  const rows = tallies.map((t) => `${t.target.padEnd(22)} ${String(t.inputs).padStart(7)} ${String(t.accepted).padStart(9)} ${String(t.rejected).padStart(9)} ${String(t.crashes.length).padStart(8)} ${String(t.ms).padStart(7)} ${String(t.slowestMs).padStart(8)}`);
  return [`fuzz profile ${p.name}, seed ${p.seed}`, `${'target'.padEnd(22)} ${'inputs'.padStart(7)} ${'accepted'.padStart(9)} ${'rejected'.padStart(9)} ${'crashes'.padStart(8)} ${'ms'.padStart(7)} ${'slowest'.padStart(8)}`, ...rows].join('\n') + '\n';
}
