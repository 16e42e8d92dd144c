// The runtime environment is what Node and V8 actually apply: a child started with it reports the limits.
import { spawnSync } from 'node:child_process';
import { runtimeSchema } from '../board/schema';
import { runtimeEnv } from './runtime-env';

it('a Node process started with the environment has the configured heap limits', () => {
  const env = runtimeEnv(runtimeSchema.parse({ oldSpaceMb: 96, semiSpaceMb: 2 }));
  const r = spawnSync(process.execPath, ['-p', "const v8 = require('v8'); JSON.stringify([v8.getHeapStatistics().heap_size_limit, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size])"], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
  expect(r.status).toBe(0);
  const [limit, young] = JSON.parse(r.stdout) as [number, number];
  const mb = (n: number) => n / 2 ** 20;
  // heap_size_limit = old space + the young generation (3 semi-spaces' worth at most).
  expect(mb(limit)).toBeGreaterThanOrEqual(96);
  expect(mb(limit)).toBeLessThan(96 + 3 * 2 + 1);
  expect(mb(young)).toBeLessThanOrEqual(2 * 2);
});

it('refuses a heap too small to run the terminal, naming the field', () => {
  const r = runtimeSchema.safeParse({ oldSpaceMb: 16 });
  expect(r.success).toBe(false);
  expect(r.error?.issues[0].path).toEqual(['oldSpaceMb']);
});
