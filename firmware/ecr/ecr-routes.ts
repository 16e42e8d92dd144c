// ECR API under /v1: start, read, confirm and cancel transactions with idempotent references; host status query.
import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from '../common/clock';
import type { FlowController } from '../flows/controller';
import type { PromptKind } from '../flows/prompts';
import type { Journal } from '../journal/journal';
import type { TxnRecord, TxnType } from '../journal/types';
import type { ReceiptService } from '../receipts/receipt-service';
import { statusQuery, type ServiceDeps } from '../flows/services';
import type { Role } from './api-keys';
import { requireRole } from './access';
import { HttpError, parseBody } from './http';
import { limitHost, RateLimiter } from './rate-limit';
import { txnBodySchema } from './schemas';
import { TxnStarter } from './txn-start';
import { ecrView } from './view';

export { requestHash } from './txn-start';

export interface EcrDeps {
  controller: FlowController;
  /** Reprint, status query, sign-on and echo. */
  services?: ServiceDeps;
  /** End-of-day settlement (POST /v1/settlement). */
  settle?: () => Promise<unknown>;
  journal: Journal;
  receipts: ReceiptService;
  /** Default time a POST waits for the outcome before answering in-progress. */
  defaultWaitSec?: number;
  clock?: Clock;
  /** The terminal's currency: the default filled into requests before they are compared. */
  currency?: string;
  /** How long a new transaction waits for the last one to finish printing (default 20 s). */
  printWaitMs?: number;
  /** Requests that reach the host (sign-on, echo, status query); default 12 a minute. */
  hostLimiter?: RateLimiter;
}

/** Types a cashier may start; every other type (void, refund, and any added later) needs a supervisor. */
const CASHIER_TYPES: ReadonlySet<TxnType> = new Set<TxnType>(['sale', 'preauth', 'completion', 'balance', 'qr-sale', 'qr-present']);

export function roleForType(type: TxnType): Role {
  return CASHIER_TYPES.has(type) ? 'cashier' : 'supervisor';
}

/**
 * The step shown in REST answers: what the terminal waits for while the outcome is open. Once the outcome is
 * journaled a REST answer is the final one, identical before and after the slips are out (an idempotent repeat
 * compares equal); the `printing` step is announced on the event stream and in busy answers.
 */
function restStep(controller: FlowController, reference: string): PromptKind | undefined {
  const step = controller.stepOf(reference);
  return step === 'printing' || step === 'finished' ? undefined : step;
}

const refParam = (params: unknown) => (params as { reference: string }).reference;

export function registerEcrRoutes(app: FastifyInstance, deps: EcrDeps): void {
  const { controller, journal, receipts } = deps;
  const clock = deps.clock ?? systemClock;
  const starter = new TxnStarter({ controller, journal, clock, currency: deps.currency ?? 'CNY', printWaitMs: deps.printWaitMs ?? 20_000 });
  const hostLimiter = deps.hostLimiter ?? new RateLimiter(clock, 12);
  const view = (rec: TxnRecord) => ecrView(rec, receipts.texts(rec), restStep(controller, rec.reference));

  async function find(ref: string): Promise<TxnRecord> {
    const rec = await journal.byReference(ref);
    if (!rec) throw new HttpError(404, 'not-found', `no transaction with reference "${ref}"`);
    return rec;
  }

  app.post('/v1/transactions', { config: { access: 'cashier' } }, async (req, reply) => {
    const body = parseBody(txnBodySchema, req.body);
    requireRole(req, roleForType(body.type), `a ${body.type}`);
    const rec = await starter.startOrFind(body);
    await starter.decidedWithin(rec, body.wait ?? deps.defaultWaitSec ?? 120);
    const v = view((await journal.get(rec.id)) ?? rec);
    reply.status(v.status === 'in-progress' ? 202 : 200);
    return v;
  });

  app.get('/v1/transactions/:reference', { config: { access: 'cashier' } }, async (req) => view(await find(refParam(req.params))));

  app.post('/v1/transactions/:reference/cancel', { config: { access: 'cashier' } }, async (req) => {
    const ref = refParam(req.params);
    const rec = await find(ref);
    const result = await controller.cancel(ref);
    if (result === 'too-late') throw new HttpError(409, 'already-sent', `transaction "${ref}" was already sent to the host; it cannot be cancelled (a void or refund can undo it)`);
    if (result === 'not-active') {
      const v = view(rec);
      if (v.status === 'cancelled') return v;
      throw new HttpError(409, 'not-cancellable', `transaction "${ref}" is already ${v.status}`);
    }
    const run = starter.running.get(ref);
    if (run) await Promise.race([run.finished, new Promise((r) => clock.setTimeout(() => r(undefined), 10_000))]);
    return view((await journal.get(rec.id)) ?? rec);
  });

  /** The ECR confirms what the transaction waits for (a possible duplicate); cancel declines it. */
  app.post('/v1/transactions/:reference/confirm', { config: { access: 'cashier' } }, async (req) => {
    const ref = refParam(req.params);
    const rec = await find(ref);
    const result = controller.confirm(ref);
    if (result !== 'confirmed') {
      const v = view(rec);
      throw new HttpError(409, 'nothing-to-confirm', `transaction "${ref}" is ${v.state}, not awaiting a confirmation`);
    }
    return view((await journal.get(rec.id)) ?? rec);
  });

  /** Asks the host what became of a transaction (e.g. one whose outcome was unknown). Changes nothing locally. */
  app.post('/v1/transactions/:reference/query', { config: { access: 'cashier' } }, async (req) => {
    const rec = await find(refParam(req.params));
    if (!rec.request) return { local: view(rec), host: null, note: 'never sent to the host' };
    if (!deps.services) throw new HttpError(404, 'not-found', 'host queries are not available on this terminal');
    limitHost(hostLimiter, 'a status query');
    return { local: view(rec), host: await statusQuery(deps.services, rec) };
  });
}
