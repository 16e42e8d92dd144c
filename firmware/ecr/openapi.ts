// /v1/openapi.json: the ECR API described from the same zod schemas the routes validate with (z.toJSONSchema).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import * as S from './schemas';
import { batchQuery } from './report-routes';

/** Every `error` code the API answers with (docs/api.md lists each; a test checks both ways). */
export const ERROR_CODES = [
  'bad-request', 'bad-json', 'bad-url', 'unsupported-media-type', 'too-large', 'headers-too-large', 'request-timeout', 'not-found',
  'unauthorized', 'forbidden', 'forbidden-host', 'forbidden-origin', 'rate-limited', 'busy', 'overloaded', 'reference-conflict',
  'original-not-found', 'original-not-allowed', 'amount-exceeds', 'original-wrong-type', 'already-sent', 'not-cancellable',
  'nothing-to-confirm', 'saf-pending', 'settlement-in-progress', 'settlement-failed', 'host', 'out-of-balance', 'reprint-failed',
  'printer-not-ready', 'internal',
  'not-simulated', 'not-prompting', 'pin-refused',
] as const;

type Access = 'public' | 'health' | 'cashier' | 'supervisor';

interface Operation {
  method: 'get' | 'post';
  path: string;
  summary: string;
  access: Access;
  body?: z.ZodType;
  query?: z.ZodObject;
  ok: { status: number; schema?: z.ZodType; description: string; contentType?: string }[];
  errors: number[];
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const REF = { name: 'reference', in: 'path', required: true, schema: { type: 'string' } };
const KIND = { name: 'kind', in: 'path', required: true, schema: { type: 'string', enum: ['settlement', 'detail', 'holds'] } };

const OPERATIONS: Operation[] = [
  { method: 'post', path: '/v1/transactions', summary: 'Start a transaction (idempotent by reference); void and refund need the supervisor role', access: 'cashier', body: S.txnBodySchema, ok: [{ status: 200, schema: S.transactionSchema, description: 'Finished' }, { status: 202, schema: S.transactionSchema, description: 'Still running after wait' }], errors: [400, 401, 403, 404, 409, 415, 422] },
  { method: 'get', path: '/v1/transactions', summary: 'List transactions, newest first: filters and cursor paging', access: 'cashier', query: S.listQuerySchema, ok: [{ status: 200, schema: S.listSchema, description: 'One page' }], errors: [400, 401] },
  { method: 'get', path: '/v1/transactions/{reference}', summary: 'One transaction', access: 'cashier', ok: [{ status: 200, schema: S.transactionSchema, description: 'The transaction' }], errors: [401, 404] },
  { method: 'post', path: '/v1/transactions/{reference}/cancel', summary: 'Cancel before anything was sent (also declines a possible duplicate)', access: 'cashier', ok: [{ status: 200, schema: S.transactionSchema, description: 'Cancelled' }], errors: [401, 404, 409] },
  { method: 'post', path: '/v1/transactions/{reference}/confirm', summary: 'Confirm what the transaction awaits (a possible duplicate)', access: 'cashier', ok: [{ status: 200, schema: S.transactionSchema, description: 'Confirmed; the transaction goes on' }], errors: [401, 404, 409] },
  { method: 'post', path: '/v1/transactions/{reference}/query', summary: 'Ask the host what became of a transaction (rate-limited)', access: 'cashier', ok: [{ status: 200, schema: S.querySchema, description: 'Local and host view' }], errors: [401, 404, 429] },
  { method: 'get', path: '/v1/events', summary: 'Event stream (Server-Sent Events), resumable with Last-Event-ID', access: 'cashier', query: S.eventsQuerySchema, ok: [{ status: 200, schema: S.eventSchema, description: 'text/event-stream; each data line is one event', contentType: 'text/event-stream' }], errors: [400, 401] },
  { method: 'post', path: '/v1/settlement', summary: 'End-of-day settlement (idempotent per batch)', access: 'supervisor', body: S.settlementBodySchema, ok: [{ status: 200, schema: S.settlementSchema, description: 'Settled (the batch closed), or nothing to settle' }], errors: [400, 401, 403, 404, 409, 502] },
  ...(['settlement', 'detail', 'holds'] as const).map((kind): Operation => ({ method: 'get', path: `/v1/reports/${kind}`, summary: `The ${kind} report as JSON`, access: 'supervisor', query: batchQuery, ok: [{ status: 200, schema: S.reportSchema, description: 'The report' }], errors: [400, 401, 403, 404] })),
  { method: 'post', path: '/v1/reports/{kind}/print', summary: 'Print a report (a closed batch\'s settlement report as a copy)', access: 'supervisor', body: batchQuery, ok: [{ status: 200, schema: S.reportPrintSchema, description: 'Printed' }], errors: [400, 401, 403, 404, 409] },
  { method: 'post', path: '/v1/reprint', summary: 'Reprint the last or a given receipt (printing only)', access: 'cashier', body: S.reprintBodySchema, ok: [{ status: 200, schema: S.reprintSchema, description: 'Reprinted' }], errors: [400, 401, 404, 409] },
  { method: 'post', path: '/v1/sign-on', summary: 'Sign on to the host (0800; rate-limited)', access: 'supervisor', ok: [{ status: 200, schema: S.networkSchema, description: 'Host answer' }], errors: [401, 403, 429] },
  { method: 'post', path: '/v1/echo', summary: 'Echo test with the host (0800; rate-limited)', access: 'cashier', ok: [{ status: 200, schema: S.networkSchema, description: 'Host answer' }], errors: [401, 429] },
  { method: 'get', path: '/v1/health', summary: 'Terminal health (loopback without a key; otherwise any key)', access: 'health', ok: [{ status: 200, schema: S.healthSchema, description: 'Health' }], errors: [401] },
  { method: 'get', path: '/v1/openapi.json', summary: 'This description', access: 'public', ok: [{ status: 200, description: 'OpenAPI 3.1 document' }], errors: [] },
];

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad request (path names the field)', 401: 'No valid API key', 403: 'The key lacks the role, or a keyless request named another Host/Origin',
  404: 'Not found', 409: 'Busy (Retry-After), conflict, or not possible in this state', 415: 'Not JSON', 422: 'The original does not allow it',
  429: 'Rate-limited (Retry-After)', 502: 'The host did not confirm',
};

