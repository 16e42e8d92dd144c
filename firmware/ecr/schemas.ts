// The ECR API's shapes, once: request validation uses them, /v1/openapi.json is generated from them, view tests check answers against them.
import { z } from 'zod';
import { TXN_TYPES } from '../journal/types';
import { DECLINE_REASONS } from './decline-reasons';

export const referenceSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\x21-\x7e]+$/, 'expected 1-64 printable ASCII characters without spaces')
  .describe("The ECR's own reference: idempotent (the same reference with the same request is the same transaction)");

export const originalSelectorSchema = z
  .strictObject({
    reference: referenceSchema.optional(),
    rrn: z.string().regex(/^[0-9A-Za-z]{1,12}$/).optional(),
    stan: z.string().regex(/^\d{1,6}$/).optional().describe('Trace number in the current batch'),
  })
  .describe('The original of a void, refund or completion: one of reference, rrn, stan');

export const txnBodySchema = z
  .strictObject({
    reference: referenceSchema,
    type: z.enum(TXN_TYPES),
    amount: z.number().int('expected whole minor units (e.g. 1234 for 12.34)').positive().max(999_999_999_999).optional().describe('Minor units; not for balance; a void may leave it out'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as CNY').optional().describe("Must be the terminal's (the default)"),
    original: originalSelectorSchema.optional(),
    wait: z.number().min(0).max(300).optional().describe('Seconds to wait for the outcome (default 120); then 202 with the state so far'),
    wallet: z.enum(['wechat', 'alipay', 'unionpay']).optional().describe('qr-present: the wallet the QR is for (the board default otherwise)'),
    expiresInSec: z.number().int().min(10).max(900).optional().describe('qr-present: how long the QR stays open (default 120)'),
    operator: z.string().regex(/^\d{2}$/, 'expected a two-digit operator id such as "01"').optional().describe('The cashier the register names (journal record, slips, per-operator totals); the one logged in at the keypad otherwise'),
  })
  .describe('Starts a transaction');
export type TxnBody = z.infer<typeof txnBodySchema>;

export const settlementBodySchema = z.strictObject({ batch: z.string().regex(/^\d{6}$/, 'expected a 6-digit batch number').optional().describe('Idempotent per batch: a closed batch answers its settlement again') });

export const reprintBodySchema = z.strictObject({ stan: z.string().regex(/^\d{1,6}$/).optional(), reference: referenceSchema.optional() });

export const ECR_STATUSES = ['in-progress', 'approved', 'declined', 'failed', 'reversed', 'voided', 'cancelled'] as const;
/** What the terminal waits for while a transaction runs; `awaiting-customer` is for QR payments. */
export const ECR_STEPS = ['awaiting-card', 'awaiting-pin', 'awaiting-confirmation', 'authorising', 'awaiting-customer', 'printing'] as const;
export const ECR_STATES = [...ECR_STEPS, ...ECR_STATUSES.filter((s) => s !== 'in-progress')] as const;

const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()))
    .pipe(z.array(z.enum(values)).min(1))
    .describe(`Comma-separated: ${values.join(', ')}`);

const dateOrTime = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && !Number.isNaN(Date.parse(s)), 'expected a date (2026-11-30) or an ISO 8601 time')
  .describe('A date (whole day, UTC) or an ISO 8601 time');

