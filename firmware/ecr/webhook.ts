// Optional webhook: every event POSTed to the configured URL, HMAC-signed, in order, retried with back-off on the clock.
import { createHmac } from 'node:crypto';
import type { Clock } from '../common/clock';
import type { Logger } from '../log';
import type { EcrEvent } from './events';

export interface WebhookOptions {
  url: string;
  /** HMAC-SHA256 key; the receiver checks `X-Posfw-Signature` with it. */
  secret: string;
  attempts: number;
  retryMs: number;
  retryMaxMs: number;
  timeoutMs: number;
  queueMax: number;
  clock: Clock;
  log: Logger;
  /** Injected for tests; default global fetch. */
  fetch?: typeof fetch;
}

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`: the receiver recomputes it over the raw body and
 * refuses old timestamps (replays).
 */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** Delivers events one at a time, in order; a failed delivery is retried (doubling delay) up to `attempts` times, then dropped and logged. */
export class WebhookSender {
  private readonly queue: EcrEvent[] = [];
  private busy = false;
  private stopped = false;
  private timer: unknown;
  private readonly log: Logger;
  /** Delivered and dropped counts (health, tests). */
  readonly stats = { delivered: 0, dropped: 0, attempts: 0 };

  constructor(private readonly o: WebhookOptions) {
    if (o.secret.length < 16) throw new Error('webhook secret: expected at least 16 characters');
    this.log = o.log.child({ ns: 'api.webhook' });
  }

  enqueue(event: EcrEvent): void {
    if (this.stopped) return;
    this.queue.push(event);
    if (this.queue.length > this.o.queueMax) {
      const lost = this.queue.splice(this.busy ? 1 : 0, 1)[0];
      this.stats.dropped++;
      this.log.warn({ id: lost?.id }, 'webhook queue full: oldest waiting event dropped');
    }
    if (!this.busy) void this.pump(0);
  }

  get pending(): number {
    return this.queue.length;
  }

  stop(): void {
    this.stopped = true;
    this.o.clock.clearTimeout(this.timer);
  }

  private async pump(attempt: number): Promise<void> {
    const event = this.queue[0];
    if (!event || this.stopped) return void (this.busy = false);
    this.busy = true;
    const ok = await this.deliver(event);
    if (this.stopped) return;
    if (ok || attempt + 1 >= this.o.attempts) {
      this.queue.shift();
      if (ok) this.stats.delivered++;
      else {
        this.stats.dropped++;
        this.log.warn({ id: event.id, attempts: attempt + 1 }, 'webhook delivery failed: event dropped');
      }
      return this.pump(0);
    }
    const delay = Math.min(this.o.retryMs * 2 ** attempt, this.o.retryMaxMs);
    this.timer = this.o.clock.setTimeout(() => void this.pump(attempt + 1), delay);
  }

  private async deliver(event: EcrEvent): Promise<boolean> {
    const body = JSON.stringify(event);
    const abort = new AbortController();
    const t = this.o.clock.setTimeout(() => abort.abort(), this.o.timeoutMs);
    this.stats.attempts++;
    try {
      const res = await (this.o.fetch ?? fetch)(this.o.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-posfw-event-id': event.id,
          'x-posfw-signature': signWebhook(this.o.secret, body, Math.floor(this.o.clock.now() / 1000)),
        },
        body,
        signal: abort.signal,
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) this.log.info({ id: event.id, status: res.status }, 'webhook refused');
      return res.ok;
    } catch (err) {
      this.log.info({ id: event.id, err: (err as Error).message }, 'webhook unreachable');
      return false;
    } finally {
      this.o.clock.clearTimeout(t);
    }
  }
}
