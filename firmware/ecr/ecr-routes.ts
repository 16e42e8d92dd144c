// ECR API under /v1: start, read and cancel transactions with idempotent references; reprint; health extras.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError, parseBody } from './http';
import { FlowError, type FlowController, type Running } from '../flows/controller';
import type { Journal } from '../journal/journal';
import type { TxnRecord } from '../journal/types';
import { TXN_TYPES } from '../journal/types';
import type { ReceiptService } from '../receipts/receipt-service';
import { ecrView } from './view';
import { networkCheck, reprint, statusQuery, type ServiceDeps } from '../flows/services';

const reference = z.string().min(1).max(64).regex(/^[\x21-\x7e]+$/, 'expected 1-64 printable ASCII characters without spaces');

const txnBody = z.strictObject({
  reference,
  type: z.enum(TXN_TYPES),
  amount: z.number().int('expected whole minor units (e.g. 1234 for 12.34)').positive().max(999_999_999_999).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as CNY').optional(),
  original: z
    .strictObject({ reference: reference.optional(), rrn: z.string().regex(/^[0-9A-Za-z]{1,12}$/).optional(), stan: z.string().regex(/^\d{1,6}$/).optional() })
    .optional(),
  wait: z.number().min(0).max(300).optional(),
  /** The cashier the register names (recorded on the journal record, receipts and per-operator totals). */
  operator: z.string().regex(/^\d{2}$/, 'expected a two-digit operator id such as "01"').optional(),
});

const settlementBody = z.strictObject({ batch: z.string().regex(/^\d{6}$/, 'expected a 6-digit batch number').optional() });

const reprintBody = z.strictObject({ stan: z.string().regex(/^\d{1,6}$/).optional(), reference: reference.optional() });

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
}

/** Canonical hash of what the ECR asked for (everything but `wait`), independent of key order. */
export function requestHash(body: z.infer<typeof txnBody>): string {
  const { wait: _wait, ...rest } = body;
  const canonical = JSON.stringify(rest, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

const FLOW_STATUS: Record<FlowError['code'], number> = {
  busy: 409,
  'bad-request': 400,
  'original-not-found': 404,
  'original-not-allowed': 422,
  'amount-exceeds': 422,
  'original-wrong-type': 422,
  'duplicate-reference': 409,
  'settlement-in-progress': 409,
};

function within<T>(p: Promise<T>, seconds: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(undefined), seconds * 1000);
    p.then((v) => (clearTimeout(t), resolve(v)));
  });
}

