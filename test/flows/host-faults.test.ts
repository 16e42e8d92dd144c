// Host faults from the acquirer simulator: unknown outcomes end failed and reversed by the SAF queue, charged at most once.
import { FAST_HOST, Harness, waitFor } from './harness';

describe('host faults', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start(FAST_HOST);
  });
  afterEach(async () => {
    await h.stop();
  });

  async function expectNoReceiptAndReversedOnce(reference: string) {
    const entries = await h.ledger(reference);
    expect(entries.map((e) => [e.kind, e.status])).toEqual([['sale', 'reversed']]);
    expect(entries[0].reversedAt).not.toBeNull();
    expect(await h.receipts()).toEqual([]);
    expect(await h.terminal.money.journal.byReference(reference)).toMatchObject({ state: 'reversed', reversal: 'done' });
  }

  test('response dropped (reversal dropped too, then repeated as 0401): failed, reversed, charged at most once', async () => {
    await h.faults({ seed: 7, dropResponse: 1 });
    const r = await h.cardTxn({ reference: 'F-DROP', type: 'sale', amount: 6100 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'failed', reversal: 'pending', responseCode: null, reason: 'no answer (ETIMEOUT)' });
    expect(await h.lcd()).toEqual(['NO HOST ANSWER', 'NOT CHARGED', 'REVERSAL QUEUED', '']);
    expect((await h.health()).body.safPending).toBe(1);

    // The first 0400 reaches the host while answers are still dropped; the repeat after the host recovers is 0401.
    await waitFor('0400 seen by the host', async () => (await h.call('GET', `${h.adminUrl}/faults`)).body.history.some((e: { mti: string }) => e.mti === '0400'));
    await h.clearFaults();
    const v = await h.waitReversed('F-DROP');
    expect(v).toMatchObject({ status: 'failed', reversal: 'done' });
    expect(h.hostRequests.slice(0, 2)).toEqual(['0200 F-DROP', '0400 F-DROP']);
    expect(h.hostRequests).toContain('0401 F-DROP');
    await expectNoReceiptAndReversedOnce('F-DROP');

    // A reversed sale cannot be voided or refunded.
    const voidIt = await h.startTxn({ reference: 'F-DROP-V', type: 'void', original: { reference: 'F-DROP' } });
    expect(voidIt.status).toBe(422);
    expect(voidIt.body).toEqual({ error: 'original-not-allowed', message: 'original F-DROP was reversed', path: '$.original' });
    expect((await h.startTxn({ reference: 'F-DROP-R', type: 'refund', amount: 100, original: { reference: 'F-DROP' } })).status).toBe(422);
    expect(await h.ledger()).toHaveLength(1);
  });

  test('answer delayed past the timeout: failed, and the late approval stays reversed', async () => {
    await h.faults({ seed: 1, delayResponse: 1, delayMs: 1500, onlyMti: ['0200'] });
    const r = await h.cardTxn({ reference: 'F-LATE', type: 'sale', amount: 6200 });
    expect(r.body).toMatchObject({ status: 'failed', reason: 'no answer (ETIMEOUT)' });
    expect(['pending', 'done']).toContain(r.body.reversal);
    await h.waitReversed('F-LATE');
    await waitFor('late approval handled', () => h.logLines.some((l) => l.includes('late approval: reversed by the SAF queue')), 5000);
    await waitFor('SAF queue empty', async () => (await h.health()).body.safPending === 0);
    expect((await h.txn('F-LATE')).body).toMatchObject({ status: 'failed', reversal: 'done', rrn: null });
    await expectNoReceiptAndReversedOnce('F-LATE');
  });

  test.each([
    ['garbled reply', { garbleReply: 1 }, /^no answer \(EGARBLED\)$/],
    ['disconnect mid-reply', { disconnectMidReply: 1 }, /^no answer \(EDISCONNECT\)$/],
  ])('%s: failed, then reversed', async (_name, fault, reason) => {
    await h.faults({ seed: 3, onlyMti: ['0200'], ...fault });
    const r = await h.cardTxn({ reference: 'F-X', type: 'sale', amount: 6300 });
    expect(r.body.status).toBe('failed');
    expect(r.body.reason).toMatch(reason);
    expect(['pending', 'done']).toContain(r.body.reversal);
    await h.waitReversed('F-X');
    await expectNoReceiptAndReversedOnce('F-X');
    // The link recovers: the next sale is approved normally.
    await h.clearFaults();
    expect((await h.cardTxn({ reference: 'F-X2', type: 'sale', amount: 6301 })).body.status).toBe('approved');
  });

  test('request dropped (nothing posted): failed, reversal acknowledged, no charge on the ledger', async () => {
    await h.faults({ seed: 5, dropRequest: 1, onlyMti: ['0200'] });
    const r = await h.cardTxn({ reference: 'F-NOREQ', type: 'sale', amount: 6400 });
    expect(r.body).toMatchObject({ status: 'failed', reason: 'no answer (ETIMEOUT)' });
    const v = await h.waitReversed('F-NOREQ');
    expect(v).toMatchObject({ status: 'failed', reversal: 'done' });
    expect(await h.ledger('F-NOREQ')).toEqual([]);
    expect(await h.ledger()).toEqual([]);
    expect(h.hostRequests).toEqual(['0200 F-NOREQ', '0400 F-NOREQ']);
    expect(await h.receipts()).toEqual([]);
  });

  test('host unreachable: failed, not sent, nothing to reverse', async () => {
    await h.acquirer.stop();
    const r = await h.cardTxn({ reference: 'F-DOWN', type: 'sale', amount: 6600 });
    expect(r.body).toMatchObject({ status: 'failed', reversal: null });
    expect(r.body.reason).toMatch(/^not-sent \(E[A-Z]+\)$/);
    expect(await h.lcd()).toEqual(['NOT SENT', 'HOST UNREACHABLE', 'NOT CHARGED', '']);
    expect(await h.terminal.money.journal.byReference('F-DOWN')).toMatchObject({ state: 'failed', reversal: null });
    expect((await h.health()).body.safPending).toBe(0);
    expect(await h.receipts()).toEqual([]);
  });

  test('forced response code: declined, nothing to reverse', async () => {
    await h.faults({ seed: 9, forceResponseCode: { code: '96', probability: 1 } });
    const r = await h.cardTxn({ reference: 'F-96', type: 'sale', amount: 6500 });
    expect(r.body).toMatchObject({ status: 'declined', responseCode: '96', reversal: null });
    expect(await h.lcd()).toEqual(['DECLINED 96', 'HOST ERROR', '', '']);
    expect((await h.ledger('F-96')).map((e) => [e.status, e.responseCode])).toEqual([['declined', '96']]);
    expect((await h.health()).body.safPending).toBe(0);
    expect(h.hostRequests).toEqual(['0200 F-96']);
    expect(await h.receipts()).toEqual([]);
  });
});
