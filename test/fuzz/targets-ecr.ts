// Fuzz target over the ECR API: hostile bodies, content types, queries, URLs and raw headers against a running terminal.
import { connect } from 'node:net';
import { ERROR_CODES } from '../../firmware/ecr/openapi';
import type { Harness } from '../flows/harness';
import { Crash, withPrototypeKey, type Rng } from './fuzz-kit';

type Verdict = { verdict: 'accepted' | 'rejected'; input: string };

const BODIES: Array<Record<string, unknown>> = [
  { type: 'sale', amount: 100 },
  { type: 'preauth', amount: 5000 },
  { type: 'balance' },
  { type: 'void', original: { reference: 'NOPE' } },
  { type: 'refund', amount: 5, original: { stan: '1' } },
  { type: 'completion', amount: 5, original: { rrn: '123456789012' } },
];
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', ''];
const PATHS = ['/v1/transactions', '/v1/transactions', '/v1/transactions', '/v1/reprint', '/v1/transactions/FZ/cancel', '/v1/transactions/FZ/confirm', '/v1/transactions/%ZZ', '/v1/transactions/' + 'R'.repeat(300), '/v1/../v1/health', '/v1/transactions?limit=-1&status=x', '/v1/events?types=bogus', '/v1/transactions?cursor=%00', '/sim/keys', '/sim/card', '/v1//transactions'];
const ALLOWED_STATUS = new Set([200, 202, 400, 401, 403, 404, 405, 408, 409, 413, 415, 422, 429, 431]);

function body(rng: Rng, i: number): string {
  const b: Record<string, unknown> = { reference: `FZ-${i}`, ...structuredClone(rng.pick(BODIES)) };
  for (let n = rng.int(4); n > 0; n--) {
    const key = rng.pick(['reference', 'type', 'amount', 'currency', 'original', 'wait', 'tip', 'card', 'pan', 'x'.repeat(50)]);
    if (rng.chance(0.2)) delete b[key];
    else b[key] = rng.hostileValue();
  }
  // Never a long wait: an accepted transaction is answered at once (202) and cancelled by the target.
  if (typeof b.wait === 'number' && b.wait > 0 && b.wait <= 300) b.wait = 0;
  else if (!('wait' in b)) b.wait = 0;
  let text = JSON.stringify(rng.chance(0.05) ? rng.hostileValue() : b);
  if (rng.chance(0.15)) text = withPrototypeKey(text, rng);
  if (rng.chance(0.15)) text = rng.mutate(Buffer.from(text)).toString('latin1');
  if (rng.chance(0.03)) text = text + ' '.repeat(70 * 1024);
  return text;
}

/** A raw request: odd request lines, header names and values, Host and Origin, lengths, encodings. */
function rawRequest(rng: Rng): string {
  const line = rng.pick(['GET /v1/health HTTP/1.1', 'POST /v1/transactions HTTP/1.1', 'GET /v1/transactions?x=%GG HTTP/1.1', 'BREW /v1/health HTTP/1.1', 'GET /v1/health HTTP/9.9', 'GET  HTTP/1.1', 'GET /v1/health', '\x00\x01\x02', 'GET /v1/openapi.json HTTP/1.0']);
  const headers = [rng.pick(['Host: localhost', 'Host: evil.example', 'Host: 127.0.0.1:1', 'Host: [::1]', 'Host:', '', 'Host: localhost\r\nHost: evil.example'])];
  if (rng.chance(0.3)) headers.push(`Authorization: ${rng.pick(['Bearer ', 'Bearer posfw_00000000_' + 'A'.repeat(43), 'Basic dXNlcjpwYXNz', 'Bearer ' + 'x'.repeat(5000), 'bearer\tposfw'])}`);
  if (rng.chance(0.2)) headers.push(`Origin: ${rng.pick(['http://evil.example', 'null', 'http://localhost', 'file://', '::::'])}`);
  if (rng.chance(0.2)) headers.push(`X-${rng.text(8).replace(/[\r\n:]/g, '')}: ${rng.text(30).replace(/[\r\n]/g, '')}`);
  if (rng.chance(0.05)) headers.push(`X-Pad: ${'a'.repeat(20000)}`);
  const payload = rng.chance(0.5) ? JSON.stringify({ reference: 'RAW', type: 'sale', amount: 1, wait: 0 }) : '';
  if (payload) {
    headers.push('Content-Type: application/json');
    headers.push(rng.pick([`Content-Length: ${payload.length}`, `Content-Length: ${payload.length + 5}`, 'Content-Length: -1', `Content-Length: ${payload.length}\r\nContent-Length: 3`, 'Transfer-Encoding: chunked']));
  }
  return `${line}\r\n${headers.filter(Boolean).join('\r\n')}\r\n\r\n${payload}`;
}

