// The transaction machine driven alone: fake actors, simulated time, no terminal boot. Every path ends journaled.
import { createActor, fromCallback, fromPromise } from 'xstate';
import { FakeClock } from '../common/clock';
import type { SwipedCard } from '../hal/magstripe/magstripe';
import type { PinResult } from '../hal/pinpad/pinpad';
import type { TxnRecord } from '../journal/types';
import { cardCaptureMachine, type CardCaptureEvent, type PersonTimeouts } from './capture-card.machine';
import { txnMachine, type AuthoriseInput, type FinishInput, type TxnInput } from './txn.machine';
import type { Prompt } from './prompts';

const CARD: SwipedCard = { pan: '4761739001010010', expiry: '3012', serviceCode: '101', track2: '4761739001010010=30121010000000000000' };
const TIMEOUTS: PersonTimeouts = { cardMs: 60_000, pinMs: 30_000, confirmMs: 30_000 };
const PIN: PinResult = { kind: 'pin', format: 0, pinBlock: Buffer.alloc(8, 1), ksn: Buffer.alloc(10, 2) };

function record(over: Partial<TxnRecord> = {}): TxnRecord {
  return {
    id: '0000000001', reference: 'R-1', origin: 'ecr', type: 'sale', state: 'created', stan: '000001', batch: '000001', amount: 1234, currency: 'CNY',
    currencyNumeric: '156', operator: '01', reversal: null, receipt: { merchant: 'pending', customer: 'pending', reprints: 0 }, createdAt: '', updatedAt: '', history: [], ...over,
  };
}

/** A fake world: what the actors were asked, and levers to answer them. */
function rig(opts: { duplicate?: boolean; pin?: () => Promise<PinResult>; authorise?: (i: AuthoriseInput) => Promise<TxnRecord> } = {}) {
  const clock = new FakeClock(Date.parse('2026-11-30T10:00:00Z'));
  const calls = { authorise: [] as AuthoriseInput[], finish: [] as FinishInput[], pinSignals: [] as AbortSignal[], printed: 0 };
  let swipe: ((e: CardCaptureEvent) => void) | undefined;
  const capture = cardCaptureMachine.provide({
    actors: {
      waitCard: fromCallback<CardCaptureEvent, { rec: TxnRecord }>(({ sendBack }) => {
        swipe = sendBack;
        return () => (swipe = undefined);
      }),
      attachCard: fromPromise<TxnRecord, { rec: TxnRecord; card: SwipedCard }>(async ({ input }) => ({ ...input.rec, maskedPan: '476173******0010' })),
      isDuplicate: fromPromise(async () => opts.duplicate === true),
      requestPin: fromPromise<PinResult, { rec: TxnRecord; card: SwipedCard; allowBypass: boolean; timeoutMs: number }>(({ signal }) => {
        calls.pinSignals.push(signal);
        return opts.pin ? opts.pin() : new Promise(() => undefined);
      }),
    },
  });
  const machine = txnMachine.provide({
    actors: {
      captureCard: capture,
      authorise: fromPromise<TxnRecord, AuthoriseInput>(async ({ input }) => {
        calls.authorise.push(input);
        return opts.authorise ? opts.authorise(input) : { ...input.rec, state: 'approved', wasApproved: true, responseCode: '00' };
      }),
      printSlips: fromPromise<TxnRecord, { rec: TxnRecord }>(async ({ input }) => (calls.printed++, input.rec)),
      finish: fromPromise<TxnRecord, FinishInput>(async ({ input }) => {
        calls.finish.push(input);
        return input.cancel ? { ...input.rec, state: 'cancelled', reason: input.cancel.reason } : { ...input.rec, state: input.rec.state === 'created' ? 'cancelled' : 'completed' };
      }),
    },
  });
  const start = (input: Partial<TxnInput> = {}) => {
    const actor = createActor(machine, {
      clock,
      input: { rec: record(), capture: 'card', card: { pinRequired: false, duplicateGuard: true, timeouts: TIMEOUTS, readerMissing: false }, ...input },
    });
    const prompts: Prompt[] = [];
    const decided: TxnRecord[] = [];
    actor.on('prompt', (e) => prompts.push(e.prompt));
    actor.on('decided', (e) => decided.push(e.record));
    actor.start();
    const done = new Promise<TxnRecord>((resolve) => actor.subscribe({ complete: () => resolve(actor.getSnapshot().output!) }));
    return { actor, prompts, decided, done, kinds: () => prompts.map((p) => p.kind) };
  };
  return { clock, calls, start, swipe: (e: CardCaptureEvent) => swipe!(e), tick: () => clock.advance(0) };
}

