// Board config `api` section: where the ECR API listens, TLS, who may call it without a key, limits, the webhook.
import { isIP } from 'node:net';
import { z } from 'zod';

/** Largest delay Node's timers take (2^31 − 1 ms); a longer one fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (`::ffff:127.0.0.1`). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || (isIP(a) === 4 && a.startsWith('127.'));
}

export const tlsSchema = z.strictObject({
  certFile: z.string().min(1).describe('PEM certificate chain of the terminal (posfw certs makes a self-signed one)'),
  keyFile: z.string().min(1).describe('PEM private key of that certificate'),
});

export const webhookSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).describe('Every event is POSTed here as JSON'),
  secretFile: z.string().min(1).describe('File holding the HMAC-SHA256 signing secret (X-Posfw-Signature: t=..,v1=..)'),
  attempts: z.number().int().min(1).max(20).default(8).describe('Deliveries tried per event before it is dropped (logged)'),
  retryMs: z.number().int().min(100, 'expected at least 100 ms between webhook retries').max(MAX_TIMER_MS).default(1000).describe('First retry delay; doubles per attempt'),
  retryMaxMs: z.number().int().min(100).max(MAX_TIMER_MS).default(60000),
  timeoutMs: z.number().int().min(100).max(MAX_TIMER_MS).default(5000).describe('One delivery attempt'),
  queueMax: z.number().int().min(1).max(10000).default(1000).describe('Events waiting for delivery; the oldest is dropped beyond this'),
});

export const apiSchema = z
  .strictObject({
    host: z
      .string()
      .refine((h) => isIP(h) !== 0, 'expected an IP address to bind: 127.0.0.1 (loopback), 0.0.0.0 (every interface) or one LAN address')
      .default('127.0.0.1')
      .describe('Bind address of the ECR API; anything but loopback needs tls'),
    port: z.number().int().min(0).max(65535).default(8210),
    tls: tlsSchema.optional(),
    loopbackWithoutKey: z
      .boolean()
      .default(false)
      .describe('Callers on loopback need no API key (simulator boards); the Host header must still name loopback (DNS rebinding)'),
    maxConnections: z.number().int().min(2).max(1024).default(32).describe('Open connections at once (event streams count); more are refused'),
    requestTimeoutMs: z.number().int().min(1000).max(MAX_TIMER_MS).default(10000).describe('Time for a request line, headers and body to arrive'),
    hostRequestsPerMinute: z.number().int().min(1).max(600).default(12).describe('Sign-on, echo and status queries (they reach the acquirer) per minute'),
    printWaitSec: z.number().int().min(0).max(120).default(20).describe('A new transaction waits this long for the last one to finish printing before answering busy'),
    eventsKept: z.number().int().min(10).max(100000).default(1000).describe('Events kept for resuming an event stream (Last-Event-ID)'),
    webhook: webhookSchema.optional(),
  })
  .superRefine((api, ctx) => {
    if (!isLoopbackAddress(api.host) && !api.tls) {
      ctx.addIssue({ code: 'custom', path: ['tls'], message: `expected tls {certFile, keyFile}: the ECR API on ${api.host} is reachable from the LAN and must use TLS` });
    }
    if (api.webhook && api.webhook.retryMaxMs < api.webhook.retryMs) {
      ctx.addIssue({ code: 'custom', path: ['webhook', 'retryMaxMs'], message: `expected at least retryMs (${api.webhook.retryMs})` });
    }
  });

export type ApiConfig = z.infer<typeof apiSchema>;
