// make chaos: a whole chaotic day (CHAOS_OPS operations, default 2000; CHAOS_KILLS SIGKILLs, default 200; CHAOS_SEED).
import { runDay } from './day';

jest.setTimeout(60 * 60 * 1000);

it('a chaotic day of sales, holds, completions, voids, refunds and settlements ends with terminal and host agreeing', async () => {
  const s = await runDay({
    ops: Number(process.env.CHAOS_OPS ?? 2000),
    kills: Number(process.env.CHAOS_KILLS ?? 200),
    seed: Number(process.env.CHAOS_SEED ?? 7),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  process.stderr.write(`${s.line}\n`);
  expect({ doubleCharges: s.doubleCharges, lostApprovals: s.lostApprovals, mismatches: s.mismatches, stuckBatches: s.stuckBatches, unfinished: s.unfinished }).toEqual({ doubleCharges: [], lostApprovals: [], mismatches: [], stuckBatches: [], unfinished: [] });
});
