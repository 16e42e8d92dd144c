// Acquirer admin HTTP/JSON API on loopback: ledger, totals, fault injection, reset.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createHttpServer, HttpError, parseBody } from '../../firmware/ecr/http';
import { payPresented } from './wallet-pay';
import type { Logger } from '../../firmware/log';
import { faultConfigSchema, type Faults } from './faults';
import type { Ledger } from './ledger';
import type { LedgerEntry } from './types';
import type { ReceivedMessage } from './processor';

const ledgerQuery = z.strictObject({ reference: z.string().optional(), terminalId: z.string().optional() });
const totalsQuery = z.strictObject({ terminalId: z.string().optional(), batch: z.string().optional() });
const resetBody = z.strictObject({});
const walletPayBody = z.strictObject({ payload: z.string().min(1).max(1024), atClose: z.boolean().optional() });
const clockBody = z.strictObject({ advanceDays: z.number().min(0).max(3650) });

/** An entry as the API shows it: everything but the sealed PAN. */
export function publicEntry(e: LedgerEntry): Omit<LedgerEntry, 'panSealed'> {
  const { panSealed: _hidden, ...rest } = e;
  return rest;
}

export interface AdminDeps {
  ledger: Ledger;
  faults: Faults;
  log: Logger;
  /** Waits until no request is being processed (reset must not cut a posting in half). */
  idle: () => Promise<void>;
  /** The last requests answered (GET /messages). */
  received?: () => ReceivedMessage[];
  clearReceived?: () => void;
  /** The simulator's clock: POST /clock moves it on (hold expiry). */
  clock?: { now(): Date; advance(ms: number): void };
}

/**
 * Routes: GET /ledger (?reference=&terminalId=), GET /totals (?terminalId=&batch=), GET/POST/DELETE /faults,
 * POST /reset, GET /health. Bad JSON, unknown fields or query parameters: 400 naming the problem.
 */
export function createAdminApp(deps: AdminDeps): FastifyInstance {
  // createHttpServer names its own child logger (ns "api") for failed requests.
  const app = createHttpServer(deps.log);
  const log = deps.log.child({ ns: 'acquirer.admin' });
  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/ledger', async (req) => {
    const q = parseBody(ledgerQuery, req.query);
    return { entries: deps.ledger.list(q).map(publicEntry) };
  });

  app.get('/messages', async (req) => {
    const q = parseBody(ledgerQuery, req.query);
    const all = deps.received?.() ?? [];
    return { messages: all.filter((m) => (q.reference === undefined || m.reference === q.reference) && (q.terminalId === undefined || m.terminalId === q.terminalId)) };
  });

  app.get('/totals', async (req) => {
    const q = parseBody(totalsQuery, req.query);
    const rows = deps.ledger.allTotals().filter((r) => (q.terminalId === undefined || r.terminalId === q.terminalId) && (q.batch === undefined || r.batch === q.batch));
    return { totals: rows };
  });

  app.get('/faults', async () => deps.faults.view());

  app.post('/faults', async (req) => {
    deps.faults.set(parseBody(faultConfigSchema, req.body));
    const view = deps.faults.view();
    log.info({ faults: view.config, seed: view.seed }, 'faults set');
    return deps.faults.view();
  });

  app.delete('/faults', async () => {
    deps.faults.clear();
    return deps.faults.view();
  });

  app.post('/clock', async (req) => {
    const body = parseBody(clockBody, req.body);
    if (!deps.clock) throw new Error('this simulator has no movable clock');
    deps.clock.advance(Math.round(body.advanceDays * 86_400_000));
    log.info({ advanceDays: body.advanceDays, now: deps.clock.now().toISOString() }, 'clock moved on');
    return { now: deps.clock.now().toISOString() };
  });

  /** Plays the customer paying a presented QR: now, or just before the terminal's close (the close answers "paid"). */
  app.post('/wallet/pay', async (req) => {
    const body = parseBody(walletPayBody, req.body);
    const out = payPresented(deps.ledger, body.payload, body.atClose === true, deps.clock?.now() ?? new Date());
    if ('error' in out) throw new HttpError(out.status, out.error, out.message);
    await deps.ledger.commit({ entries: [out.entry] });
    log.info({ reference: out.entry.reference, atClose: body.atClose === true }, 'wallet: customer paid a presented QR');
    return { paid: body.atClose ? 'at-close' : 'now', reference: out.entry.reference, amount: out.entry.amount, order: out.entry.qr?.orderNo };
  });

  app.post('/reset', async (req) => {
    if (req.body !== undefined) parseBody(resetBody, req.body);
    await deps.idle();
    deps.faults.clear();
    await deps.ledger.clear();
    deps.clearReceived?.();
    log.info('reset: ledger, faults and the message log cleared');
    return { reset: true };
  });

  return app;
}
