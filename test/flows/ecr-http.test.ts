// The HTTP surface under hostile or careless callers: one error shape for framework errors too, keyless loopback only
// with a loopback Host and Origin, keys and roles where the board asks for them, timeouts, a connection cap, rate limits.
import { connect, type Socket } from 'node:net';
import { ApiKeyStore, apiKeysFile } from '../../firmware/ecr/api-keys';
import { Harness, sleep, waitFor } from './harness';

/** Raw HTTP/1.1 over a socket: what fetch would not send (bad Host, huge headers, slow requests). */
function raw(url: string, text: string, waitMs = 3000): Promise<{ status: number; body: any; closed: boolean }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), hostname);
    let got = '';
    const timer = setTimeout(() => (s.destroy(), reject(new Error(`no answer to ${text.slice(0, 60)}`))), waitMs);
    s.on('data', (d) => (got += d));
    s.on('error', () => undefined);
    s.on('close', () => {
      clearTimeout(timer);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(got)?.[1] ?? 0);
      const body = got.includes('\r\n\r\n') ? got.slice(got.indexOf('\r\n\r\n') + 4) : '';
      resolve({ status, body: body ? JSON.parse(body) : undefined, closed: true });
    });
    s.write(text);
    if (!/Connection: keep-alive/i.test(text)) s.on('data', () => setTimeout(() => s.end(), 20));
  });
}

const shape = (b: Record<string, unknown>) => expect(Object.keys(b).every((k) => ['error', 'message', 'path'].includes(k)) && typeof b.error === 'string' && typeof b.message === 'string').toBe(true);

