// The UI machine driven alone: keys, swipes and prompts in, fake start/act actors, simulated time for every timer.
import { createActor, fromPromise } from 'xstate';
import { FakeClock } from '../common/clock';
import type { Key } from '../common/keys';
import type { SwipedCard } from '../hal/magstripe/magstripe';
import type { TxnRecord } from '../journal/types';
import type { Prompt } from '../flows/prompts';
import type { Found, KeypadStart, UiAction, UiOutcome } from './ports';
import { operatorActivity, stateName, uiMachine, type UiInput } from './ui.machine';

const CARD: SwipedCard = { pan: '4761739001010010', expiry: '3012', serviceCode: '101', track2: '4761739001010010=3012101' };
const txn = { type: 'sale' as const, amount: 1900, currency: 'CNY', reference: 'T-1' };
const finished = (state: TxnRecord['state']): Prompt => ({ kind: 'finished', txn, record: { state } as TxnRecord });
const SALE_123: Found = { type: 'sale', amount: 1234, currency: 'CNY', stan: '000123', batch: '000001', maskedPan: '476173******0010', rrn: '000000000042', remaining: 1234, status: 'approved', operator: '01' };

type Answer = (a: UiAction) => UiOutcome;
const defaultAnswer: Answer = (a) => {
  if (a.kind === 'authorise') return a.password === '123456' ? { ok: true } : { ok: false, notice: { kind: 'wrong-password', attemptsLeft: 2 } };
  if (a.kind === 'login') return a.password === '4711' ? { ok: true, session: { id: a.id, role: a.id === '00' ? 'supervisor' : 'cashier' }, notice: { kind: 'logged-in', id: a.id } } : { ok: false, notice: { kind: 'wrong-password', attemptsLeft: 2 } };
  if (a.kind === 'find-original') return a.stan === '000123' ? { ok: true, found: SALE_123 } : { ok: false, notice: { kind: 'not-found' } };
  if (a.kind === 'logout') return { ok: true, session: null, notice: { kind: 'logged-out', id: '01' } };
  return { ok: true };
};

function rig(opts: { refuse?: string; faults?: boolean; input?: Partial<UiInput>; answer?: Answer } = {}) {
  const clock = new FakeClock();
  const started: KeypadStart[] = [];
  const acts: UiAction[] = [];
  const forwarded: string[] = [];
  let sessionsEnded = 0;
  const machine = uiMachine.provide({
    actors: {
      startTxn: fromPromise<void, KeypadStart>(async ({ input }) => {
        started.push(input);
        if (opts.refuse) throw Object.assign(new Error(opts.refuse), { code: 'busy' });
      }),
      act: fromPromise<UiOutcome, UiAction>(async ({ input }) => (acts.push(input), (opts.answer ?? defaultAnswer)(input))),
    },
    actions: { forwardToTxn: (_, p: { key: 'CANCEL' | 'OK' }) => void forwarded.push(p.key), endSession: () => void sessionsEnded++ },
  });
  const input: UiInput = {
    faults: opts.faults ?? false,
    promptMs: 60_000,
    messageMs: 3_000,
    loginRequired: false,
    autoLogoutMs: 0,
    maxAmount: 99_999_999,
    supervisorFor: ['void', 'refund', 'preauth-cancel', 'completion-void', 'settlement', 'settings'],
    accepts: ['sale', 'preauth', 'completion', 'void', 'refund', 'balance'],
    lang: 'en',
    ...opts.input,
  };
  const ui = createActor(machine, { clock, input });
  ui.start();
  const keys = async (...ks: Key[]) => {
    for (const key of ks) {
      ui.send({ type: 'KEY', key });
      await clock.advance(0);
    }
  };
  const state = () => stateName(ui.getSnapshot().value);
  return { clock, ui, started, acts, forwarded, keys, state, ctx: () => ui.getSnapshot().context, ended: () => sessionsEnded };
}

