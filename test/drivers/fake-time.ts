// Stepping a FakeClock while real I/O (a pty) runs: the driver's timers move only when the test says, I/O gets real turns.
import type { FakeClock } from '../../firmware/common/clock';

/** One real turn of the event loop for pty I/O (never asserted on: it only lets bytes arrive). */
const ioTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

/**
 * Steps `clock` by `stepMs` until `promise` settles, giving real I/O a turn between steps; resolves with its
 * outcome (a rejection comes back as the error). Throws after `maxSteps` steps.
 */
export async function settleOn<T>(clock: FakeClock, promise: Promise<T>, stepMs: number, maxSteps = 100): Promise<T | unknown> {
  let settled = false;
  const outcome = promise.then(
    (v) => ((settled = true), v),
    (e: unknown) => ((settled = true), e),
  );
  for (let i = 0; i < maxSteps && !settled; i++) {
    await clock.advance(stepMs);
    await ioTurn();
  }
  if (!settled) throw new Error(`settleOn: still pending after ${maxSteps} steps of ${stepMs} ms`);
  return outcome;
}

/** Steps `clock` by `stepMs` until `check()` holds, giving real I/O a turn between steps. Throws after `maxSteps`. */
export async function stepUntil(clock: FakeClock, check: () => boolean, what: string, stepMs: number, maxSteps = 200): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    if (check()) return;
    await clock.advance(stepMs);
    await ioTurn();
  }
  throw new Error(`timed out waiting for ${what}`);
}
