// Persistent STAN (field 11) counter: 000001..999999, wraps to 000001, persisted before it is handed out.

/** Where the last issued STAN lives. `get` resolves undefined before the first one. */
export interface StanStore {
  get(): Promise<number | undefined>;
  put(value: number): Promise<void>;
}

export const STAN_MAX = 999_999;

/**
 * Hands out STANs. Each value is durably stored before `next()` resolves, so a crash or power cut never
 * reuses one; calls are serialized, so concurrent callers always get distinct values.
 */
export class StanCounter {
  private last: number | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: StanStore) {
    if (!store || typeof store.get !== 'function' || typeof store.put !== 'function') {
      throw new TypeError('StanCounter: expected a store with get() and put(value)');
    }
  }

  /**
   * The next STAN, six digits zero-padded ("000123"). After "999999" comes "000001" ("000000" is never used).
   * Rejects with the store's error when reading or writing fails (the value is then not used; the next call
   * re-reads the store), or with an Error when the stored value is not an integer 0..999999.
   */
  next(): Promise<string> {
    const result = this.queue.then(() => this.advance());
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async advance(): Promise<string> {
    if (this.last === undefined) {
      const stored = await this.store.get();
      if (stored !== undefined && !(Number.isInteger(stored) && stored >= 0 && stored <= STAN_MAX)) {
        throw new Error(`stored STAN is corrupt: expected an integer 0..${STAN_MAX}, got ${String(stored)}`);
      }
      this.last = stored ?? 0;
    }
    const value = this.last >= STAN_MAX ? 1 : this.last + 1;
    try {
      await this.store.put(value);
    } catch (err) {
      this.last = undefined; // unknown whether it was written: re-read next time
      throw err;
    }
    this.last = value;
    return String(value).padStart(6, '0');
  }
}

/** The slice of a `level` database the STAN store needs (ClassicLevel with string values fits). */
export interface StanLevelDb {
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string, options: { sync: boolean }): Promise<void>;
}

/** A StanStore on a LevelDB key; writes are synced to disk (`sync: true`) so a power cut never loses one. */
export function levelStanStore(db: StanLevelDb, key = 'stan'): StanStore {
  return {
    async get() {
      const raw = await db.get(key); // level 10: a missing key resolves undefined
      if (raw === undefined) return undefined;
      if (!/^\d{1,6}$/.test(raw)) throw new Error(`stored STAN is corrupt: expected up to 6 digits, got ${JSON.stringify(raw)}`);
      return Number(raw);
    },
    put: (value) => db.put(key, String(value), { sync: true }),
  };
}

/** A StanStore in memory (tests, simulator without persistence). */
export function memoryStanStore(initial?: number): StanStore & { value: number | undefined } {
  const store = {
    value: initial,
    get: async () => store.value,
    put: async (v: number) => {
      store.value = v;
    },
  };
  return store;
}