describe('transaction machine', () => {
  it('card sale: card, PIN, authorise with the card data, print, finish; decided announced once before printing', async () => {
    const r = rig({ pin: async () => PIN });
    const t = r.start();
    await r.tick();
    expect(t.kinds()).toEqual(['present-card']);
    r.swipe({ type: 'CARD', card: CARD, check: { ok: true, fallback: false } });
    const out = await t.done;
    expect(r.calls.authorise).toHaveLength(1);
    expect(r.calls.authorise[0]).toMatchObject({ entry: { kind: 'swipe', pin: true, fallback: false }, secrets: { track2: CARD.track2, pinBlock: PIN.pinBlock, ksn: PIN.ksn } });
    expect(r.calls.authorise[0].rec.maskedPan).toBe('476173******0010');
    expect(t.kinds()).toEqual(['present-card', 'enter-pin', 'authorising', 'printing', 'finished']);
    expect(t.decided.map((d) => d.state)).toEqual(['approved']);
    expect(r.calls.printed).toBe(1);
    expect(out.state).toBe('completed');
  });

  it('stored card data (void, refund, completion): no prompt for a person, straight to the host', async () => {
    const r = rig();
    const t = r.start({ rec: record({ type: 'refund' }), capture: 'stored', card: undefined });
    await t.done;
    expect(r.calls.authorise[0].entry).toEqual({ kind: 'stored' });
    expect(t.kinds()).toEqual(['authorising', 'printing', 'finished']);
  });

  it('no card within the card timeout: cancelled with reason timeout, nothing sent', async () => {
    const r = rig();
    const t = r.start();
    await r.clock.advance(59_999);
    expect(t.actor.getSnapshot().status).toBe('active');
    await r.clock.advance(1);
    const out = await t.done;
    expect(r.calls.authorise).toEqual([]);
    expect(r.calls.finish[0].cancel).toMatchObject({ reason: 'timeout', step: 'present-card' });
    expect(out).toMatchObject({ state: 'cancelled', reason: 'timeout' });
    expect(t.decided.map((d) => d.state)).toEqual(['cancelled']);
  });

  it('no PIN within the PIN timeout: cancelled, and the PIN pad request is aborted', async () => {
    const r = rig();
    const t = r.start();
    await r.tick();
    r.swipe({ type: 'CARD', card: CARD, check: { ok: true, fallback: false } });
    await r.tick();
    expect(t.kinds().at(-1)).toBe('enter-pin');
    await r.clock.advance(30_000);
    expect(await t.done).toMatchObject({ state: 'cancelled', reason: 'timeout' });
    expect(r.calls.pinSignals[0].aborted).toBe(true);
    expect(r.calls.authorise).toEqual([]);
  });

  it('possible duplicate: waits for the operator; CONFIRM goes on to the PIN, silence times out', async () => {
    const r = rig({ duplicate: true, pin: async () => ({ kind: 'bypass' }) });
    const a = r.start();
    await r.tick();
    r.swipe({ type: 'CARD', card: CARD, check: { ok: true, fallback: false } });
    await r.tick();
    expect(a.kinds().at(-1)).toBe('confirm-duplicate');
    a.actor.send({ type: 'CONFIRM' });
    expect(await a.done).toMatchObject({ state: 'completed' });
    expect(r.calls.authorise[0].entry).toEqual({ kind: 'swipe', pin: false, fallback: false });

    const r2 = rig({ duplicate: true });
    const b = r2.start();
    await r2.tick();
    r2.swipe({ type: 'CARD', card: CARD, check: { ok: true, fallback: false } });
    await r2.clock.advance(30_000);
    expect(await b.done).toMatchObject({ state: 'cancelled', reason: 'timeout' });
    expect(r2.calls.authorise).toEqual([]);
  });

  it('one CANCEL anywhere in capture; none once the request may leave', async () => {
    const r = rig();
    const t = r.start();
    await r.tick();
    r.swipe({ type: 'CARD', card: CARD, check: { ok: true, fallback: false } });
    await r.tick();
    t.actor.send({ type: 'CANCEL', by: 'ecr' });
    await t.done;
    expect(r.calls.finish[0].cancel).toEqual({ reason: 'ecr', step: 'enter-pin' });

    let release!: (rec: TxnRecord) => void;
    const r2 = rig({ pin: async () => PIN, authorise: (i) => new Promise((res) => (release = () => res({ ...i.rec, state: 'approved', wasApproved: true }))) });
    const t2 = r2.start();
    await r2.tick();
    r2.swipe({ type: 'CARD', card: CARD, check: { ok: true, fallback: false } });
    await r2.tick();
    expect(t2.actor.getSnapshot().value).toBe('authorising');
    expect(t2.actor.getSnapshot().can({ type: 'CANCEL', by: 'operator' })).toBe(false);
    t2.actor.send({ type: 'CANCEL', by: 'operator' });
    release(record());
    expect(await t2.done).toMatchObject({ state: 'completed' });
  });

  it('a refused card asks again with the reason; a bad read too; the card timer restarts', async () => {
    const r = rig({ pin: async () => PIN });
    const t = r.start();
    await r.tick();
    r.swipe({ type: 'CARD', card: CARD, check: { ok: false, reason: 'expired' } });
    r.swipe({ type: 'BAD_READ', retry: 'bad-read' });
    await r.tick();
    const cardPrompts = t.prompts.filter((p): p is Extract<Prompt, { kind: 'present-card' }> => p.kind === 'present-card');
    expect(cardPrompts.map((p) => p.retry)).toEqual([undefined, 'expired', 'bad-read']);
    await r.clock.advance(59_000);
    r.swipe({ type: 'CARD', card: CARD, check: { ok: true, fallback: true } });
    await t.done;
    expect(r.calls.authorise[0].entry).toEqual({ kind: 'swipe', pin: true, fallback: true });
  });

  it('bypass where a PIN is required asks again; the pad cancelling cancels the transaction', async () => {
    const answers: PinResult[] = [{ kind: 'bypass' }, { kind: 'cancelled' }];
    const r = rig({ pin: async () => answers.shift()! });
    const t = r.start({ rec: record({ type: 'balance', amount: 0 }), card: { pinRequired: true, duplicateGuard: false, timeouts: TIMEOUTS, readerMissing: false } });
    await r.tick();
    r.swipe({ type: 'CARD', card: CARD, check: { ok: true, fallback: false } });
    expect(await t.done).toMatchObject({ state: 'cancelled', reason: 'pin-cancelled' });
    const pins = t.prompts.filter((p): p is Extract<Prompt, { kind: 'enter-pin' }> => p.kind === 'enter-pin');
    expect(pins.map((p) => [p.bypassAllowed, p.retry])).toEqual([[false, undefined], [false, 'pin-required']]);
  });

  it('a card swiped before the start is checked like any other and skips the card prompt', async () => {
    const r = rig({ pin: async () => PIN });
    const t = r.start({ card: { preswiped: { card: CARD, check: { ok: true, fallback: false } }, pinRequired: false, duplicateGuard: false, timeouts: TIMEOUTS, readerMissing: false } });
    await t.done;
    expect(t.kinds()[0]).toBe('enter-pin');
    const u = r.start({ card: { preswiped: { card: CARD, check: { ok: false, reason: 'use-chip' } }, pinRequired: false, duplicateGuard: false, timeouts: TIMEOUTS, readerMissing: false } });
    await r.tick();
    expect(u.prompts[0]).toMatchObject({ kind: 'present-card', retry: 'use-chip' });
    u.actor.stop();
  });

  it('an authoriser that throws leaves the record as journaled: finish, no decided announcement from the machine', async () => {
    const r = rig({ pin: async () => PIN, authorise: async () => Promise.reject(new Error('journal write failed')) });
    const t = r.start();
    await r.tick();
    r.swipe({ type: 'CARD', card: CARD, check: { ok: true, fallback: false } });
    await t.done;
    expect(t.decided).toEqual([]);
    expect(r.calls.finish).toHaveLength(1);
    expect(r.calls.printed).toBe(0);
  });
});