export function registerEcrRoutes(app: FastifyInstance, deps: EcrDeps): void {
  const { controller, journal, receipts } = deps;
  const running = new Map<string, Running>();
  const view = (rec: TxnRecord) => ecrView(rec, receipts.texts(rec));

  /** Answers with the record once decided, or in-progress after `wait` seconds. */
  async function answer(reply: { status(code: number): unknown }, rec: TxnRecord, wait: number) {
    const run = running.get(rec.reference);
    if (run && (rec.state === 'created' || rec.state === 'sending')) await within(run.decided, wait);
    const now = (await journal.get(rec.id)) ?? rec;
    const v = view(now);
    reply.status(v.status === 'in-progress' ? 202 : 200);
    return v;
  }

  app.post('/v1/transactions', async (req, reply) => {
    const body = parseBody(txnBody, req.body);
    const hash = requestHash(body);
    const wait = body.wait ?? deps.defaultWaitSec ?? 120;
    const existing = await journal.byReference(body.reference);
    if (existing) {
      if (existing.requestHash !== hash) {
        throw new HttpError(409, 'reference-conflict', `reference "${body.reference}" was already used for a different request (${existing.type} of ${existing.amount} ${existing.currency})`);
      }
      return answer(reply, existing, wait);
    }
    let run: Running;
    try {
      run = await controller.start({ type: body.type, amount: body.amount, currency: body.currency, reference: body.reference, origin: 'ecr', requestHash: hash, original: body.original, operator: body.operator });
    } catch (err) {
      if (err instanceof FlowError) throw new HttpError(FLOW_STATUS[err.code], err.code, err.message);
      if ((err as { code?: string }).code === 'EDUPREF') {
        const again = await journal.byReference(body.reference);
        if (again && again.requestHash === hash) return answer(reply, again, wait);
        throw new HttpError(409, 'reference-conflict', (err as Error).message);
      }
      throw err;
    }
    running.set(body.reference, run);
    void run.finished.then(() => running.delete(body.reference));
    return answer(reply, run.record, wait);
  });

  app.get('/v1/transactions/:reference', async (req) => {
    const { reference: ref } = req.params as { reference: string };
    const rec = await journal.byReference(ref);
    if (!rec) throw new HttpError(404, 'not-found', `no transaction with reference "${ref}"`);
    return view(rec);
  });

  app.post('/v1/transactions/:reference/cancel', async (req) => {
    const { reference: ref } = req.params as { reference: string };
    const rec = await journal.byReference(ref);
    if (!rec) throw new HttpError(404, 'not-found', `no transaction with reference "${ref}"`);
    const result = await controller.cancel(ref);
    if (result === 'too-late') throw new HttpError(409, 'already-sent', `transaction "${ref}" was already sent to the host; it cannot be cancelled (a void or refund can undo it)`);
    if (result === 'not-active') {
      const v = view(rec);
      if (v.status === 'cancelled') return v;
      throw new HttpError(409, 'not-cancellable', `transaction "${ref}" is already ${v.status}`);
    }
    const run = running.get(ref);
    if (run) await within(run.finished, 10);
    return view((await journal.get(rec.id)) ?? rec);
  });

  /**
   * Settles the current batch (or resumes the settlement in progress). With `batch`, idempotent per batch: a batch
   * already closed answers its settlement again, the current one is settled, any other is 404.
   */
  app.post('/v1/settlement', async (req) => {
    if (!deps.settle) throw new HttpError(404, 'not-found', 'settlement is not available on this terminal');
    const body = parseBody(settlementBody, req.body ?? {});
    if (body.batch) {
      const closed = journal.settlementOf(body.batch);
      if (closed) return { status: 'settled', repeat: true, ...closed };
      const current = journal.settling()?.batch ?? (await journal.batchNumber());
      if (body.batch !== current) throw new HttpError(404, 'not-found', `batch ${body.batch} is neither closed nor the current batch (${current})`);
    }
    if (controller.busy) throw new HttpError(409, 'busy', 'a transaction is running; settle when the terminal is idle');
    try {
      return await deps.settle();
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'settlement-failed';
      throw new HttpError(code === 'saf-pending' || code === 'busy' ? 409 : 502, code, (err as Error).message);
    }
  });

  app.post('/v1/reprint', async (req) => {
    const body = parseBody(reprintBody, req.body ?? {});
    if (!deps.services) throw new HttpError(404, 'not-found', 'reprint is not available on this terminal');
    const out = await reprint(deps.services, body);
    if (!out.ok && !out.record) throw new HttpError(404, 'not-found', body.stan || body.reference ? `no transaction to reprint: ${out.error}` : 'nothing to reprint yet');
    if (!out.ok) throw new HttpError(409, 'reprint-failed', out.error ?? 'reprint failed');
    return { reference: out.record!.reference, stan: out.record!.stan, copies: out.record!.receipt.reprints, text: out.text };
  });

  /** Asks the host what became of a transaction (e.g. one whose outcome was unknown). Changes nothing locally. */
  app.post('/v1/transactions/:reference/query', async (req) => {
    const { reference: ref } = req.params as { reference: string };
    const rec = await journal.byReference(ref);
    if (!rec) throw new HttpError(404, 'not-found', `no transaction with reference "${ref}"`);
    if (!rec.request) return { local: view(rec), host: null, note: 'never sent to the host' };
    if (!deps.services) throw new HttpError(404, 'not-found', 'host queries are not available on this terminal');
    return { local: view(rec), host: await statusQuery(deps.services, rec) };
  });

  app.post('/v1/sign-on', async () => {
    if (!deps.services) throw new HttpError(404, 'not-found', 'not available');
    return networkCheck(deps.services, 'sign-on');
  });

  app.post('/v1/echo', async () => {
    if (!deps.services) throw new HttpError(404, 'not-found', 'not available');
    return networkCheck(deps.services, 'echo');
  });
}
