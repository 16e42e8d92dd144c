// The chaos day's short profile (in make test): about 60 operations and 8 kills, every invariant checked; `make chaos` runs the long day.
import { runDay } from './day';

jest.setTimeout(10 * 60 * 1000);

it('a short chaotic day ends with terminal and host agreeing', async () => {
  const s = await runDay({ ops: Number(process.env.DAY_OPS ?? 60), kills: Number(process.env.DAY_KILLS ?? 8), seed: Number(process.env.DAY_SEED ?? 11) });
  process.stderr.write(`${s.line}\n`);
  expect({ doubleCharges: s.doubleCharges, lostApprovals: s.lostApprovals, mismatches: s.mismatches, stuckBatches: s.stuckBatches, unfinished: s.unfinished }).toEqual({ doubleCharges: [], lostApprovals: [], mismatches: [], stuckBatches: [], unfinished: [] });
  expect(s.kills).toBeGreaterThanOrEqual(Math.min(8, Number(process.env.DAY_KILLS ?? 8)));
});
