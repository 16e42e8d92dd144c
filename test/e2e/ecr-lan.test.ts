// Over real processes and TLS: a terminal bound to a LAN-style address (127.0.0.2) with its self-signed certificate and
// API keys from the CLI; a cashier sells, a supervisor refunds, the wrong key or role is refused; /sim is absent under
// `posfw run` of a real board.
import { request } from 'node:https';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers/cli';
import { freePort, http, startPosfw, until, type Proc } from '../helpers/procs';

const TRACK2 = ';4761739001010010=30121010000000000000?';
let dir: string;
let ca: Buffer;
let base: string;
let proc: Proc;
const keys: Record<'cashier' | 'supervisor', string> = { cashier: '', supervisor: '' };

/** One HTTPS request trusting only the terminal's certificate. */
function https(method: string, path: string, opts: { key?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const url = new URL(path, base);
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca,
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}), ...opts.headers },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'posfw-lan-'));
  const data = join(dir, 'data');
  expect((await runCli(['certs', '--out', dir, '--ip', '127.0.0.2'])).code).toBe(0);
  ca = readFileSync(join(dir, 'api-cert.pem'));
  for (const role of ['cashier', 'supervisor'] as const) {
    const r = await runCli(['api-keys', 'add', '--data', data, '--name', `ecr-${role}`, '--role', role]);
    keys[role] = r.stdout.trim();
  }
  const board = JSON.parse(readFileSync(join(ROOT, 'board-configs', 'sim.json'), 'utf8'));
  board.api = { host: '127.0.0.2', port: 8210, tls: { certFile: join(dir, 'api-cert.pem'), keyFile: join(dir, 'api-key.pem') } };
  writeFileSync(join(dir, 'lan.json'), JSON.stringify(board));
  const [port, acq, adm] = [await freePort(), await freePort(), await freePort()];
  proc = startPosfw(['sim', '--headless', '--board', join(dir, 'lan.json'), '--data', data, '--port', String(port), '--acquirer-port', String(acq), '--acquirer-admin-port', String(adm)]);
  await proc.waitFor(/^READY$/m);
  base = `https://127.0.0.2:${port}`;
});

afterAll(async () => {
  await proc?.kill();
  rmSync(dir, { recursive: true, force: true });
});

it('refuses plain HTTP, a missing or wrong key (401) and a cashier refund (403)', async () => {
  await expect(http(base.replace('https', 'http') + '/v1/transactions')).rejects.toThrow();
  expect(await https('GET', '/v1/transactions')).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
  expect(await https('GET', '/v1/transactions', { key: keys.cashier.slice(0, -2) + 'xx' })).toMatchObject({ status: 401, body: { error: 'unauthorized', message: expect.stringMatching(/not valid/) } });
  const refund = await https('POST', '/v1/transactions', { key: keys.cashier, body: { reference: 'LAN-X', type: 'refund', amount: 1, original: { reference: 'LAN-S' } } });
  expect(refund).toEqual({ status: 403, body: { error: 'forbidden', message: 'a refund needs the supervisor role; key "ecr-cashier" is cashier' } });
  expect((await https('GET', '/sim/lcd', { key: keys.cashier })).status).toBe(403);
  expect((await https('POST', '/v1/settlement', { key: keys.cashier })).status).toBe(403);
});

it('a cashier sells and a supervisor refunds over TLS; the ledger has both', async () => {
  const sale = https('POST', '/v1/transactions', { key: keys.cashier, body: { reference: 'LAN-S', type: 'sale', amount: 5000 } });
  // The cardholder's hands: the simulator control needs a supervisor key on this board (no keyless loopback).
  await until(async () => (await https('GET', '/sim/lcd', { key: keys.supervisor })).body.lines.includes('SWIPE CARD'), 'card prompt');
  expect((await https('POST', '/sim/card', { key: keys.supervisor, body: { track2: TRACK2 } })).status).toBe(200);
  expect((await https('POST', '/sim/pin', { key: keys.supervisor, body: { pin: '1234' } })).status).toBe(200);
  expect((await sale).body).toMatchObject({ status: 'approved', responseCode: '00' });
  const refund = await https('POST', '/v1/transactions', { key: keys.supervisor, body: { reference: 'LAN-R', type: 'refund', amount: 2000, original: { reference: 'LAN-S' } } });
  expect(refund).toMatchObject({ status: 200, body: { status: 'approved', type: 'refund' } });
  const list = await https('GET', '/v1/transactions?type=sale,refund', { key: keys.cashier });
  expect(list.body.transactions.map((t: { reference: string }) => t.reference)).toEqual(['LAN-R', 'LAN-S']);
  expect((await runCli(['api-keys', 'revoke', 'ecr-cashier', '--data', join(dir, 'data')])).code).toBe(0);
  expect((await https('GET', '/v1/transactions/LAN-S', { key: keys.cashier })).status).toBe(401);
  expect(proc.output()).not.toContain(keys.supervisor);
});

it('/sim is absent under posfw run of a real board, even with a simulated device on it', async () => {
  const board = JSON.parse(readFileSync(join(ROOT, 'board-configs', 'sim.json'), 'utf8'));
  board.devices.printer = { driver: 'serial', path: join(dir, 'no-such-printer'), columns: 32 };
  writeFileSync(join(dir, 'real.json'), JSON.stringify(board));
  const [port, acq, adm] = [await freePort(), await freePort(), await freePort()];
  const run = startPosfw(['run', '--board', join(dir, 'real.json'), '--data', join(dir, 'run-data'), '--port', String(port), '--acquirer-port', String(acq), '--acquirer-admin-port', String(adm)]);
  try {
    await run.waitFor(/^READY$/m);
    const api = `http://127.0.0.1:${port}`;
    expect((await http(`${api}/v1/health`)).status).toBe(200);
    for (const path of ['/sim/lcd', '/sim/receipts']) expect(await http(`${api}${path}`)).toMatchObject({ status: 404, body: { error: 'not-found' } });
    expect((await http(`${api}/sim/card`, { track2: TRACK2 })).status).toBe(404);
  } finally {
    await run.kill();
  }
});
