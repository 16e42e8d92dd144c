// GET /v1/transactions: the journal as an ECR lists it, filtered by batch, date, status and type, paged with a cursor.
import type { FastifyInstance } from 'fastify';
import type { FlowController } from '../flows/controller';
import type { Journal } from '../journal/journal';
import type { TxnRecord } from '../journal/types';
import { HttpError, parseWith } from './http';
import { listQuerySchema, type ListQuery } from './schemas';
import { ecrStatus, ecrView } from './view';

/** A query date (`2026-11-30`, a whole day) or time as epoch ms; `end` takes a date's following midnight. */
function instant(value: string, end: boolean): number {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return end && /^\d{4}-\d{2}-\d{2}$/.test(value) ? ms + 86_400_000 : ms;
}

/** Cursors are opaque to the ECR: the base64url of the last record id scanned. */
const encodeCursor = (id: string) => Buffer.from(id).toString('base64url');
function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\d{10}$/.test(id)) throw new HttpError(400, 'bad-request', '$.cursor: not a cursor this terminal gave out', '$.cursor');
  return id;
}

function filters(q: ListQuery): { keep: (r: TxnRecord) => boolean; stop: (r: TxnRecord) => boolean } {
  const batch = q.batch?.padStart(6, '0');
  const from = q.from ? instant(q.from, false) : undefined;
  const to = q.to ? instant(q.to, true) : undefined;
  return {
    keep: (r) => {
      const at = Date.parse(r.createdAt);
      if (batch && r.batch !== batch) return false;
      if (to !== undefined && at >= to) return false;
      if (from !== undefined && at < from) return false;
      if (q.type && !(q.type as string[]).includes(r.type)) return false;
      return !q.status || (q.status as string[]).includes(ecrStatus(r));
    },
    // Records are kept in creation order: newest first, nothing older than `from` can follow.
    stop: (r) => from !== undefined && Date.parse(r.createdAt) < from,
  };
}

export function registerListRoutes(app: FastifyInstance, deps: { journal: Journal; controller: FlowController }): void {
  app.get('/v1/transactions', { config: { access: 'cashier' } }, async (req) => {
    const q = parseWith(listQuerySchema, req.query ?? {});
    const { keep, stop } = filters(q);
    const page = await deps.journal.page({ beforeId: q.cursor ? decodeCursor(q.cursor) : undefined, limit: q.limit, keep, stop });
    return {
      transactions: page.records.map((r) => {
        const step = deps.controller.stepOf(r.reference);
        return ecrView(r, undefined, step === 'printing' || step === 'finished' ? undefined : step);
      }),
      nextCursor: page.cursor ? encodeCursor(page.cursor) : null,
    };
  });
}
