// Authoriser, SAF queue and recovery against a scripted host: journal first, unknown outcome → reversal, 0400 then 0401.
import { Authoriser } from './authoriser';
import { SafWorker } from './saf';
import { recover } from './recovery';
import { HostLinkError } from '../host/transport/errors';
import { silentLogger } from '../log';
import type { TxnRecord } from '../journal/types';
import { BOARD, newSale, openJournal, reply, ScriptedHost, TRACK2 } from './money.fixtures';
import { FakeClock } from '../common/clock';

/** Moves simulated time on (10 ms a step, real journal I/O in between) until the SAF queue is empty; bounded. */
async function stepUntilDrained(saf: SafWorker, clock: FakeClock): Promise<void> {
  for (let i = 0; i < 500 && (await saf.pending()) > 0; i++) await clock.advance(10);
}

const secrets = { track2: TRACK2 };

describe('authoriser', () => {
  let ctx: Awaited<ReturnType<typeof openJournal>>;
  beforeEach(async () => (ctx = await openJournal()));
  afterEach(async () => ctx.cleanup());

  const make = (host: ScriptedHost) => new Authoriser({ journal: ctx.journal, host, terminal: BOARD.terminal, log: silentLogger });

  it('journals the record as sending before the request leaves, then the outcome', async () => {
    let stateAtSend: string | undefined;
    const host = new ScriptedHost(async (msg) => {
      stateAtSend = (await ctx.journal.byReference(String(msg.fields[62])))?.state;
      return reply(msg, '00');
    });
    const rec = await ctx.journal.create(newSale());
    const out = await make(host).authorise(rec, '021', secrets);
    expect(stateAtSend).toBe('sending');
    expect(out).toMatchObject({ state: 'approved', responseCode: '00', rrn: '000000000042', authCode: 'AB1234', wasApproved: true });
    expect(host.sent[0]).toMatchObject({ mti: '0200', fields: { 3: '000000', 4: '000000001000', 35: TRACK2, 62: rec.reference } });
  });

  it('journals a decline', async () => {
    const rec = await ctx.journal.create(newSale());
    expect(await make(new ScriptedHost((m) => reply(m, '51'))).authorise(rec, '021', secrets)).toMatchObject({ state: 'declined', responseCode: '51' });
  });

  it('fails without a reversal when nothing was sent', async () => {
    const rec = await ctx.journal.create(newSale());
    const host = new ScriptedHost(() => {
      throw new HostLinkError('ECONNECT', 'not-sent', 'refused');
    });
    expect(await make(host).authorise(rec, '021', secrets)).toMatchObject({ state: 'failed', reversal: null });
    expect(await ctx.journal.safEntries()).toEqual([]);
  });

  it.each([
    ['timeout', () => Promise.reject(new HostLinkError('ETIMEOUT', 'unknown', 'no answer'))],
    ['disconnect', () => Promise.reject(new HostLinkError('EDISCONNECT', 'unknown', 'dropped'))],
    ['reply without response code', (m: Parameters<typeof reply>[0]) => ({ ...reply(m, '00'), fields: { 11: m.fields[11], 41: m.fields[41] } })],
    ['reply for another amount', (m: Parameters<typeof reply>[0]) => reply(m, '00', { 4: '000000009999' })],
  ])('queues a reversal when the outcome is unknown (%s)', async (_name, answer) => {
    const rec = await ctx.journal.create(newSale());
    const out = await make(new ScriptedHost(answer as never)).authorise(rec, '021', secrets);
    expect(out).toMatchObject({ state: 'reversal-pending', reversal: 'pending' });
    expect((await ctx.journal.safEntries()).map((e) => e.txnId)).toEqual([rec.id]);
  });

  it('updates the original in the same write as an approved refund', async () => {
    const host = new ScriptedHost((m) => reply(m, '00'));
    const sale = await make(host).authorise(await ctx.journal.create(newSale({ amount: 1000 })), '021', secrets);
    const original = { id: sale.id, reference: sale.reference, stan: sale.stan, batch: sale.batch, localDate: '1123', rrn: sale.rrn };
    const refund = await ctx.journal.create(newSale({ type: 'refund', amount: 400, original }));
    await make(host).authorise(refund, '012', {});
    expect((await ctx.journal.get(sale.id))?.refunded).toBe(400);
    expect(host.sent[1]).toMatchObject({ mti: '0220', fields: { 2: '4761739001010010', 14: '3012', 37: sale.rrn, 3: '200000' } });
  });
});

