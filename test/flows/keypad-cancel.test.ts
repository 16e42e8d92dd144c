// CANCEL and the prompt timeout at every keypad step (simulated clock): back to idle, nothing half-done in the journal.
import { FakeClock } from '../../firmware/common/clock';
import type { TxnRecord } from '../../firmware/journal/types';
import { Harness, waitFor } from './harness';

/** A record state the terminal leaves alone: nothing waits to be sent, answered or reversed. */
const FINAL = new Set(['completed', 'cancelled', 'failed', 'reversed']);
const digits = (s: string) => [...s];

describe('CANCEL and timeouts at every keypad step (simulated clock)', () => {
  let h: Harness;
  let clock: FakeClock;
  let sale: TxnRecord;
  let preauth: TxnRecord;

  beforeAll(async () => {
    clock = new FakeClock(Date.now());
    h = await Harness.start({ clock, operators: { loginRequired: true } });
    await h.keys('OK', '0', '1', 'OK', ...digits('0000'), 'OK');
    await h.waitLcd(/^LOGGED IN$/);
    await h.keys('OK');
    await h.cardTxn({ reference: 'C-SALE', type: 'sale', amount: 1234 });
    await h.cardTxn({ reference: 'C-HOLD', type: 'preauth', amount: 5000 });
    sale = (await h.terminal.money.journal.byReference('C-SALE'))!;
    preauth = (await h.terminal.money.journal.byReference('C-HOLD'))!;
  });
  afterAll(async () => h.stop());

  /** Every step a cashier can stop at: the keys from idle that reach it, and a line that shows it is there. */
  const steps = (): Array<[string, string[], RegExp]> => {
    const stan = String(Number(sale.stan));
    const hold = String(Number(preauth.stan));
    const pwd = digits('123456');
    return [
      ['sale: amount', ['F1', '1', '2'], /^ENTER AMOUNT$/],
      ['QR sale: amount', ['F2', '3'], /^ENTER AMOUNT$/],
      ['QR present: amount', ['MENU', '3', '4'], /^ENTER AMOUNT$/],
      ['menu', ['MENU'], /^MENU$/],
      ['pre-auth menu', ['MENU', '4'], /^1 PRE-AUTH$/],
      ['pre-auth: amount', ['MENU', '4', '1', '9'], /^ENTER AMOUNT$/],
      ['completion: original', ['MENU', '4', '2', '1'], /^TRACE OR REF NO\.$/],
      ['completion: amount', ['MENU', '4', '2', ...digits(hold), 'OK'], /^COMPLETE AMOUNT$/],
      ['completion: confirmation', ['MENU', '4', '2', ...digits(hold), 'OK', 'OK'], /OK=YES/],
      ['void: supervisor password', ['MENU', '5', '1', '2'], /^SUPERVISOR PWD$/],
      ['void: trace number', ['MENU', '5', ...pwd, 'OK'], /^TRACE NO\.$/],
      ['void: confirmation', ['MENU', '5', ...pwd, 'OK', ...digits(stan), 'OK'], /^VOID CNY 12\.34$/],
      ['refund: original', ['MENU', '6', ...pwd, 'OK', '4'], /^TRACE OR REF NO\.$/],
      ['refund: amount', ['MENU', '6', ...pwd, 'OK', ...digits(stan), 'OK'], /^REFUND AMOUNT$/],
      ['refund: confirmation', ['MENU', '6', ...pwd, 'OK', ...digits(stan), 'OK', 'OK'], /^REFUND CNY 12\.34$/],
      ['reprint: trace number', ['MENU', '8', '2', '1'], /^TRACE NO\.$/],
      ['query: original', ['MENU', '9'], /^TRACE OR REF NO\.$/],
      ['settlement: supervisor password', ['MENU', '1', '0'], /^SUPERVISOR PWD$/],
      ['settlement: confirmation', ['MENU', '1', '0', ...pwd, 'OK'], /^SETTLE BATCH/],
      ['operator menu', ['MENU', '1', '2'], /^OPERATOR$/],
      ['change password: current', ['MENU', '1', '2', '3', '0'], /^CURRENT PASSWORD$/],
      ['change password: new', ['MENU', '1', '2', '3', ...digits('0000'), 'OK'], /^NEW PASSWORD$/],
      ['settings: supervisor password', ['MENU', '1', '3'], /^SUPERVISOR PWD$/],
      ['settings menu', ['MENU', '1', '3', ...pwd, 'OK'], /^SETTINGS$/],
      ['date and time', ['MENU', '1', '3', ...pwd, 'OK', '2', '2', '0'], /^YYYYMMDDHHMM$/],
    ];
  };

  async function expectNothingHalfDone(before: number): Promise<void> {
    const records = await h.terminal.money.journal.list();
    expect(records).toHaveLength(before);
    for (const r of records) expect([r.reference, r.state, FINAL.has(r.state)]).toEqual([r.reference, r.state, true]);
    expect(h.terminal.controller.busy).toBe(false);
  }

  async function reach(keys: string[], shown: RegExp): Promise<void> {
    await h.waitIdle();
    // An outcome still on the screen goes after its few seconds.
    if (!(await h.lcd()).some((l) => /OP 01/.test(l))) await clock.advance(3_000);
    await h.waitLcd(/OP 01/);
    // Keys typed while a password is checked are ignored (PLEASE WAIT): send them in the groups a cashier would.
    let group: string[] = [];
    for (const k of keys) {
      group.push(k);
      if (k === 'OK') {
        await h.keys(...group);
        group = [];
        await waitFor('the next screen', async () => !(await h.lcd()).includes('PLEASE WAIT'));
      }
    }
    if (group.length) await h.keys(...group);
    await h.waitLcd(shown);
  }

  test('CANCEL at every step: idle again, nothing started, nothing half-done', async () => {
    const before = (await h.terminal.money.journal.list()).length;
    for (const [name, keys, shown] of steps()) {
      await reach(keys, shown);
      // In a submenu CANCEL goes up a level; a second CANCEL leaves the main menu.
      await h.keys('CANCEL');
      if (/menu$/.test(name) && name !== 'menu') await h.keys('CANCEL');
      expect([name, (await h.waitLcd(/OP 01/))[1]]).toEqual([name, 'TID SIM00001 OP 01']);
      await expectNothingHalfDone(before);
    }
  });

  test('the prompt timeout at every step: idle again after promptSec, nothing half-done', async () => {
    const before = (await h.terminal.money.journal.list()).length;
    for (const [name, keys, shown] of steps()) {
      await reach(keys, shown);
      await clock.advance(59_000);
      expect([name, await h.waitLcd(shown)]).toEqual([name, expect.any(Array)]);
      await clock.advance(1_000);
      expect([name, (await h.waitLcd(/OP 01/))[1]]).toEqual([name, 'TID SIM00001 OP 01']);
      await expectNothingHalfDone(before);
    }
  });

  test('CANCEL at the card, at the PIN and at the duplicate warning: cancelled and journaled as such', async () => {
    const count = async () => (await h.terminal.money.journal.list()).length;
    let n = await count();
    await h.keys('F1', '7', '7', 'OK');
    await h.waitLcd(/^SWIPE CARD$/);
    await h.keys('CANCEL');
    await h.waitIdle();
    expect((await h.terminal.money.journal.list({ limit: 1 }))[0]).toMatchObject({ state: 'cancelled', amount: 77, operator: '01', origin: 'keypad' });
    expect(await count()).toBe(++n);

    await h.keys('F1', '7', '8', 'OK');
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe();
    await h.waitLcd(/^ENTER PIN ON PAD$/);
    await h.keys('CANCEL');
    await h.waitIdle();
    expect((await h.terminal.money.journal.list({ limit: 1 }))[0]).toMatchObject({ state: 'cancelled', amount: 78, maskedPan: '476173******0010' });

    // The same card and amount as a sale a moment ago: the duplicate warning, then CANCEL.
    await h.cardTxn({ reference: 'C-SALE-2', type: 'sale', amount: 1235 });
    n = await count();
    await h.keys('F1', ...digits('1235'), 'OK');
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe();
    await h.waitLcd(/^POSSIBLE DUPLICATE$/);
    await h.keys('CANCEL');
    await h.waitIdle();
    expect((await h.terminal.money.journal.list({ limit: 1 }))[0]).toMatchObject({ state: 'cancelled', amount: 1235, reason: expect.stringContaining('duplicate') });
    await expectNothingHalfDone(n + 1);
    expect((await h.ledger()).map((e) => e.reference)).toEqual(['C-SALE', 'C-HOLD', 'C-SALE-2']);
  });
});