/** A JSON Schema from a zod schema, as OpenAPI 3.1 (JSON Schema 2020-12) takes it inline. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function operation(op: Operation): Record<string, unknown> {
  const params: unknown[] = op.path.includes('{reference}') ? [REF] : op.path.includes('{kind}') ? [KIND] : [];
  for (const [name, schema] of Object.entries(op.query?.shape ?? {})) {
    params.push({ name, in: 'query', required: false, schema: jsonSchema(schema as z.ZodType, 'input') });
  }
  if (op.path === '/v1/events') params.push({ name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } });
  const responses: Record<string, unknown> = {};
  for (const ok of op.ok) {
    responses[String(ok.status)] = { description: ok.description, ...(ok.schema ? { content: { [ok.contentType ?? 'application/json']: { schema: jsonSchema(ok.schema, 'output') } } } : {}) };
  }
  for (const status of op.errors) responses[String(status)] = { description: ERROR_TEXT[status], content: { 'application/json': { schema: ref('Error') } } };
  return {
    summary: op.summary,
    operationId: `${op.method}${op.path.replace(/[^A-Za-z]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    'x-posfw-access': op.access,
    ...(op.access === 'public' || op.access === 'health' ? { security: [] } : {}),
    ...(params.length ? { parameters: params } : {}),
    ...(op.body ? { requestBody: { required: op.path === '/v1/transactions', content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of the ECR API. */
export function openApiDocument(version = '0.0.0'): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operation(op);
  const error = jsonSchema(S.errorSchema, 'output');
  (error.properties as Record<string, Record<string, unknown>>).error.examples = [...ERROR_CODES];
  return {
    openapi: '3.1.0',
    info: { title: 'posfw ECR API', version, description: 'Drive the payment terminal from a cash register. Money in minor units. See docs/api.md.' },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    paths,
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'posfw_... keys from `posfw api-keys add`; roles cashier and supervisor' } },
      schemas: { Error: error },
    },
  };
}

/** The routes the document describes (METHOD /path with :params), for tests that compare it with the server and the docs. */
export function describedRoutes(): string[] {
  return OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path.replace(/\{(\w+)\}/g, ':$1')}`);
}

export function registerOpenApi(app: FastifyInstance, version?: string): void {
  // Built on the first request, not at boot: it walks every schema (a few per cent of boot time) and rarely is asked for.
  let doc: string | undefined;
  app.get('/v1/openapi.json', { config: { access: 'public' } }, async (_req, reply) => reply.type('application/json').send((doc ??= JSON.stringify(openApiDocument(version)))));
}
