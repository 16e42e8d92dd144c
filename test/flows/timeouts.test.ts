// Nobody waits forever: a sale with no card, or no PIN, is cancelled after the board's timeout (simulated time) and the terminal is idle.
import { FakeClock } from '../../firmware/common/clock';
import { Harness, waitFor } from './harness';

describe('person timeouts (simulated clock)', () => {
  let h: Harness;
  let clock: FakeClock;
  beforeEach(async () => {
    clock = new FakeClock(Date.now());
    h = await Harness.start({ clock, policy: { timeouts: { cardSec: 45, pinSec: 20 } } });
  });
  afterEach(async () => h.stop());

  test('no card presented: cancelled with reason timeout after cardSec, nothing sent, the terminal back to idle', async () => {
    const answer = h.startTxn({ reference: 'TO-CARD', type: 'sale', amount: 1500 });
    await h.waitLcd(/^SWIPE CARD$/);
    await clock.advance(44_000);
    expect((await h.txn('TO-CARD')).body.status).toBe('in-progress');
    await clock.advance(1_000);
    const r = await answer;
    expect(r.body).toMatchObject({ reference: 'TO-CARD', status: 'cancelled', reason: 'timeout', reversal: null });
    expect(await h.lcd()).toEqual(['CANCELLED', 'TIMED OUT', '', '']);
    await waitFor('controller idle', () => !h.terminal.controller.busy);
    await clock.advance(3_000);
    expect((await h.lcd())[3]).toBe('SWIPE CARD OR MENU');
    expect(h.hostRequests).toEqual([]);
    expect(await h.ledger()).toEqual([]);
    expect(await h.terminal.money.journal.byReference('TO-CARD')).toMatchObject({ state: 'cancelled', reason: 'timeout' });
    // The next sale starts at once.
    const next = h.startTxn({ reference: 'TO-NEXT', type: 'sale', amount: 1600 });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.cancel('TO-NEXT');
    expect((await next).body.status).toBe('cancelled');
  });

  test('card swiped, no PIN: cancelled after pinSec, the PIN pad stops asking', async () => {
    const answer = h.startTxn({ reference: 'TO-PIN', type: 'sale', amount: 1700 });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe();
    await h.waitLcd(/^ENTER PIN ON PAD$/);
    await clock.advance(20_000);
    expect((await answer).body).toMatchObject({ status: 'cancelled', reason: 'timeout', maskedPan: '476173******0010' });
    expect(h.terminal.controls.pinScreen!().prompting).toBe(false);
    expect(h.hostRequests).toEqual([]);
  });

  test('a keypad amount left half-typed goes back to idle after promptSec (60 s default)', async () => {
    await h.keys('F1', '5');
    await h.waitLcd(/^ENTER AMOUNT$/);
    await clock.advance(60_000);
    await h.waitLcd(/^SWIPE CARD OR MENU$/);
    expect(await h.terminal.money.journal.list()).toEqual([]);
  });
});
