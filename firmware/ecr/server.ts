// The ECR API server as a board describes it: bind address, TLS, keys and roles, limits; and every /v1 route wired to the terminal.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ApiConfig } from '../board/api-schema';
import type { Clock } from '../common/clock';
import type { Logger } from '../log';
import type { FlowController } from '../flows/controller';
import type { ServiceDeps } from '../flows/services';
import type { Journal } from '../journal/journal';
import type { ReceiptService } from '../receipts/receipt-service';
import { installAccess } from './access';
import { registerAdminRoutes } from './admin-routes';
import { ApiKeyStore, apiKeysFile } from './api-keys';
import { registerEcrRoutes } from './ecr-routes';
import { registerEventStream } from './event-stream';
import { EventHub } from './events';
import { createHttpServer } from './http';
import { registerListRoutes } from './list-routes';
import { registerOpenApi } from './openapi';
import { RateLimiter } from './rate-limit';
import { publishTransactionEvents } from './txn-events';
import { WebhookSender } from './webhook';

export interface EcrServerOptions {
  api: ApiConfig;
  dataDir: string;
  log: Logger;
  clock: Clock;
}

/** Webhook secrets read when the server was made (boot fails fast on a missing file), for registerEcrApi. */
const webhookSecrets = new WeakMap<FastifyInstance, string>();

function readWebhookSecret(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new Error(`api.webhook.secretFile: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new Error(`api.tls.${what}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} (posfw certs makes a pair)`);
  }
}

/**
 * The HTTP(S) server with access control installed and /v1/openapi.json served; the caller adds /v1/health and the
 * other routes before listening. Throws when the TLS files or the webhook secret cannot be read.
 */
export function createEcrServer(o: EcrServerOptions): { app: FastifyInstance; keys: ApiKeyStore } {
  const { api } = o;
  const https = api.tls ? { cert: readPem(api.tls.certFile, 'certFile'), key: readPem(api.tls.keyFile, 'keyFile') } : undefined;
  const secret = api.webhook ? readWebhookSecret(api.webhook.secretFile) : undefined;
  if (secret !== undefined && secret.length < 16) throw new Error(`api.webhook.secretFile: ${api.webhook!.secretFile}: expected a secret of at least 16 characters`);
  const app = createHttpServer(o.log, { https, maxConnections: api.maxConnections, requestTimeoutMs: api.requestTimeoutMs });
  const keys = new ApiKeyStore(apiKeysFile(o.dataDir));
  installAccess(app, { keys, loopbackWithoutKey: api.loopbackWithoutKey, failures: new RateLimiter(o.clock, 10, 10) });
  registerOpenApi(app);
  if (secret !== undefined) webhookSecrets.set(app, secret);
  return { app, keys };
}

/** How a client on this machine reaches the server (the bind address, or loopback for a wildcard bind). */
export function apiUrl(api: ApiConfig, port: number): string {
  const host = api.host === '0.0.0.0' || api.host === '::' ? '127.0.0.1' : api.host.includes(':') ? `[${api.host}]` : api.host;
  return `${api.tls ? 'https' : 'http'}://${host}:${port}`;
}

export interface EcrApiDeps {
  api: ApiConfig;
  controller: FlowController;
  services?: ServiceDeps;
  settle?: () => Promise<unknown>;
  journal: Journal;
  receipts: ReceiptService;
  currency: string;
  clock: Clock;
  log: Logger;
}

/** Registers every /v1 route, the event stream and its sources, and the webhook when the board names one. */
export function registerEcrApi(app: FastifyInstance, d: EcrApiDeps): { events: EventHub; webhook?: WebhookSender } {
  const events = new EventHub(d.clock, d.api.eventsKept);
  const hostLimiter = new RateLimiter(d.clock, d.api.hostRequestsPerMinute);
  const printWaitMs = d.api.printWaitSec * 1000;
  registerEcrRoutes(app, { controller: d.controller, services: d.services, journal: d.journal, receipts: d.receipts, clock: d.clock, currency: d.currency, printWaitMs, hostLimiter });
  registerListRoutes(app, { journal: d.journal, controller: d.controller });
  registerAdminRoutes(app, { controller: d.controller, journal: d.journal, services: d.services, settle: d.settle, hostLimiter, events, printWaitMs });
  registerEventStream(app, events, d.clock);
  const off = publishTransactionEvents(d.controller, d.journal, d.receipts, events);
  let webhook: WebhookSender | undefined;
  const w = d.api.webhook;
  if (w) {
    const secret = webhookSecrets.get(app) ?? readWebhookSecret(w.secretFile);
    webhook = new WebhookSender({ url: w.url, secret, attempts: w.attempts, retryMs: w.retryMs, retryMaxMs: w.retryMaxMs, timeoutMs: w.timeoutMs, queueMax: w.queueMax, clock: d.clock, log: d.log });
    const sender = webhook;
    events.subscribe((e) => sender.enqueue(e));
  }
  app.addHook('onClose', async () => {
    off();
    webhook?.stop();
  });
  return { events, webhook };
}
