// StanCounter: padding, wrap, persistence before hand-out, serialized concurrent calls, memory and LevelDB stores.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Level } from 'level';
import { levelStanStore, memoryStanStore, StanCounter, type StanStore } from './stan';

describe('StanCounter (memory store)', () => {
  it('starts at 000001 and zero-pads to six digits', async () => {
    const c = new StanCounter(memoryStanStore());
    expect([await c.next(), await c.next(), await c.next()]).toEqual(['000001', '000002', '000003']);
  });

  it('wraps 999999 -> 000001, never 000000', async () => {
    const store = memoryStanStore(999_998);
    const c = new StanCounter(store);
    expect([await c.next(), await c.next(), await c.next()]).toEqual(['999999', '000001', '000002']);
    expect(store.value).toBe(2);
  });

  it('continues from a stored 0 (never issues 000000)', async () => {
    expect(await new StanCounter(memoryStanStore(0)).next()).toBe('000001');
  });

  it('persists each value before returning it', async () => {
    const order: string[] = [];
    let stored: number | undefined = 41;
    const store: StanStore = {
      get: async () => stored,
      put: async (v) => {
        await new Promise((r) => setImmediate(r));
        stored = v;
        order.push(`put ${v}`);
      },
    };
    const c = new StanCounter(store);
    const stan = await c.next();
    order.push(`got ${stan}`);
    expect(order).toEqual(['put 42', 'got 000042']);
  });

  it('gives concurrent callers distinct, consecutive values', async () => {
    const store = memoryStanStore(10);
    const c = new StanCounter(store);
    const got = await Promise.all(Array.from({ length: 20 }, () => c.next()));
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => String(11 + i).padStart(6, '0')));
    expect(store.value).toBe(30);
  });

  it('does not hand out a value whose write failed, and recovers from the store afterwards', async () => {
    let stored: number | undefined = 5;
    let failNext = true;
    const store: StanStore = {
      get: async () => stored,
      put: async (v) => {
        if (failNext) {
          failNext = false;
          throw new Error('disk full');
        }
        stored = v;
      },
    };
    const c = new StanCounter(store);
    const [a, b] = await Promise.allSettled([c.next(), c.next()]);
    expect(a).toMatchObject({ status: 'rejected', reason: { message: 'disk full' } });
    expect(b).toEqual({ status: 'fulfilled', value: '000006' });
  });

  it('refuses a corrupt stored value and a bad store', async () => {
    await expect(new StanCounter(memoryStanStore(1_000_000)).next()).rejects.toThrow(
      'stored STAN is corrupt: expected an integer 0..999999, got 1000000',
    );
    expect(() => new StanCounter({} as StanStore)).toThrow('StanCounter: expected a store with get() and put(value)');
  });
});

describe('StanCounter (LevelDB store)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'posfw-stan-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('survives a reopen: a new counter continues after the last issued value', async () => {
    const db1 = new Level<string, string>(dir);
    const c1 = new StanCounter(levelStanStore(db1));
    expect(await Promise.all([c1.next(), c1.next(), c1.next()])).toEqual(['000001', '000002', '000003']);
    expect(await db1.get('stan')).toBe('3');
    await db1.close();

    const db2 = new Level<string, string>(dir);
    const c2 = new StanCounter(levelStanStore(db2));
    expect(await c2.next()).toBe('000004');
    await db2.close();
  });

  it('wraps on disk and uses its own key', async () => {
    const db = new Level<string, string>(dir);
    await db.put('stan:t1', '999999');
    const c = new StanCounter(levelStanStore(db, 'stan:t1'));
    expect([await c.next(), await c.next()]).toEqual(['000001', '000002']);
    expect(await db.get('stan:t1')).toBe('2');
    expect(await db.get('stan')).toBeUndefined();
    await db.put('stan:bad', 'x1');
    await expect(new StanCounter(levelStanStore(db, 'stan:bad')).next()).rejects.toThrow('stored STAN is corrupt: expected up to 6 digits, got "x1"');
    await db.close();
  });
});
