// Reports over the ECR API: settlement (per batch), batch detail, open pre-auth holds, as JSON or printed.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError, parseBody } from './http';
import type { Journal } from '../journal/journal';
import type { ReceiptService } from '../receipts/receipt-service';
import type { TerminalConfig } from '../board/schema';
import type { Clock } from '../common/clock';
import { detailReport, holdsReport, settlementReport } from '../money/reports';
import { detailReportDoc, holdsReportDoc, settlementReportDoc } from '../receipts/report-doc';

export interface ReportDeps {
  journal: Journal;
  receipts: ReceiptService;
  terminal: TerminalConfig;
  clock: Clock;
  holdDays: number;
}

/** The `batch` of a report query or print body (shared with /v1/openapi.json). */
export const batchQuery = z.strictObject({ batch: z.string().regex(/^\d{1,6}$/, 'expected a batch number').optional() });
const KINDS = ['settlement', 'detail', 'holds'] as const;
type Kind = (typeof KINDS)[number];

export function registerReportRoutes(app: FastifyInstance, d: ReportDeps): void {
  const batchOf = (q: unknown) => parseBody(batchQuery, q ?? {}).batch?.padStart(6, '0');

  async function report(kind: Kind, batch: string | undefined) {
    if (kind === 'detail') return detailReport(d.journal, batch);
    if (kind === 'holds') return holdsReport(d.journal, d.clock.now(), d.holdDays);
    const r = await settlementReport(d.journal, batch);
    if (!r) throw new HttpError(404, 'not-found', `batch ${batch} was never settled on this terminal`);
    return r;
  }

  for (const kind of KINDS) {
    app.get(`/v1/reports/${kind}`, async (req) => report(kind, batchOf(req.query)));
  }

  /** Prints a report; the settlement report of a closed batch printed here is a copy (marked DUPLICATE). */
  app.post('/v1/reports/:kind/print', async (req) => {
    const { kind } = req.params as { kind: string };
    if (!(KINDS as readonly string[]).includes(kind)) throw new HttpError(404, 'not-found', `no report "${kind}"; reports are ${KINDS.join(', ')}`);
    const r = await report(kind as Kind, batchOf(req.body));
    const o = { terminal: d.terminal, printedAt: new Date(d.clock.now()), duplicate: r.kind === 'settlement' && r.status === 'settled' };
    const doc = r.kind === 'settlement' ? settlementReportDoc(r, o) : r.kind === 'detail' ? detailReportDoc(r, o) : holdsReportDoc(r, o);
    const out = await d.receipts.printDoc(doc);
    if (!out.printed) throw new HttpError(409, 'printer-not-ready', 'the printer did not take the report (paper out, cover open or no printer)');
    return { printed: true, report: r.kind, text: out.text };
  });
}

/** Prints the settlement report of a batch just closed (its first copy); a printer fault is logged, never fatal. */
export async function printSettlementReport(d: ReportDeps, batch: string): Promise<boolean> {
  const r = await settlementReport(d.journal, batch);
  if (!r) return false;
  const out = await d.receipts.printDoc(settlementReportDoc(r, { terminal: d.terminal, printedAt: new Date(d.clock.now()), duplicate: false }));
  return out.printed;
}
