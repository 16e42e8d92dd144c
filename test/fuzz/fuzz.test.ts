// The hostile-input suite: bounded, seeded fuzzing of every input from outside; no crash, no hang, typed refusals only.
// `make test` runs the short profile; `make fuzz` the long one (FUZZ_PROFILE=long, FUZZ_SEED, FUZZ_SCALE).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Harness } from '../flows/harness';
import { profile, run, table, type Tally } from './fuzz-kit';
import { hostFrames, iso8583, magstripeBytes, pinpadFrames, scannerBytes } from './targets-bytes';
import { boardConfig } from './targets-config';
import { ecrRequests } from './targets-ecr';

const p = profile();
const tallies: Tally[] = [];

afterAll(() => {
  const text = table(tallies, p);
  process.stdout.write(`\n${text}`);
  if (process.env.FUZZ_REPORT) writeFileSync(join(process.env.FUZZ_REPORT), JSON.stringify({ profile: p, tallies }, null, 2));
});

const expectClean = (t: Tally) => {
  tallies.push(t);
  expect(t.crashes).toEqual([]);
  expect(t.inputs).toBeGreaterThan(0);
  expect(t.rejected).toBeGreaterThan(0);
};

test.each([
  ['iso8583', iso8583],
  ['host-frames', hostFrames],
  ['scanner-bytes', scannerBytes],
  ['magstripe-bytes', magstripeBytes],
  ['pinpad-frames', pinpadFrames],
  ['board-config', boardConfig],
] as const)('%s', async (name, target) => {
  expectClean(await run(name, p, target));
});

describe('ecr-http', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ api: { requestTimeoutMs: 1000 }, logLevel: 'warn' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('bodies, content types, URLs and raw headers', async () => {
    const before = (await h.terminal.money.journal.list()).length;
    // HTTP inputs cost more than bytes: a quarter of the profile's count.
    const t = await run('ecr-http', p, ecrRequests(h), Math.ceil(p.inputs / 4));
    expectClean(t);
    // Only accepted inputs (transactions started, then cancelled) reached the journal; the host saw none of them.
    const records = await h.terminal.money.journal.list();
    expect(records.length - before).toBeLessThanOrEqual(t.accepted);
    expect(records.every((r) => r.state === 'cancelled')).toBe(true);
    expect(h.hostRequests).toEqual([]);
    expect((await h.health()).status).toBe(200);
  });
});
