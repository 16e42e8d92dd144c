// ECR API under /v1 beyond single transactions: settlement, reprint, sign-on and echo (rate-limited: they reach the host).
import type { FastifyInstance } from 'fastify';
import type { FlowController } from '../flows/controller';
import type { Journal } from '../journal/journal';
import { networkCheck, reprint, type ServiceDeps } from '../flows/services';
import type { EventHub } from './events';
import { HttpError, parseBody } from './http';
import { limitHost, type RateLimiter } from './rate-limit';
import { reprintBodySchema, settlementBodySchema } from './schemas';
import { busyError } from './txn-start';

export interface AdminDeps {
  controller: FlowController;
  journal: Journal;
  services?: ServiceDeps;
  settle?: () => Promise<unknown>;
  hostLimiter: RateLimiter;
  events?: EventHub;
  /** How long settlement waits for the last transaction to finish printing. */
  printWaitMs: number;
}

export function registerAdminRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const { controller } = deps;

  /**
   * Settles the current batch (or resumes the settlement in progress). With `batch`, idempotent per batch: a batch
   * already closed answers its settlement again, the current one is settled, any other is 404.
   */
  app.post('/v1/settlement', { config: { access: 'supervisor' } }, async (req) => {
    if (!deps.settle) throw new HttpError(404, 'not-found', 'settlement is not available on this terminal');
    const body = parseBody(settlementBodySchema, req.body ?? {});
    if (body.batch) {
      const closed = deps.journal.settlementOf(body.batch);
      if (closed) return { status: 'settled', repeat: true, ...closed };
      const current = deps.journal.settling()?.batch ?? (await deps.journal.batchNumber());
      if (body.batch !== current) throw new HttpError(404, 'not-found', `batch ${body.batch} is neither closed nor the current batch (${current})`, '$.batch');
    }
    const doing = controller.doing();
    if (doing?.kind === 'transaction' && (doing.step === 'printing' || doing.step === 'finished')) await controller.whenIdle(deps.printWaitMs);
    if (controller.busy) throw busyError('a transaction is running; settle when the terminal is idle', controller.doing());
    deps.events?.publish('settlement', { state: 'started' });
    try {
      const result = await deps.settle();
      deps.events?.publish('settlement', { state: 'settled', result });
      return result;
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'settlement-failed';
      deps.events?.publish('settlement', { state: 'failed', error: code, message: (err as Error).message });
      if (code === 'busy') throw busyError((err as Error).message, controller.doing());
      throw new HttpError(code === 'saf-pending' ? 409 : 502, code, (err as Error).message);
    }
  });

  app.post('/v1/reprint', { config: { access: 'cashier' } }, async (req) => {
    const body = parseBody(reprintBodySchema, req.body ?? {});
    if (!deps.services) throw new HttpError(404, 'not-found', 'reprint is not available on this terminal');
    const out = await reprint(deps.services, body);
    if (!out.ok && !out.record) throw new HttpError(404, 'not-found', body.stan || body.reference ? `no transaction to reprint: ${out.error}` : 'nothing to reprint yet');
    if (!out.ok) throw new HttpError(409, 'reprint-failed', out.error ?? 'reprint failed');
    return { reference: out.record!.reference, stan: out.record!.stan, copies: out.record!.receipt.reprints, text: out.text };
  });

  app.post('/v1/sign-on', { config: { access: 'supervisor' } }, async () => {
    if (!deps.services) throw new HttpError(404, 'not-found', 'not available');
    limitHost(deps.hostLimiter, 'sign-on');
    return networkCheck(deps.services, 'sign-on');
  });

  app.post('/v1/echo', { config: { access: 'cashier' } }, async () => {
    if (!deps.services) throw new HttpError(404, 'not-found', 'not available');
    limitHost(deps.hostLimiter, 'echo');
    return networkCheck(deps.services, 'echo');
  });
}