describe('SAF worker', () => {
  let ctx: Awaited<ReturnType<typeof openJournal>>;
  beforeEach(async () => (ctx = await openJournal()));
  afterEach(async () => ctx.cleanup());

  async function pendingReversal(): Promise<TxnRecord> {
    const auth = new Authoriser({ journal: ctx.journal, host: new ScriptedHost(() => Promise.reject(new HostLinkError('ETIMEOUT', 'unknown', 'x'))), terminal: BOARD.terminal, log: silentLogger });
    return auth.authorise(await ctx.journal.create(newSale()), '021', secrets);
  }

  it('sends 0400, repeats as 0401 until the host answers, and only then removes the entry', async () => {
    const rec = await pendingReversal();
    const clock = new FakeClock(Date.now());
    const host = new ScriptedHost((m, n) => (n < 3 ? Promise.reject(new HostLinkError('ETIMEOUT', 'unknown', 'no answer')) : reply(m, '00')));
    const saf = new SafWorker({ journal: ctx.journal, host, terminal: BOARD.terminal, log: silentLogger, retryMs: 1, retryMaxMs: 4, clock });
    saf.start();
    await stepUntilDrained(saf, clock);
    await saf.stop();
    expect(host.sent.map((m) => m.mti)).toEqual(['0400', '0401', '0401']);
    expect(host.sent[0].fields).toMatchObject({ 11: rec.stan, 2: '4761739001010010', 4: '000000001000', 62: rec.reference });
    expect(String(host.sent[0].fields[90])).toMatch(new RegExp(`^0200${rec.stan}\\d{10}0{22}$`));
    expect(await ctx.journal.get(rec.id)).toMatchObject({ state: 'reversed', reversal: 'done' });
    expect(await saf.pending()).toBe(0);
  });

  it('keeps the entry when the host answers with a retryable error', async () => {
    await pendingReversal();
    const host = new ScriptedHost((m) => reply(m, '96'));
    const clock = new FakeClock(Date.now());
    const saf = new SafWorker({ journal: ctx.journal, host, terminal: BOARD.terminal, log: silentLogger, retryMs: 60000, retryMaxMs: 60000, clock });
    saf.start();
    for (let i = 0; i < 100 && (await ctx.journal.safEntries())[0]?.attempts !== 1; i++) await clock.advance(0);
    await saf.stop();
    const [entry] = await ctx.journal.safEntries();
    expect(entry).toMatchObject({ attempts: 1, lastError: 'response code 96' });
  });
});

describe('recovery', () => {
  let ctx: Awaited<ReturnType<typeof openJournal>>;
  beforeEach(async () => (ctx = await openJournal()));
  afterEach(async () => ctx.cleanup());

  it('cancels unsent records, reverses maybe-sent ones and completes approved ones with a receipt', async () => {
    const j = ctx.journal;
    const created = await j.create(newSale());
    const sending = await j.create(newSale());
    await j.update(sending.id, { state: 'sending', request: { mti: '0200', processingCode: '000000', conditionCode: '00', entryMode: '021', transmissionDateTime: '1123101010', localTime: '101010', localDate: '1123' } });
    const approved = await j.create(newSale());
    await j.update(approved.id, { state: 'sending' });
    await j.update(approved.id, { state: 'approved', wasApproved: true, rrn: '1', authCode: 'A' });
    const printed: string[] = [];
    const authoriser = new Authoriser({ journal: j, host: new ScriptedHost(() => Promise.reject(new Error('recovery must not send'))), terminal: BOARD.terminal, log: silentLogger });
    const report = await recover({ journal: j, authoriser, printRecovered: async (r) => (printed.push(r.reference), r), log: silentLogger });
    expect(report).toEqual({ cancelled: [created.reference], reversalsQueued: [sending.reference], completed: [approved.reference] });
    expect((await j.get(created.id))?.state).toBe('cancelled');
    expect((await j.get(sending.id))?.state).toBe('reversal-pending');
    expect(await j.get(approved.id)).toMatchObject({ state: 'completed', recovered: true });
    expect(printed).toEqual([approved.reference]);
    expect((await j.safEntries()).map((e) => e.txnId)).toEqual([sending.id]);
    expect(await j.unfinished()).toHaveLength(1); // the reversal, waiting for the SAF worker
  });
});

describe('SAF repeats', () => {
  let ctx: Awaited<ReturnType<typeof openJournal>>;
  beforeEach(async () => (ctx = await openJournal()));
  afterEach(async () => ctx.cleanup());

  it('sends 0400 again (not 0401) while the host could not be reached at all', async () => {
    const auth = new Authoriser({ journal: ctx.journal, host: new ScriptedHost(() => Promise.reject(new HostLinkError('ETIMEOUT', 'unknown', 'x'))), terminal: BOARD.terminal, log: silentLogger });
    await auth.authorise(await ctx.journal.create(newSale()), '021', secrets);
    const clock = new FakeClock(Date.now());
    const host = new ScriptedHost((m, n) => (n < 3 ? Promise.reject(new HostLinkError('ECONNECT', 'not-sent', 'refused')) : n < 4 ? Promise.reject(new HostLinkError('ETIMEOUT', 'unknown', 'lost')) : reply(m, '00')));
    const saf = new SafWorker({ journal: ctx.journal, host, terminal: BOARD.terminal, log: silentLogger, retryMs: 1, retryMaxMs: 4, clock });
    saf.start();
    await stepUntilDrained(saf, clock);
    await saf.stop();
    expect(host.sent.map((m) => m.mti)).toEqual(['0400', '0400', '0400', '0401']);
  });

  it('never journals a request it cannot build', async () => {
    const rec = await ctx.journal.create(newSale());
    const host = new ScriptedHost((m) => reply(m, '00'));
    const auth = new Authoriser({ journal: ctx.journal, host, terminal: BOARD.terminal, log: silentLogger });
    await expect(auth.authorise(rec, '021', {})).rejects.toThrow(/needs track 2/);
    expect((await ctx.journal.get(rec.id))?.state).toBe('created');
    expect(host.sent).toEqual([]);
  });
});
