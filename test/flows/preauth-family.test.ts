// The pre-auth family: cancel a hold (预授权撤销), void a completion (预授权完成撤销) restoring the hold, holds that expire.
import { FakeClock } from '../../firmware/common/clock';
import { Harness } from './harness';

describe('pre-authorisation family', () => {
  let h: Harness;
  afterEach(async () => h.stop());

  test('cancelling a hold releases it at the host; a completion after that is refused', async () => {
    h = await Harness.start();
    await h.cardTxn({ reference: 'H-1', type: 'preauth', amount: 9000 });
    const c = await h.referencedTxn({ reference: 'H-1-CANCEL', type: 'void', original: { reference: 'H-1' } });
    expect(c.body).toMatchObject({ status: 'approved', type: 'void', amount: 9000 });
    expect(h.hostRequests.at(-1)).toBe('0100 H-1-CANCEL');
    expect((await h.ledger('H-1'))[0]).toMatchObject({ kind: 'preauth', status: 'voided' });
    expect((await h.txn('H-1')).body.status).toBe('voided');
    const late = await h.startTxn({ reference: 'H-1-DONE', type: 'completion', amount: 100, original: { reference: 'H-1' } });
    expect(late.status).toBe(422);
    expect(late.body.message).toBe('the hold of H-1 was cancelled');
  });

  test('voiding a completion gives the hold back; the hold can then be completed in full; a half-completed hold cannot be cancelled', async () => {
    h = await Harness.start();
    await h.cardTxn({ reference: 'H-2', type: 'preauth', amount: 10000 });
    await h.referencedTxn({ reference: 'H-2-C1', type: 'completion', amount: 6000, original: { reference: 'H-2' } });
    const cancel = await h.startTxn({ reference: 'H-2-X', type: 'void', original: { reference: 'H-2' } });
    expect(cancel.status).toBe(422);
    expect(cancel.body.message).toMatch(/completed in part/);
    const v = await h.referencedTxn({ reference: 'H-2-C1-VOID', type: 'void', original: { reference: 'H-2-C1' } });
    expect(v.body).toMatchObject({ status: 'approved' });
    expect(await h.terminal.money.journal.byReference('H-2')).toMatchObject({ completed: 0 });
    expect((await h.ledger('H-2-C1'))[0]).toMatchObject({ kind: 'completion', status: 'voided' });
    expect((await h.ledger('H-2'))[0]).toMatchObject({ completedAmount: 0 });
    const full = await h.referencedTxn({ reference: 'H-2-C2', type: 'completion', amount: 10000, original: { reference: 'H-2' } });
    expect(full.body.status).toBe('approved');
  });

  test('holds expire: the terminal refuses a completion after preauthHoldDays; the host releases the hold after its own', async () => {
    const clock = new FakeClock(Date.now());
    h = await Harness.start({ clock, policy: { preauthHoldDays: 7 } });
    await h.cardTxn({ reference: 'H-3', type: 'preauth', amount: 5000 });
    await clock.advance(8 * 86_400_000);
    const late = await h.startTxn({ reference: 'H-3-DONE', type: 'completion', amount: 5000, original: { reference: 'H-3' } });
    expect(late.status).toBe(422);
    expect(late.body.message).toMatch(/expired 7 days after its approval/);
    // The host's own period (30 days) runs out too: its hold is released and a completion would be declined.
    await h.call('POST', `${h.adminUrl}/clock`, { advanceDays: 31 });
    const bal = await h.cardTxn({ reference: 'H-3-BAL', type: 'balance' });
    expect(bal.body.balance).toBe('1000000.00');
  });
});