describe('ECR HTTP on a simulator board (keyless loopback)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ api: { requestTimeoutMs: 1000, maxConnections: 6 } });
  });
  afterAll(async () => {
    await h.stop();
  });
  afterEach(async () => {
    expect(await h.terminal.money.journal.list()).toEqual([]);
  });

  test('framework errors answer in the one error shape: 404, 413, 415, 431, bad URL, prototype keys', async () => {
    const url = h.terminal.apiUrl;
    const notFound = await h.call('GET', '/v1/nope');
    expect(notFound).toEqual({ status: 404, body: { error: 'not-found', message: 'no route GET /v1/nope' } });
    const big = await h.call('POST', '/v1/transactions', undefined, JSON.stringify({ reference: 'B', type: 'sale', amount: 1, pad: 'x'.repeat(70 * 1024) }));
    expect(big.status).toBe(413);
    expect(big.body.error).toBe('too-large');
    const text = await fetch(`${url}/v1/transactions`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"reference":"T","type":"sale","amount":1}' });
    expect(text.status).toBe(415);
    expect(await text.json()).toEqual({ error: 'unsupported-media-type', message: 'request bodies must be JSON (content-type: application/json)' });
    const form = await fetch(`${url}/v1/transactions`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'reference=T' });
    expect(form.status).toBe(415);
    const headers = await raw(url, `GET /v1/health HTTP/1.1\r\nHost: localhost\r\nX-Pad: ${'a'.repeat(20000)}\r\n\r\n`);
    expect(headers).toMatchObject({ status: 431, body: { error: 'headers-too-large' } });
    const badUrl = await h.call('GET', '/v1/transactions/%E0%A4%A');
    expect(badUrl).toEqual({ status: 400, body: { error: 'bad-url', message: 'the URL is not valid (bad percent-encoding)' } });
    const proto = await h.call('POST', '/v1/transactions', undefined, '{"reference":"P","type":"sale","amount":1,"__proto__":{"polluted":true}}');
    expect(proto).toMatchObject({ status: 400, body: { error: 'bad-json', message: 'request body is not valid JSON: forbidden property name "__proto__"' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const b of [notFound.body, big.body, headers.body, badUrl.body, proto.body]) shape(b);
  });

  test('a request that does not arrive in time gets 408 in the same shape', async () => {
    const slow = await raw(h.terminal.apiUrl, 'POST /v1/transactions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"ref', 5000);
    expect(slow).toMatchObject({ status: 408, body: { error: 'request-timeout' } });
  });

  test('keyless loopback callers must name loopback in Host and come from no foreign Origin (DNS rebinding)', async () => {
    const url = h.terminal.apiUrl;
    const port = new URL(url).port;
    const evil = await raw(url, `GET /v1/transactions HTTP/1.1\r\nHost: evil.example:${port}\r\n\r\n`);
    expect(evil).toMatchObject({ status: 403, body: { error: 'forbidden-host' } });
    const refund = await raw(url, `POST /v1/transactions HTTP/1.1\r\nHost: attacker.test\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`);
    expect(refund.status).toBe(403);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, 'localhost']) expect((await raw(url, `GET /v1/transactions HTTP/1.1\r\nHost: ${host}\r\n\r\n`)).status).toBe(200);
    const origin = await fetch(`${url}/v1/transactions`, { headers: { origin: 'http://evil.example' } });
    expect(origin.status).toBe(403);
    expect(((await origin.json()) as { error: string }).error).toBe('forbidden-origin');
    expect((await fetch(`${url}/v1/transactions`, { headers: { origin: `http://localhost:${port}` } })).status).toBe(200);
    const openapi = await raw(url, `GET /v1/openapi.json HTTP/1.1\r\nHost: evil.example\r\n\r\n`);
    expect(openapi.status).toBe(200);
  });

  test('connections beyond the cap are closed; the API answers again once they are gone', async () => {
    const { hostname, port } = new URL(h.terminal.apiUrl);
    const held: Socket[] = [];
    for (let i = 0; i < 6; i++) {
      const s = connect(Number(port), hostname);
      s.on('error', () => undefined);
      held.push(s);
      await new Promise((r) => s.once('connect', r));
    }
    await sleep(50);
    const extra = await raw(h.terminal.apiUrl, 'GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n').catch(() => ({ status: 0 }));
    expect(extra.status).toBe(0);
    held.forEach((s) => s.destroy());
    await waitFor('API answers again', async () => (await h.health().catch(() => undefined))?.status === 200);
  });

  test('sign-on, echo and status queries are rate-limited with Retry-After', async () => {
    const answers: number[] = [];
    let retry: string | null = null;
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${h.terminal.apiUrl}/v1/echo`, { method: 'POST' });
      answers.push(r.status);
      if (r.status === 429) {
        retry = r.headers.get('retry-after');
        expect(await r.json()).toMatchObject({ error: 'rate-limited' });
      }
    }
    expect(answers).toEqual([200, 200, 200, 429, 429]);
    expect(Number(retry)).toBeGreaterThan(0);
    expect((await h.call('POST', '/v1/sign-on')).status).toBe(429);
  });
});

describe('ECR HTTP on a board that wants keys on loopback too', () => {
  let h: Harness;
  let cashier: string;
  let supervisor: string;
  beforeAll(async () => {
    h = await Harness.start({ api: { loopbackWithoutKey: false } });
    const store = new ApiKeyStore(apiKeysFile(h.dataDir));
    cashier = (await store.create('till', 'cashier')).token;
    supervisor = (await store.create('office', 'supervisor')).token;
  });
  afterAll(async () => {
    await h.stop();
  });

  const get = (path: string, key?: string) => fetch(`${h.terminal.apiUrl}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

  test('401 without a key, 403 without the role; health stays open on loopback for the update guard', async () => {
    const none = await get('/v1/transactions');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="posfw"');
    expect(await none.json()).toEqual({ error: 'unauthorized', message: 'an API key is required on this terminal (Authorization: Bearer <key>; posfw api-keys add)' });
    expect((await get('/v1/transactions', 'posfw_00000000_' + 'A'.repeat(43))).status).toBe(401);
    expect((await get('/v1/transactions', cashier)).status).toBe(200);
    expect((await get('/v1/health')).status).toBe(200);
    expect((await get('/v1/openapi.json')).status).toBe(200);
    const settle = await fetch(`${h.terminal.apiUrl}/v1/settlement`, { method: 'POST', headers: { authorization: `Bearer ${cashier}` } });
    expect(settle.status).toBe(403);
    expect(await settle.json()).toEqual({ error: 'forbidden', message: 'POST /v1/settlement needs the supervisor role; key "till" is cashier' });
    const voided = await fetch(`${h.terminal.apiUrl}/v1/transactions`, { method: 'POST', headers: { authorization: `Bearer ${cashier}`, 'content-type': 'application/json' }, body: JSON.stringify({ reference: 'V', type: 'void', original: { reference: 'X' } }) });
    expect(voided.status).toBe(403);
    const asSupervisor = await fetch(`${h.terminal.apiUrl}/v1/transactions`, { method: 'POST', headers: { authorization: `Bearer ${supervisor}`, 'content-type': 'application/json' }, body: JSON.stringify({ reference: 'V', type: 'void', original: { reference: 'X' } }) });
    expect(asSupervisor.status).toBe(404);
    expect(await h.terminal.money.journal.list()).toEqual([]);
  });

  test('invalid keys are limited per client before they cost an scrypt each', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await get('/v1/transactions', `posfw_${'0'.repeat(8)}_${String(i).padStart(43, 'A')}`)).status);
    // Ten failures a client may make (the test before made one): then 429 without checking the key.
    expect(statuses.slice(0, 9)).toEqual(Array(9).fill(401));
    expect(statuses.slice(9)).toEqual([429, 429, 429]);
    expect((await get('/v1/transactions', cashier)).status).toBe(429);
  });
});

describe('boot fails fast on what the api section names but cannot be read', () => {
  test.each([
    [{ tls: { certFile: '/nonexistent/api-cert.pem', keyFile: '/nonexistent/api-key.pem' } }, /api\.tls\.certFile: cannot read \/nonexistent\/api-cert\.pem: ENOENT \(posfw certs makes a pair\)/],
    [{ webhook: { url: 'http://127.0.0.1:9/h', secretFile: '/nonexistent/secret' } }, /api\.webhook\.secretFile: cannot read \/nonexistent\/secret: ENOENT/],
  ])('%j', async (api, message) => {
    await expect(Harness.start({ api })).rejects.toThrow(message);
  });
});