/** Every response in a raw stream (a request with a body the server did not expect may get two answers on one connection). */
function responses(got: string): Array<{ status: number; body: string }> {
  const out: Array<{ status: number; body: string }> = [];
  let rest = got;
  while (rest.startsWith('HTTP/')) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const head = rest.slice(0, end);
    const len = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? NaN);
    const chunked = /\r\ntransfer-encoding: *chunked/i.test(head);
    const bodyEnd = Number.isFinite(len) ? end + 4 + len : chunked ? rest.indexOf('\r\n0\r\n\r\n', end) + 7 : rest.length;
    out.push({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), body: rest.slice(end + 4, bodyEnd) });
    rest = rest.slice(bodyEnd);
  }
  return out;
}

function sendRaw(url: string, text: string): Promise<Array<{ status: number; body: string }>> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), hostname);
    let got = '';
    const timer = setTimeout(() => (s.destroy(), reject(new Error('raw request hung for 3 s'))), 3000);
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => {
      clearTimeout(timer);
      resolve(responses(got));
    });
    // Half-closing at once would make Node drop the answer (a started transaction the client never hears of):
    // end once an answer came, or after a moment for requests that never complete.
    s.write(text, 'latin1');
    const quiet = setTimeout(() => s.end(), 150);
    s.on('data', () => {
      clearTimeout(quiet);
      setTimeout(() => s.end(), 20);
    });
  });
}

/** An error answer must be the one shape with a known code. */
function checkShape(status: number, text: string, input: string): void {
  if (status < 400) return;
  let b: Record<string, unknown>;
  try {
    b = JSON.parse(text.replace(/^[0-9a-f]+\r\n/, '').replace(/\r\n0\r\n\r\n$/, ''));
  } catch {
    throw Object.assign(new Crash(`${status} without a JSON body: ${text.slice(0, 200)}`), { input });
  }
  if (typeof b.error !== 'string' || !(ERROR_CODES as readonly string[]).includes(b.error) || typeof b.message !== 'string' || !b.message) {
    throw Object.assign(new Crash(`${status} not in the error shape: ${text.slice(0, 200)}`), { input });
  }
}

/** The ECR target over a running terminal: never a 5xx or a hang, errors in one shape, rejected input writes nothing. */
export function ecrRequests(h: Harness): (rng: Rng, i: number) => Promise<Verdict> {
  const journal = h.terminal.money.journal;
  return async (rng, i) => {
    const writes = journal.stats.writes;
    let status: number;
    let text: string;
    let input: string;
    if (rng.chance(0.25)) {
      input = rawRequest(rng);
      const all = await sendRaw(h.terminal.apiUrl, input);
      for (const r of all.slice(1)) checkShape(r.status, r.body, input);
      ({ status, body: text } = all[0] ?? { status: 0, body: '' });
    } else {
      const path = rng.chance(0.7) ? '/v1/transactions' : rng.pick(PATHS);
      const method = rng.chance(0.9) ? 'POST' : rng.pick(['GET', 'PUT', 'DELETE', 'PATCH']);
      const payload = body(rng, i);
      const ct = rng.pick(CONTENT_TYPES);
      input = `${method} ${path} [${ct}] ${payload.slice(0, 300)}`;
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), 3000);
      try {
        const res = await fetch(h.terminal.apiUrl + path, { method, headers: ct ? { 'content-type': ct } : {}, body: method === 'GET' ? undefined : payload, signal: abort.signal });
        status = res.status;
        text = res.headers.get('content-type')?.startsWith('text/event-stream') ? '' : await res.text();
        if (!text) abort.abort();
      } catch (err) {
        throw Object.assign(new Crash(`request failed or hung: ${(err as Error).message}`), { input });
      } finally {
        clearTimeout(timer);
      }
    }
    if (status >= 500 || (status !== 0 && !ALLOWED_STATUS.has(status))) throw Object.assign(new Crash(`answered ${status}: ${text.slice(0, 200)}`), { input });
    checkShape(status, text, input);
    const created = journal.stats.writes !== writes;
    if (created && !(status === 200 || status === 202)) throw Object.assign(new Crash(`rejected input (${status}) wrote to the journal`), { input });
    if (!created) return { verdict: status >= 400 || status === 0 ? 'rejected' : 'accepted', input };
    // A transaction started: cancel it (nothing was sent) so the next input finds the terminal idle.
    const ref = h.terminal.controller.activeReference;
    if (ref) await h.terminal.controller.cancel(ref);
    await h.terminal.controller.whenIdle(5000);
    return { verdict: 'accepted', input };
  };
}
