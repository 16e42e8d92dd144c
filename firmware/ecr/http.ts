// Shared HTTP plumbing for the loopback API: fastify instance, JSON error shape, and zod body validation.
import Fastify, { type FastifyInstance, type FastifyError } from 'fastify';
import type { z } from 'zod';
import type { Logger } from '../log';
import { jsonPath } from '../board/load';

/** An error with an HTTP status and a machine-readable code; `message` says what was wrong. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Validates a request body; a 400 names the field and what was expected. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === undefined || body === null) throw new HttpError(400, 'bad-request', 'request body must be a JSON object');
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => {
    if (i.code === 'unrecognized_keys') return `${jsonPath(i.path)}: unknown field(s) ${i.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${jsonPath(i.path)}: ${i.message}`;
  });
  throw new HttpError(400, 'bad-request', problems.join('; '));
}

export function createHttpServer(log: Logger): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  const httpLog = log.child({ ns: 'api' });
  // Our own JSON parser so a bad body gets a 400 that says where the JSON broke.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    if (body === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch (err) {
      done(new HttpError(400, 'bad-json', `request body is not valid JSON: ${(err as Error).message}`), undefined);
    }
  });
  app.setErrorHandler((err: FastifyError | HttpError, req, reply) => {
    if (err instanceof HttpError) {
      return reply.status(err.status).send({ error: err.code, message: err.message });
    }
    const status = (err as FastifyError).statusCode ?? 500;
    if (status >= 500) httpLog.error({ err, url: req.url }, 'request failed');
    const code = status === 415 ? 'unsupported-media-type' : status === 413 ? 'too-large' : 'bad-request';
    return reply.status(status).send({ error: status >= 500 ? 'internal' : code, message: status >= 500 ? 'internal error' : err.message });
  });
  app.setNotFoundHandler((req, reply) => reply.status(404).send({ error: 'not-found', message: `no route ${req.method} ${req.url}` }));
  return app;
}