export const listQuerySchema = z.strictObject({
  batch: z.string().regex(/^\d{1,6}$/, 'expected a batch number').optional(),
  status: csv(ECR_STATUSES).optional(),
  type: csv(TXN_TYPES as unknown as readonly [string, ...string[]]).optional(),
  from: dateOrTime.optional().describe('Created at or after'),
  to: dateOrTime.optional().describe('Created before (a date: up to the end of that day)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'expected a cursor from nextCursor').optional(),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

export const eventsQuerySchema = z.strictObject({
  after: z.string().max(64).optional().describe('Resume after this event id (instead of the Last-Event-ID header)'),
  types: csv(['transaction', 'device', 'settlement'] as const).optional(),
});

export const transactionSchema = z.object({
  reference: z.string(),
  type: z.enum(TXN_TYPES),
  status: z.enum(ECR_STATUSES),
  state: z.enum(ECR_STATES).describe('What the terminal waits for, then the final status'),
  amount: z.number().int().describe('Minor units'),
  currency: z.string(),
  responseCode: z.string().nullable(),
  declineReason: z.enum(DECLINE_REASONS).optional().describe('Normalised reason beside responseCode, when declined'),
  authCode: z.string().nullable(),
  rrn: z.string().nullable(),
  stan: z.string(),
  batch: z.string(),
  maskedPan: z.string().nullable(),
  reversal: z.enum(['pending', 'done', 'in-doubt']).nullable().describe('in-doubt: the host keeps refusing the reversal while the original may stand (still retried; the operator is alerted)'),
  balance: z.string().optional().describe('Deprecated: the balance as text (999987.66); use balanceMinor'),
  balanceMinor: z.number().int().optional().describe('Available balance in minor units (negative when in debit)'),
  original: z.string().optional(),
  reason: z.string().optional(),
  confirmation: z.object({ reason: z.enum(['possible-duplicate']) }).optional().describe('What awaiting-confirmation asks (confirm or cancel)'),
  recovered: z.boolean().optional(),
  createdAt: z.string(),
  receipt: z.object({ merchant: z.string(), customer: z.string().optional() }).optional(),
  qr: z
    .object({
      wallet: z.string(),
      maskedCode: z.string().optional().describe("B扫C: the customer's payment code, first 4 / last 4"),
      order: z.string().optional().describe("The wallet's order number"),
      payload: z.string().optional().describe('C扫B: the EMVCo QR to show a customer display, while the order waits to be paid'),
      deadline: z.string().optional().describe('When the terminal stops waiting for the customer (revoke / close)'),
      latePayment: z.object({ refund: z.string().nullable() }).optional().describe('Paid as the order closed: refunded at once by this refund'),
    })
    .optional()
    .describe('QR payments'),
});

export const errorSchema = z
  .object({
    error: z.string().describe('Machine code'),
    message: z.string(),
    path: z.string().optional().describe('JSON path of the offending field ($.amount)'),
    doing: z.record(z.string(), z.unknown()).optional().describe('busy: what the terminal is doing'),
  })
  .describe('Every error');

export const listSchema = z.object({ transactions: z.array(transactionSchema), nextCursor: z.string().nullable() });

export const eventSchema = z.object({
  id: z.string().describe('Resumable: send it back as Last-Event-ID'),
  type: z.enum(['transaction', 'device', 'settlement', 'resync']),
  at: z.string(),
  data: z.record(z.string(), z.unknown()),
});

export const settlementSchema = z
  .object({
    status: z.enum(['settled', 'nothing-to-settle']),
    batch: z.string(),
    nextBatch: z.string().optional(),
    totals: z.object({ debitCount: z.number().int(), debitAmount: z.number().int(), creditCount: z.number().int(), creditAmount: z.number().int() }).optional().describe('Amounts in minor units'),
    uploaded: z.boolean().optional(),
    settledAt: z.string().optional(),
    repeat: z.boolean().optional().describe('A closed batch answered again'),
  })
  .loose();
export const reportSchema = z.object({ kind: z.enum(['settlement', 'detail', 'holds']) }).loose().describe('Report as JSON (amounts in minor units, card numbers masked)');
export const reportPrintSchema = z.object({ printed: z.boolean(), report: z.string(), text: z.string() });

export const reprintSchema = z.object({ reference: z.string(), stan: z.string(), copies: z.number().int(), text: z.string().optional() });
export const networkSchema = z.object({ kind: z.string(), ok: z.boolean(), responseCode: z.string().nullable().optional() }).loose();
export const querySchema = z.object({ local: transactionSchema, host: networkSchema.nullable(), note: z.string().optional() });
export const healthSchema = z.object({ status: z.enum(['ok', 'degraded']), board: z.string(), terminalId: z.string(), busy: z.boolean(), batch: z.string(), batchCounted: z.number().int(), safPending: z.number().int() }).loose();