describe('UI machine', () => {
  it('F1, digits, CLEAR, OK: starts a keypad sale with the amount typed', async () => {
    const r = rig();
    await r.keys('F1', '1', '9', '5', 'CLEAR', '0', '0');
    expect(r.state()).toBe('task.asking');
    expect(r.ctx().entry).toBe('1900');
    expect(operatorActivity(r.state(), r.ctx())).toBe('entering an amount');
    await r.keys('OK');
    expect(r.started).toEqual([{ type: 'sale', amount: 1900, card: undefined, operator: undefined }]);
  });

  it('a card swiped at idle opens amount entry for a sale with that card', async () => {
    const r = rig();
    r.ui.send({ type: 'SWIPE', card: CARD });
    await r.keys('5', '0', 'OK');
    expect(r.started).toEqual([{ type: 'sale', amount: 50, card: CARD, operator: undefined }]);
  });

  it('amount entry stops at the maximum amount; OK on zero is not accepted', async () => {
    const r = rig({ input: { maxAmount: 10_000 } });
    await r.keys('F1', 'OK');
    expect(r.state()).toBe('task.asking');
    await r.keys('1', '0', '0', '0', '0', '0');
    expect(r.ctx().entry).toBe('10000');
  });

  it('prompts take the screen; CANCEL and OK go to the transaction; the outcome stays, then idle', async () => {
    const r = rig();
    r.ui.send({ type: 'PROMPT', prompt: { kind: 'present-card', txn } });
    expect(r.state()).toBe('running');
    await r.keys('CANCEL', 'OK', '5');
    expect(r.forwarded).toEqual(['CANCEL', 'OK']);
    r.ui.send({ type: 'PROMPT', prompt: finished('cancelled') });
    expect(r.state()).toBe('finished');
    await r.clock.advance(3_000);
    expect(r.state()).toBe('idle');
  });

  it('a key on the outcome screen goes back to idle and acts there (F1 opens amount entry at once)', async () => {
    const r = rig();
    r.ui.send({ type: 'PROMPT', prompt: finished('completed') });
    await r.keys('F1');
    expect(r.state()).toBe('task.asking');
  });

  it('an ECR prompt arriving during amount entry or in a menu does not take the screen', async () => {
    const r = rig();
    await r.keys('F1', '7');
    r.ui.send({ type: 'PROMPT', prompt: { kind: 'present-card', txn } });
    expect(r.state()).toBe('task.asking');
    expect(r.ctx().entry).toBe('7');
    await r.keys('CANCEL', 'MENU');
    r.ui.send({ type: 'PROMPT', prompt: { kind: 'present-card', txn } });
    expect(r.state()).toBe('menu');
  });

  it('every input, menu and confirmation times out to idle after the prompt timeout; each key restarts it; nothing starts', async () => {
    const r = rig();
    await r.keys('F1');
    await r.clock.advance(59_000);
    await r.keys('1');
    await r.clock.advance(59_000);
    expect(r.state()).toBe('task.asking');
    await r.clock.advance(1_000);
    expect(r.state()).toBe('idle');
    for (const walk of [['MENU'], ['MENU', '5'], ['MENU', '5', '1', '2', '3', '4', '5', '6', 'OK', '1', '2', '3', 'OK']] as Key[][]) {
      await r.keys(...walk);
      expect(r.state()).not.toBe('idle');
      await r.clock.advance(60_000);
      expect(r.state()).toBe('idle');
    }
    expect(r.started).toEqual([]);
  });

  it('menu: arrows wrap, digits pick, `1` waits for a second digit (1 OK = sale, 1 2 = operator menu), CANCEL goes up', async () => {
    const r = rig();
    await r.keys('MENU', 'UP');
    expect(r.ctx().cursor).toBe(12);
    await r.keys('DOWN', 'DOWN', 'DOWN', 'DOWN', 'OK');
    expect(r.ctx().menu).toBe('preauth');
    await r.keys('CANCEL');
    expect([r.state(), r.ctx().menu]).toEqual(['menu', 'main']);
    await r.keys('1');
    expect(r.ctx().pending).toBe('1');
    await r.keys('2');
    expect(r.ctx().menu).toBe('operator');
    await r.keys('CANCEL', '1', 'OK');
    expect([r.state(), r.ctx().proc]).toEqual(['task.asking', 'sale']);
    await r.keys('CANCEL', 'MENU', '7');
    expect(r.started).toEqual([{ type: 'balance', card: undefined, operator: undefined }]);
    const s = rig();
    await s.keys('MENU', 'CANCEL');
    expect(s.state()).toBe('idle');
  });

  it('void: supervisor password (masked), trace number, look-up, "VOID CNY 12.34 TRACE 000123?", OK starts it', async () => {
    const r = rig();
    await r.keys('MENU', '5', '1', '2', '3', '4', '5', '6');
    expect(r.ctx().entry).toBe('123456');
    await r.keys('OK');
    expect(r.acts[0]).toEqual({ kind: 'authorise', action: 'void', password: '123456' });
    await r.keys('1', '2', '3', 'OK');
    expect(r.acts[1]).toEqual({ kind: 'find-original', purpose: 'void', stan: '000123' });
    expect(r.state()).toBe('task.confirming');
    expect(r.started).toEqual([]);
    await r.keys('OK');
    expect(r.started).toEqual([{ type: 'void', original: { stan: '000123' }, operator: undefined }]);
  });

  it('a wrong supervisor password refuses with a notice: nothing looked up, nothing started', async () => {
    const r = rig();
    await r.keys('MENU', '6', '9', '9', '9', '9', 'OK');
    expect(r.state()).toBe('notice');
    expect(r.ctx().notice).toEqual({ kind: 'wrong-password', attemptsLeft: 2 });
    await r.clock.advance(3_000);
    expect(r.state()).toBe('idle');
    expect(r.acts.map((a) => a.kind)).toEqual(['authorise']);
    expect(r.started).toEqual([]);
  });

  it('refund: original by trace, amount defaults to what is left (editable), confirmation, start', async () => {
    const r = rig();
    await r.keys('MENU', '6', '1', '2', '3', '4', '5', '6', 'OK', '1', '2', '3', 'OK');
    expect(r.ctx().entry).toBe('1234');
    await r.keys('CLEAR', 'CLEAR', 'OK', 'OK');
    expect(r.started).toEqual([{ type: 'refund', original: { stan: '000123' }, amount: 12, operator: undefined }]);
  });

  it('the supervisor logged in needs no password; a cashier logged in is recorded on every start', async () => {
    const r = rig();
    await r.keys('MENU', '1', '2', '1', '0', '0', 'OK', '4', '7', '1', '1', 'OK');
    expect(r.ctx().operator).toEqual({ id: '00', role: 'supervisor' });
    await r.keys('OK', 'MENU', '5', '1', '2', '3', 'OK', 'OK');
    expect(r.acts.map((a) => a.kind)).toEqual(['login', 'find-original']);
    expect(r.started).toEqual([{ type: 'void', original: { stan: '000123' }, operator: '00' }]);
  });

  it('login required: selling keys lead to the login first; after it sales carry the cashier', async () => {
    const r = rig({ input: { loginRequired: true } });
    r.ui.send({ type: 'SWIPE', card: CARD });
    expect(r.ctx().proc).toBe('login');
    await r.keys('0', '1', 'OK', '4', '7', '1', '1', 'OK');
    expect(r.ctx().notice).toEqual({ kind: 'logged-in', id: '01' });
    await r.keys('F1', '5', 'OK');
    expect(r.started).toEqual([{ type: 'sale', amount: 5, card: undefined, operator: '01' }]);
  });

  it('a factory password at login chains to setting a new one before anything else', async () => {
    const r = rig({
      answer: (a) =>
        a.kind === 'login' ? { ok: true, then: 'first-password', notice: { kind: 'must-change' } } : a.kind === 'change-password' ? { ok: true, session: { id: a.id, role: 'cashier' }, notice: { kind: 'password-changed' } } : { ok: true },
    });
    await r.keys('MENU', '1', '2', '1', '0', '1', 'OK', '0', '0', '0', '0', 'OK');
    expect(r.ctx().proc).toBe('first-password');
    await r.keys('4', '7', '1', '1', 'OK', '4', '7', '1', '1', 'OK');
    expect(r.acts.at(-1)).toEqual({ kind: 'change-password', id: '01', current: '0000', next: '4711', repeat: '4711', login: true });
    expect(r.ctx().operator).toEqual({ id: '01', role: 'cashier' });
  });

  it('auto-logout after the configured idle time; activity in between restarts it', async () => {
    const r = rig({ input: { autoLogoutMs: 600_000 } });
    await r.keys('MENU', '1', '2', '1', '0', '1', 'OK', '4', '7', '1', '1', 'OK', 'OK');
    await r.clock.advance(599_000);
    await r.keys('MENU', 'CANCEL');
    await r.clock.advance(599_000);
    expect(r.ctx().operator).toBeDefined();
    await r.clock.advance(1_000);
    expect(r.ctx().operator).toBeUndefined();
    expect(r.ctx().notice).toEqual({ kind: 'logged-out', id: '01', auto: true });
    expect(r.ended()).toBe(1);
  });

  it('QR sale while the controller does not take it: "not available" before anything is typed', async () => {
    const r = rig();
    await r.keys('F2');
    expect([r.state(), r.ctx().notice]).toEqual(['notice', { kind: 'not-available' }]);
    await r.keys('OK', 'MENU', '3');
    expect(r.ctx().notice).toEqual({ kind: 'not-available' });
    const qr = rig({ input: { accepts: ['sale', 'qr-sale'] } });
    await qr.keys('F2', '8', '8', 'OK');
    expect(qr.started).toEqual([{ type: 'qr-sale', amount: 88, card: undefined, operator: undefined }]);
  });

  it('settlement: authority, the batch totals confirmed, then settled', async () => {
    const batch = { batch: '000001', currency: 'CNY', debitCount: 1, debitAmount: 100, creditCount: 0, creditAmount: 0, operators: [] };
    const r = rig({ answer: (a) => (a.kind === 'batch' ? { ok: true, batch } : defaultAnswer(a)) });
    await r.keys('MENU', '1', '0', '1', '2', '3', '4', '5', '6', 'OK');
    expect(r.state()).toBe('task.confirming');
    await r.keys('OK');
    expect(r.acts.map((a) => a.kind)).toEqual(['authorise', 'batch', 'settle']);
  });

  it('a refused start shows why, then idle', async () => {
    const r = rig({ refuse: 'terminal is busy with transaction X' });
    await r.keys('F1', '1', 'OK');
    expect(r.state()).toBe('refused');
    expect([r.ctx().message, r.ctx().code]).toEqual(['terminal is busy with transaction X', 'busy']);
    await r.clock.advance(3_000);
    expect(r.state()).toBe('idle');
  });

  it('reprint last (F4), printer paused and resumed while a transaction prints', async () => {
    const r = rig();
    await r.keys('F4');
    expect(r.acts).toEqual([{ kind: 'reprint' }]);
    expect(r.state()).toBe('idle');
    r.ui.send({ type: 'PROMPT', prompt: { kind: 'printing', txn, record: { state: 'approved' } as TxnRecord } });
    r.ui.send({ type: 'PRINTER_PAUSED', why: 'paper-out' });
    expect(r.state()).toBe('paused');
    r.ui.send({ type: 'PRINTER_RESUMED' });
    expect([r.state(), r.ctx().resumed]).toEqual(['running', true]);
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
