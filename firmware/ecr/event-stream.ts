// GET /v1/events: the event stream (Server-Sent Events) an ECR follows instead of polling; resumable with Last-Event-ID.
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { Clock } from '../common/clock';
import type { EcrEvent, EventHub } from './events';
import { parseWith } from './http';
import { eventsQuerySchema } from './schemas';

/** A comment line this often keeps proxies and the ECR's read timeout from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

function frame(e: EcrEvent): string {
  // A resync carries no id: the client's resume point stays where it was until the kept events arrive.
  return `${e.id ? `id: ${e.id}\n` : ''}event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
}

/**
 * Registers the stream. A client that sends `Last-Event-ID` (or `?after=`) first gets every kept event after it;
 * when some were lost (too old, or the terminal restarted) a `resync` event tells it to re-read the transactions it
 * cares about (GET /v1/transactions) before the kept events follow.
 */
export function registerEventStream(app: FastifyInstance, hub: EventHub, clock: Clock): void {
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });

  app.get('/v1/events', { config: { access: 'cashier' } }, (req, reply) => {
    const q = parseWith(eventsQuerySchema, req.query ?? {});
    const header = req.headers['last-event-id'];
    const resume = (Array.isArray(header) ? header[0] : header) ?? q.after;
    const wanted = (e: EcrEvent) => !q.types || e.type === 'resync' || q.types.includes(e.type as 'transaction');
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    const send = (e: EcrEvent) => void (wanted(e) && !res.writableEnded && res.write(frame(e)));
    // Subscribing and reading the ring happen in one turn: nothing can be published in between.
    const off = hub.subscribe(send);
    if (resume !== undefined) {
      const replay = hub.since(resume);
      if (!replay.complete) {
        send({ id: '', type: 'resync', at: new Date(clock.now()).toISOString(), data: { after: resume, reason: 'events after this id are no longer kept or the terminal restarted: re-read the transactions' } });
      }
      replay.events.forEach(send);
    }
    open.add(res);
    let timer: unknown;
    const beat = () => {
      if (res.writableEnded) return;
      res.write(': keep-alive\n\n');
      timer = clock.setTimeout(beat, HEARTBEAT_MS);
    };
    timer = clock.setTimeout(beat, HEARTBEAT_MS);
    const close = () => {
      off();
      clock.clearTimeout(timer);
      open.delete(res);
    };
    res.on('close', close);
    req.raw.on('close', close);
  });
}
