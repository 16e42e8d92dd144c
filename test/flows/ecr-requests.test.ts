// ECR request handling: idempotent references, busy terminal, cancel, and reprint (printing only, never the host).
import { Harness, waitFor } from './harness';

describe('ECR requests', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(async () => {
    await h.stop();
  });

  test('same reference + same body: in progress, then the same transaction; never a second charge', async () => {
    const body = { reference: 'IDEM-1', type: 'sale', amount: 1500 };
    const first = h.startTxn(body);
    await h.waitLcd(/^SWIPE CARD$/);

    const peek = await h.startTxn({ ...body, wait: 0 });
    expect(peek.status).toBe(202);
    expect(peek.body).toMatchObject({ reference: 'IDEM-1', status: 'in-progress', rrn: null });
    const waiting = h.startTxn({ amount: 1500, type: 'sale', reference: 'IDEM-1' }); // same content, other key order

    const busy = await h.startTxn({ reference: 'IDEM-2', type: 'sale', amount: 1600 });
    expect(busy.status).toBe(409);
    expect(busy.body).toEqual({ error: 'busy', message: 'terminal is busy with transaction IDEM-1', doing: { kind: 'transaction', reference: 'IDEM-1', state: 'awaiting-card' } });
    const conflict = await h.startTxn({ ...body, amount: 1501 });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toEqual({ error: 'reference-conflict', message: 'reference "IDEM-1" was already used for a different request (sale of 1500 CNY)' });

    await h.swipe();
    await h.pin();
    const r1 = await first;
    const r2 = await waiting;
    expect(r1.status).toBe(200);
    expect(r1.body.status).toBe('approved');
    expect(r2).toEqual(r1);
    await h.waitIdle();

    const after = await h.startTxn(body);
    expect(after).toEqual(r1);
    const afterConflict = await h.startTxn({ reference: 'IDEM-1', type: 'preauth', amount: 1500 });
    expect(afterConflict.status).toBe(409);
    expect(afterConflict.body.error).toBe('reference-conflict');
    expect(await h.ledger('IDEM-1')).toHaveLength(1);
    expect(await h.ledger()).toHaveLength(1);
    expect(await h.receipts()).toHaveLength(2);
    expect(await h.terminal.money.journal.list()).toHaveLength(1);
  });

  test('wait 0 on a new transaction answers 202 in progress; GET then shows the outcome', async () => {
    const r = await h.startTxn({ reference: 'W-0', type: 'sale', amount: 1700, wait: 0 });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ reference: 'W-0', status: 'in-progress', stan: expect.stringMatching(/^\d{6}$/) });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe();
    await h.pin();
    const done = await waitFor('W-0 decided', async () => {
      const v = await h.txn('W-0');
      return v.body.status !== 'in-progress' ? v : undefined;
    });
    expect(done.body).toMatchObject({ status: 'approved', responseCode: '00' });
    expect(await h.ledger('W-0')).toHaveLength(1);
  });

  test('an ECR request while the cashier types an amount is refused busy; the typing is kept and both sales go through', async () => {
    await h.keys('F1');
    await h.waitLcd(/^ENTER AMOUNT$/);
    await h.keys('1', '9');
    const refused = await h.startTxn({ reference: 'KP-1', type: 'sale', amount: 1800 });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'busy' });
    expect(refused.body.message).toMatch(/entering an amount/);
    expect(await h.terminal.money.journal.byReference('KP-1')).toBeUndefined();
    expect(await h.lcd()).toEqual(['SALE', 'ENTER AMOUNT', '            CNY 0.19', 'OK=CONFIRM']);
    await h.keys('0', '0', 'OK');
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe();
    await h.pin();
    await h.waitIdle();
    const keypadRec = (await h.terminal.money.journal.list())[0];
    expect(keypadRec).toMatchObject({ origin: 'keypad', amount: 1900, state: 'completed', reference: `TSIM00001-000001-${keypadRec.stan}` });
    // Right after the keypad sale (its outcome still on the screen) the ECR's sale starts without a busy answer.
    expect((await h.cardTxn({ reference: 'KP-1', type: 'sale', amount: 1800 })).body.status).toBe('approved');
    expect((await h.ledger()).map((e) => [e.reference, e.amount, e.status])).toEqual([
      [keypadRec.reference, 1900, 'approved'],
      ['KP-1', 1800, 'approved'],
    ]);
  });

  test('cancel before the card, cancel at PIN entry, cancel after approval', async () => {
    const a = h.startTxn({ reference: 'CAN-1', type: 'sale', amount: 900 });
    await h.waitLcd(/^SWIPE CARD$/);
    const c = await h.cancel('CAN-1');
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ reference: 'CAN-1', status: 'cancelled', reason: 'cancelled before the card was read' });
    expect((await a).body).toMatchObject({ status: 'cancelled' });
    expect(await h.lcd()).toEqual(['CANCELLED', '', '', '']);
    expect((await h.cancel('CAN-1')).body.status).toBe('cancelled');
    await h.waitIdle();

    const b = h.startTxn({ reference: 'CAN-2', type: 'sale', amount: 901 });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe();
    await h.waitLcd(/^ENTER PIN ON PAD$/);
    expect((await h.cancel('CAN-2')).body).toMatchObject({ status: 'cancelled', reason: 'cancelled at PIN entry', maskedPan: '476173******0010' });
    expect((await b).body.status).toBe('cancelled');
    await h.waitIdle();
    expect(h.terminal.controls.pinScreen!().prompting).toBe(false);

    const p = h.startTxn({ reference: 'CAN-P', type: 'sale', amount: 903 });
    await h.waitLcd(/^SWIPE CARD$/);
    await h.swipe();
    expect((await h.call('POST', '/sim/pin', { cancel: true })).status).toBe(200);
    expect((await p).body).toMatchObject({ status: 'cancelled', reason: 'PIN entry cancelled' });
    await h.waitIdle();
    expect(h.hostRequests).toEqual([]);
    expect(await h.ledger()).toEqual([]);

    await h.cardTxn({ reference: 'CAN-3', type: 'sale', amount: 902 });
    const late = await h.cancel('CAN-3');
    expect(late.status).toBe(409);
    expect(late.body).toEqual({ error: 'not-cancellable', message: 'transaction "CAN-3" is already approved' });
    expect((await h.cancel('NOPE')).status).toBe(404);
    expect((await h.ledger()).map((e) => [e.reference, e.status])).toEqual([['CAN-3', 'approved']]);
    expect(await h.receipts()).toHaveLength(2);
  });

  test('cancel of a void already under way is too late; the void completes', async () => {
    await h.cardTxn({ reference: 'CV-S', type: 'sale', amount: 950 });
    const run = await h.terminal.controller.start({ type: 'void', reference: 'CV-V', origin: 'ecr', original: { reference: 'CV-S' } });
    expect(await h.terminal.controller.cancel('CV-V')).toBe('too-late');
    expect((await run.finished).state).toBe('completed');
    await h.waitIdle();
    expect((await h.txn('CV-V')).body.status).toBe('approved');
    expect((await h.cancel('CV-V')).status).toBe(409);
    expect((await h.ledger()).map((e) => [e.reference, e.status])).toEqual([
      ['CV-S', 'voided'],
      ['CV-V', 'approved'],
    ]);
  });

  test('reprint last and by trace: DUPLICATE copies, no host traffic; nothing to reprint → 404', async () => {
    const none = await h.call('POST', '/v1/reprint', {});
    expect(none.status).toBe(404);
    expect(none.body).toEqual({ error: 'not-found', message: 'nothing to reprint yet' });
    expect((await h.call('POST', '/v1/reprint', { stan: '1' })).status).toBe(404);

    const s1 = await h.cardTxn({ reference: 'RP-1', type: 'sale', amount: 1001 });
    const s2 = await h.cardTxn({ reference: 'RP-2', type: 'sale', amount: 1002 });
    await h.cardTxn({ reference: 'RP-D', type: 'sale', amount: 1051 }); // declined: no slip
    const ledger = await h.ledger();
    const sent = [...h.hostRequests];
    expect(sent).toEqual(['0200 RP-1', '0200 RP-2', '0200 RP-D']);
    expect(await h.receipts()).toHaveLength(4);

    const last = await h.call('POST', '/v1/reprint', {});
    expect(last.status).toBe(200);
    expect(last.body).toMatchObject({ reference: 'RP-2', stan: s2.body.stan, copies: 1 });
    expect(last.body.text).toContain('*** DUPLICATE ***');
    const byStan = await h.call('POST', '/v1/reprint', { stan: String(Number(s1.body.stan)) });
    expect(byStan.body).toMatchObject({ reference: 'RP-1', stan: s1.body.stan, copies: 1 });
    expect((await h.call('POST', '/v1/reprint', { reference: 'RP-1' })).body.copies).toBe(2);

    const slips = await h.receipts();
    expect(slips).toHaveLength(7);
    for (const s of slips.slice(4)) {
      expect(s.text).toContain('*** DUPLICATE ***');
      expect(s.text).toContain('MERCHANT COPY');
    }
    expect(slips[4].text).toContain(s2.body.rrn);
    expect(slips[5].text).toContain(s1.body.rrn);
    for (const s of slips.slice(0, 4)) expect(s.text).not.toContain('DUPLICATE');
    expect(await h.terminal.money.journal.byReference('RP-1')).toMatchObject({ receipt: { merchant: 'printed', customer: 'printed', reprints: 2 } });

    const declined = await h.call('POST', '/v1/reprint', { reference: 'RP-D' });
    expect(declined.status).toBe(409);
    expect((await h.call('POST', '/v1/reprint', { stan: '999' })).status).toBe(404);
    expect((await h.call('POST', '/v1/reprint', { stan: 'abc' })).status).toBe(400);

    expect(await h.ledger()).toEqual(ledger);
    expect(h.hostRequests).toEqual(sent);
    await waitFor('no SAF work', async () => (await h.health()).body.safPending === 0);
  });
});
