// The webhook as a board configures it: a receiver on this machine gets every event, signed, in order, after refusing some.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Harness, waitFor } from './harness';

const SECRET = 'shop-17-webhook-secret-0123456789';

describe('webhook', () => {
  let h: Harness;
  let server: Server;
  let dir: string;
  const got: Array<{ id: string; type: string; data: any; signature: string; raw: string }> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  let refuse = 2;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'posfw-webhook-'));
    writeFileSync(join(dir, 'secret'), `${SECRET}\n`);
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => (raw += d));
      req.on('end', () => {
        if (refuse > 0) {
          refuse--;
          res.writeHead(503).end();
          return;
        }
        const e = JSON.parse(raw);
        got.push({ ...e, signature: String(req.headers['x-posfw-signature']), raw });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    h = await Harness.start({ api: { webhook: { url: `http://127.0.0.1:${port}/posfw`, secretFile: join(dir, 'secret'), retryMs: 100, retryMaxMs: 200 } } });
  });
  afterAll(async () => {
    await h.stop();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  test('every transaction event arrives signed and in order, refused deliveries retried', async () => {
    await h.cardTxn({ reference: 'WH-1', type: 'sale', amount: 1500 });
    const final = await waitFor('final event delivered', () => got.find((e) => e.type === 'transaction' && e.data.reference === 'WH-1' && e.data.state === 'approved'), 8000);
    const states = got.filter((e) => e.data.reference === 'WH-1').map((e) => e.data.state);
    expect(states).toEqual(['awaiting-card', 'awaiting-pin', 'authorising', 'printing', 'approved']);
    const seqs = got.map((e) => Number(e.id.split('.')[1]));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const [t, v1] = final.signature.split(',').map((p) => p.split('=')[1]);
    expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${final.raw}`).digest('hex'));
    expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(600);
    expect(refuse).toBe(0);
    expect(final.raw).not.toContain('4761739001010010');
  });
});
