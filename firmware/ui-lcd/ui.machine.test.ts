// The UI machine driven alone: keys, swipes and prompts in, fake start/reprint actors, simulated time for every timer.
import { createActor, fromPromise } from 'xstate';
import { FakeClock } from '../common/clock';
import type { Key } from '../common/keys';
import type { SwipedCard } from '../hal/magstripe/magstripe';
import type { TxnRecord } from '../journal/types';
import type { Prompt } from '../flows/prompts';
import { operatorActivity, uiMachine, type KeypadStart } from './ui.machine';

const CARD: SwipedCard = { pan: '4761739001010010', expiry: '3012', serviceCode: '101', track2: '4761739001010010=3012101' };
const txn = { type: 'sale' as const, amount: 1900, currency: 'CNY', reference: 'T-1' };
const finished = (state: TxnRecord['state']): Prompt => ({ kind: 'finished', txn, record: { state } as TxnRecord });

function rig(opts: { refuse?: string; reprintError?: string; faults?: boolean } = {}) {
  const clock = new FakeClock();
  const started: KeypadStart[] = [];
  const forwarded: string[] = [];
  const machine = uiMachine.provide({
    actors: {
      startTxn: fromPromise<void, KeypadStart>(async ({ input }) => {
        started.push(input);
        if (opts.refuse) throw new Error(opts.refuse);
      }),
      reprintLast: fromPromise<{ error?: string }, void>(async () => (opts.reprintError ? { error: opts.reprintError } : {})),
    },
    actions: { forwardToTxn: (_, p: { key: 'CANCEL' | 'OK' }) => void forwarded.push(p.key) },
  });
  const ui = createActor(machine, { clock, input: { faults: opts.faults ?? false, promptMs: 60_000, messageMs: 3_000 } });
  ui.start();
  const keys = async (...ks: Key[]) => {
    for (const key of ks) ui.send({ type: 'KEY', key });
    await clock.advance(0);
  };
  return { clock, ui, started, forwarded, keys, state: () => String(ui.getSnapshot().value), ctx: () => ui.getSnapshot().context };
}

describe('UI machine', () => {
  it('F1, digits, CLEAR, OK: starts a keypad sale with the amount typed', async () => {
    const r = rig();
    await r.keys('F1', '1', '9', '5', 'CLEAR', '0', '0');
    expect(r.state()).toBe('amount');
    expect(r.ctx().digits).toBe('1900');
    expect(operatorActivity(r.state())).toBe('entering an amount');
    await r.keys('OK');
    expect(r.started).toEqual([{ type: 'sale', amount: 1900, card: undefined }]);
  });

  it('a card swiped at idle opens amount entry for a sale with that card', async () => {
    const r = rig();
    r.ui.send({ type: 'SWIPE', card: CARD });
    await r.keys('5', '0', 'OK');
    expect(r.started).toEqual([{ type: 'sale', amount: 50, card: CARD }]);
  });

  it('prompts take the screen; CANCEL and OK go to the transaction; the outcome stays, then idle', async () => {
    const r = rig();
    r.ui.send({ type: 'PROMPT', prompt: { kind: 'present-card', txn } });
    expect(r.state()).toBe('running');
    await r.keys('CANCEL', 'OK', '5');
    expect(r.forwarded).toEqual(['CANCEL', 'OK']);
    r.ui.send({ type: 'PROMPT', prompt: finished('cancelled') });
    expect(r.state()).toBe('finished');
    await r.clock.advance(2_999);
    expect(r.state()).toBe('finished');
    await r.clock.advance(1);
    expect(r.state()).toBe('idle');
  });

  it('a key on the outcome screen goes back to idle and acts there (F1 opens amount entry at once)', async () => {
    const r = rig();
    r.ui.send({ type: 'PROMPT', prompt: finished('completed') });
    await r.keys('F1');
    expect(r.state()).toBe('amount');
  });

  it('an ECR prompt arriving during amount entry does not take the screen (the controller refuses the ECR)', async () => {
    const r = rig();
    await r.keys('F1', '7');
    r.ui.send({ type: 'PROMPT', prompt: { kind: 'present-card', txn } });
    expect(r.state()).toBe('amount');
    expect(r.ctx().digits).toBe('7');
  });

  it('amount entry and menus time out to idle after the prompt timeout; each key restarts it', async () => {
    const r = rig();
    await r.keys('F1');
    await r.clock.advance(59_000);
    await r.keys('1');
    await r.clock.advance(59_000);
    expect(r.state()).toBe('amount');
    await r.clock.advance(1_000);
    expect(r.state()).toBe('idle');
    await r.keys('MENU');
    await r.clock.advance(60_000);
    expect(r.state()).toBe('idle');
  });

  it('menu: arrows move the cursor and wrap, digits pick, OK picks the cursor row, CANCEL leaves', async () => {
    const r = rig();
    await r.keys('MENU', 'UP');
    expect(r.ctx().cursor).toBe(3);
    await r.keys('DOWN', 'DOWN', 'OK');
    expect(r.state()).toBe('amount');
    expect(r.ctx().startType).toBe('preauth');
    await r.keys('CANCEL', 'MENU', '3');
    expect(r.started).toEqual([{ type: 'balance', amount: undefined, card: undefined }]);
    const s = rig();
    await s.keys('MENU', 'CANCEL');
    expect(s.state()).toBe('idle');
  });

  it('a refused start shows why, then idle', async () => {
    const r = rig({ refuse: 'terminal is busy with transaction X' });
    await r.keys('F1', '1', 'OK');
    expect(r.state()).toBe('refused');
    expect(r.ctx().message).toBe('terminal is busy with transaction X');
    await r.clock.advance(3_000);
    expect(r.state()).toBe('idle');
  });

  it('reprint from the menu: back to idle, or the failure shown for a while', async () => {
    const ok = rig();
    await ok.keys('MENU', '4');
    expect(ok.state()).toBe('idle');
    const bad = rig({ reprintError: 'nothing to reprint' });
    await bad.keys('MENU', '4');
    expect(bad.state()).toBe('reprintFailed');
    await bad.clock.advance(3_000);
    expect(bad.state()).toBe('idle');
  });

  it('printer paused and resumed while a transaction prints', async () => {
    const r = rig();
    r.ui.send({ type: 'PROMPT', prompt: { kind: 'printing', txn, record: { state: 'approved' } as TxnRecord } });
    r.ui.send({ type: 'PRINTER_PAUSED', why: 'paper-out' });
    expect(r.state()).toBe('paused');
    r.ui.send({ type: 'PRINTER_RESUMED' });
    expect(r.state()).toBe('running');
    expect(r.ctx().resumed).toBe(true);
    r.ui.send({ type: 'PROMPT', prompt: finished('completed') });
    expect(r.state()).toBe('finished');
  });

  it('device faults at boot show first, then idle', async () => {
    const r = rig({ faults: true });
    expect(r.state()).toBe('faults');
    await r.clock.advance(3_000);
    expect(r.state()).toBe('idle');
  });
});
