// Shared HTTP plumbing for the ECR and /sim APIs: fastify instance, the one JSON error shape, and zod body validation.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyError, type FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { Logger } from '../log';
import { jsonPath } from '../board/load';

/**
 * The one error shape of every answer that is not a success: a machine `error` code, a `message` for people, and
 * `path`, the JSON path of the offending field (`$.amount`, `$.original.stan`), when one is at fault.
 */
export interface ErrorBody {
  error: string;
  message: string;
  path?: string;
  [extra: string]: unknown;
}

/** An error with an HTTP status and a machine-readable code; `message` says what was wrong. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** JSON path of the request field at fault. */
    readonly path?: string,
    /** Response headers to send with it (`Retry-After`, `WWW-Authenticate`). */
    readonly headers: Record<string, string> = {},
    /** Further members of the error body (e.g. `doing` of a busy answer). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  body(): ErrorBody {
    return { error: this.code, message: this.message, ...(this.path ? { path: this.path } : {}), ...this.extra };
  }
}

/** Validates a request body; a 400 names the field (`path`) and what was expected. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === undefined || body === null) throw new HttpError(400, 'bad-request', 'request body must be a JSON object');
  return parseWith(schema, body);
}

/** Validates any request part (body, query); the error names the first offending field. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, root: PropertyKey[] = []): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  const problems = r.error.issues.map((i) => {
    if (i.code === 'unrecognized_keys') return `${jsonPath([...root, ...i.path])}: unknown field(s) ${i.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${jsonPath([...root, ...i.path])}: ${i.message}`;
  });
  const path = first.code === 'unrecognized_keys' && first.keys.length ? [...root, ...first.path, first.keys[0]] : [...root, ...first.path];
  throw new HttpError(400, 'bad-request', problems.join('; '), jsonPath(path));
}

/** Property names refused in any request body: they could reach a prototype when a body is merged or copied. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** JSON.parse that refuses prototype keys (400 bad-json). */
export function parseJson(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => {
    if (FORBIDDEN_KEYS.has(key)) throw new SyntaxError(`forbidden property name "${key}"`);
    return value;
  });
}

export interface HttpServerOptions {
  /** TLS certificate chain and key (PEM): the server speaks HTTPS only. */
  https?: { cert: Buffer | string; key: Buffer | string };
  /** Connections open at once; more are closed as they arrive. */
  maxConnections?: number;
  /** Time for the request line, headers and body to arrive (ms). */
  requestTimeoutMs?: number;
  /** Largest request body (bytes). */
  bodyLimit?: number;
}

/** Framework errors by fastify code: status, our code, our message. */
function frameworkError(err: FastifyError): { status: number; code: string; message: string } | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'unsupported-media-type', message: 'request bodies must be JSON (content-type: application/json)' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'too-large', message: `request body is too large: ${err.message}` };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, code: 'bad-request', message: 'content-length does not match the body' };
    default:
      return undefined;
  }
}

/** What a connection-level failure (before any route) is answered with, in the same error shape. */
function clientErrorAnswer(err: NodeJS.ErrnoException): { status: number; body: ErrorBody } {
  if (err.code === 'HPE_HEADER_OVERFLOW') return { status: 431, body: { error: 'headers-too-large', message: 'request headers are too large' } };
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, body: { error: 'request-timeout', message: 'the request did not arrive in time' } };
  return { status: 400, body: { error: 'bad-request', message: 'malformed HTTP request' } };
}

function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, body } = clientErrorAnswer(err);
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
  }
  socket.destroy();
}

/** Sends an HttpError as the one error shape, with its headers. */
export function sendError(reply: FastifyReply, err: HttpError): FastifyReply {
  for (const [k, v] of Object.entries(err.headers)) void reply.header(k, v);
  return reply.status(err.status).send(err.body());
}

function noFastifySchemas(): never {
  throw new Error('fastify route schemas are not used here: validate the body with parseBody (zod)');
}

export function createHttpServer(log: Logger, opts: HttpServerOptions = {}): FastifyInstance {
  const httpLog = log.child({ ns: 'api' });
  const requestTimeout = opts.requestTimeoutMs ?? 10_000;
  // Node checks request deadlines on an interval (30 s by default): check often enough for the deadline to mean something.
  // requireHostHeader false: Node's own 400 for a missing Host has no body; the hook below answers it in our shape.
  const timing = { requestTimeout, headersTimeout: requestTimeout, connectionsCheckingInterval: Math.max(250, Math.min(1000, Math.floor(requestTimeout / 4))), requireHostHeader: false };
  const app = Fastify({
    logger: false,
    // Requests are checked with zod (parseBody) and answers are plain JSON: no route carries a fastify schema, so
    // neither ajv nor fast-json-stringify is loaded (about a tenth of boot time). A route that adds one fails loudly.
    schemaController: { compilersFactory: { buildValidator: noFastifySchemas, buildSerializer: noFastifySchemas } },
    bodyLimit: opts.bodyLimit ?? 64 * 1024,
    requestTimeout,
    ...(opts.https ? { https: { ...opts.https, ...timing } } : { http: timing }),
    clientErrorHandler: answerClientError,
    frameworkErrors: (err, _req, reply) => {
      const bad = err.code === 'FST_ERR_BAD_URL';
      void sendError(reply as unknown as FastifyReply, new HttpError(400, bad ? 'bad-url' : 'bad-request', bad ? 'the URL is not valid (bad percent-encoding)' : err.message));
    },
  }) as unknown as FastifyInstance;
  if (opts.maxConnections) app.server.maxConnections = opts.maxConnections;
  // Our own JSON parser (and no other): a bad body gets a 400 that says where the JSON broke; other types get 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    if (body === '') return done(null, undefined);
    try {
      done(null, parseJson(body as string));
    } catch (err) {
      done(new HttpError(400, 'bad-json', `request body is not valid JSON: ${(err as Error).message}`), undefined);
    }
  });
  app.setErrorHandler((err: FastifyError | HttpError, req, reply) => {
    if (err instanceof HttpError) return sendError(reply, err);
    const known = frameworkError(err as FastifyError);
    if (known) return sendError(reply, new HttpError(known.status, known.code, known.message));
    const status = (err as FastifyError).statusCode ?? 500;
    if (status >= 500) httpLog.error({ err, url: req.url }, 'request failed');
    return sendError(reply, status >= 500 ? new HttpError(500, 'internal', 'internal error') : new HttpError(status, 'bad-request', err.message));
  });
  app.addHook('onRequest', async (req) => {
    if (req.raw.httpVersionMajor === 1 && req.raw.httpVersionMinor >= 1 && !req.headers.host) throw new HttpError(400, 'bad-request', 'an HTTP/1.1 request needs a Host header');
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, new HttpError(404, 'not-found', `no route ${req.method} ${req.url.slice(0, 200)}`)));
  return app;
}
