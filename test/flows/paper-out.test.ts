// Paper running out mid-receipt: the ECR still gets its approval, printing pauses, the cut-off slip is reprinted as a copy.
import { Harness, waitFor } from './harness';

describe('paper out mid-receipt', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(async () => {
    await h.stop();
  });

  test('approved answer first; PAPER OUT pauses; new paper prints the cut-off slip as DUPLICATE and the other slip', async () => {
    expect((await h.call('POST', '/sim/printer', { paper: 'ok', lines: 5 })).body).toMatchObject({ state: 'online', paperNearEnd: true });
    const answer = h.startTxn({ reference: 'PAPER-1', type: 'sale', amount: 7100 });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe();
    await h.pin();
    const r = await answer;
    expect(r.body).toMatchObject({ status: 'approved', responseCode: '00' });

    expect(await h.waitLcd(/^PAPER OUT$/)).toEqual(['PAPER OUT', 'FIX THE PRINTER', 'PRINTING PAUSED', '']);
    await waitFor('merchant slip cut off', async () => (await h.terminal.money.journal.byReference('PAPER-1'))?.receipt.merchant === 'cut-off');
    expect(h.terminal.controller.busy).toBe(true);
    const cut = await h.receipts();
    expect(cut).toHaveLength(1);
    expect(cut[0].complete).toBe(false);
    expect(cut[0].text.split('\n')).toHaveLength(5);
    expect((await h.txn('PAPER-1')).body.status).toBe('approved');
    const busy = await h.startTxn({ reference: 'PAPER-2', type: 'sale', amount: 7200 });
    expect(busy.status).toBe(409);

    await h.call('POST', '/sim/printer', { paper: 'ok' });
    await h.waitIdle(5000);
    const slips = await h.receipts();
    expect(slips.map((s) => s.complete)).toEqual([false, true, true]);
    expect(slips[1].text).toContain('MERCHANT COPY');
    expect(slips[1].text).toContain('*** DUPLICATE ***');
    expect(slips[1].text).toContain(r.body.rrn);
    expect(slips[2].text).toContain('CUSTOMER COPY');
    expect(slips[2].text).not.toContain('DUPLICATE');
    expect(await h.terminal.money.journal.byReference('PAPER-1')).toMatchObject({ state: 'completed', receipt: { merchant: 'printed', customer: 'printed', reprints: 0 } });

    const ledger = await h.ledger();
    expect(ledger.map((e) => [e.reference, e.status, e.amount])).toEqual([['PAPER-1', 'approved', 7100]]);
    expect(h.hostRequests).toEqual(['0200 PAPER-1']);
  });
});
