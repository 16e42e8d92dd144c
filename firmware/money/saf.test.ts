// The SAF worker's reversal semantics: only 00 or 21 settle; 12/25 keep it queued and raise it; "sent" persisted first.
import { FakeClock } from '../common/clock';
import { HostLinkError } from '../host/transport/errors';
import { silentLogger } from '../log';
import { Authoriser } from './authoriser';
import { SafWorker } from './saf';
import { BOARD, newSale, openJournal, reply, ScriptedHost } from './money.fixtures';

describe('SAF reversal semantics', () => {
  let ctx: Awaited<ReturnType<typeof openJournal>>;
  beforeEach(async () => (ctx = await openJournal()));
  afterEach(async () => ctx.cleanup());

  /** A sale whose answer was lost: reversal-pending with its SAF entry. */
  async function lostAnswer() {
    const auth = new Authoriser({ journal: ctx.journal, host: new ScriptedHost(() => Promise.reject(new HostLinkError('ETIMEOUT', 'unknown', 'lost'))), terminal: BOARD.terminal, log: silentLogger });
    return auth.authorise(await ctx.journal.create(newSale()), '021', { track2: '4761739001010010=30121010000000000000' });
  }

  async function run(answers: (n: number) => string | Error, steps: number, alertAfter = 3) {
    const clock = new FakeClock(Date.now());
    const sentState: Array<boolean | undefined> = [];
    const host = new ScriptedHost(async (m, n) => {
      sentState.push((await ctx.journal.safEntries())[0]?.sent);
      const a = answers(n);
      if (a instanceof Error) throw a;
      return reply(m, a);
    });
    const saf = new SafWorker({ journal: ctx.journal, host, terminal: BOARD.terminal, log: silentLogger, retryMs: 10, retryMaxMs: 10, alertAfter, clock });
    saf.start();
    for (let i = 0; i < 400 && host.sent.length < steps && (await saf.pending()) > 0; i++) await clock.advance(10);
    await saf.stop();
    return { host, saf, sentState };
  }

  it('12 and 25 do not settle: the entry stays, the reversal is raised as in doubt, and a later 00 settles it', async () => {
    const rec = await lostAnswer();
    const { host, saf } = await run((n) => (n <= 4 ? (n % 2 ? '25' : '12') : '00'), 5);
    expect(host.sent.map((m) => m.mti)).toEqual(['0400', '0401', '0401', '0401', '0401']);
    expect(await ctx.journal.get(rec.id)).toMatchObject({ state: 'reversed', reversal: 'done' });
    expect(await saf.pending()).toBe(0);
  });

  it('after alertAfter refusals the record says in-doubt and the worker lists it', async () => {
    const rec = await lostAnswer();
    const { saf } = await run(() => '25', 4, 3);
    expect(await ctx.journal.get(rec.id)).toMatchObject({ state: 'reversal-pending', reversal: 'in-doubt' });
    expect((await saf.inDoubt()).map((r) => r.reference)).toEqual([rec.reference]);
    expect((await ctx.journal.safEntries())[0]).toMatchObject({ unacknowledged: 4, sent: true });
  });

  it('21 (no action taken: never posted) settles', async () => {
    const rec = await lostAnswer();
    await run(() => '21', 1);
    expect(await ctx.journal.get(rec.id)).toMatchObject({ state: 'reversed', reversal: 'done' });
  });

  it('"may have been sent" is durable before the first 0400 leaves; a refused connection makes the next one a 0400 again', async () => {
    await lostAnswer();
    const refused = new HostLinkError('ECONNECT', 'not-sent', 'refused');
    const { host, sentState } = await run((n) => (n === 1 ? refused : '00'), 2);
    expect(sentState).toEqual([true, true]);
    expect(host.sent.map((m) => m.mti)).toEqual(['0400', '0400']);
  });
});
