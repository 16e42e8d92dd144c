// Over real processes: `posfw sim --headless` with its embedded acquirer, driven only through the ECR and /sim APIs:
// sale, void, refund, reprint, balance, pre-auth and completion, each checked on the host ledger too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, http, startPosfw, until, type Proc } from '../helpers/procs';

const TRACK2 = ';4761739001010010=30121010000000000000?';
let proc: Proc;
let api: string;
let admin: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'posfw-ecr-e2e-'));
  const [port, acq, adm] = [await freePort(), await freePort(), await freePort()];
  proc = startPosfw(['sim', '--headless', '--data', dir, '--port', String(port), '--acquirer-port', String(acq), '--acquirer-admin-port', String(adm)]);
  await proc.waitFor(/^READY$/m);
  api = `http://127.0.0.1:${port}`;
  admin = `http://127.0.0.1:${adm}`;
});

afterAll(async () => {
  await proc?.kill();
  rmSync(dir, { recursive: true, force: true });
});

interface Txn {
  reference: string;
  status: string;
  responseCode: string | null;
  rrn: string | null;
  stan: string;
  balance?: string;
  receipt?: { merchant: string; customer?: string };
}

async function withCard(body: Record<string, unknown>, pin: string | null = '1234'): Promise<Txn> {
  const answer = http<Txn>(`${api}/v1/transactions`, body);
  await until(async () => (await http<{ lines: string[] }>(`${api}/sim/lcd`)).body.lines.includes('SWIPE CARD'), 'card prompt');
  expect((await http(`${api}/sim/card`, { track2: TRACK2 })).status).toBe(200);
  expect((await http(`${api}/sim/pin`, pin === null ? { bypass: true } : { pin })).status).toBe(200);
  const r = await answer;
  expect(r.status).toBe(200);
  await until(async () => !(await http<{ busy: boolean }>(`${api}/v1/health`)).body.busy, 'terminal idle');
  return r.body;
}

async function referenced(body: Record<string, unknown>): Promise<{ status: number; body: Txn }> {
  const r = await http<Txn>(`${api}/v1/transactions`, body);
  await until(async () => !(await http<{ busy: boolean }>(`${api}/v1/health`)).body.busy, 'terminal idle');
  return r;
}

const ledger = async (reference: string) => (await http<{ entries: Array<{ kind: string; status: string; responseCode: string; amount: number }> }>(`${admin}/ledger?reference=${reference}`)).body.entries;
const receipts = async () => (await http<{ receipts: Array<{ text: string }> }>(`${api}/sim/receipts`)).body.receipts;

it('sells, then voids the sale', async () => {
  const sale = await withCard({ reference: 'E2E-SALE', type: 'sale', amount: 8800 });
  expect(sale).toMatchObject({ status: 'approved', responseCode: '00' });
  expect(sale.receipt?.merchant).toMatch(/TYPE: SALE/);
  expect((await receipts()).at(-1)?.text).toMatch(/CUSTOMER COPY[\s\S]*CNY 88\.00/);
  expect(await ledger('E2E-SALE')).toMatchObject([{ kind: 'sale', status: 'approved', amount: 8800 }]);

  const voided = await referenced({ reference: 'E2E-VOID', type: 'void', original: { reference: 'E2E-SALE' } });
  expect(voided.body).toMatchObject({ status: 'approved' });
  expect((await http<Txn>(`${api}/v1/transactions/E2E-SALE`)).body.status).toBe('voided');
  expect((await ledger('E2E-SALE'))[0].status).toBe('voided');
});

it('refunds part of a sale, and refuses more than is left', async () => {
  await withCard({ reference: 'E2E-SALE2', type: 'sale', amount: 5000 });
  const refund = await referenced({ reference: 'E2E-REF', type: 'refund', amount: 3000, original: { reference: 'E2E-SALE2' } });
  expect(refund.body).toMatchObject({ status: 'approved' });
  expect(refund.body.receipt?.merchant).toMatch(/TYPE: REFUND[\s\S]*CNY -30\.00/);
  const tooMuch = await referenced({ reference: 'E2E-REF2', type: 'refund', amount: 2001, original: { reference: 'E2E-SALE2' } });
  expect(tooMuch.status).toBe(422);
  expect(await ledger('E2E-REF2')).toEqual([]);
});

it('reprints without touching the host', async () => {
  const before = (await http<{ entries: unknown[] }>(`${admin}/ledger`)).body.entries.length;
  const r = await http<{ text: string }>(`${api}/v1/reprint`, {});
  expect(r.status).toBe(200);
  expect(r.body.text).toContain('*** DUPLICATE ***');
  expect((await http<{ entries: unknown[] }>(`${admin}/ledger`)).body.entries.length).toBe(before);
});

it('answers a balance inquiry with a PIN', async () => {
  const bal = await withCard({ reference: 'E2E-BAL', type: 'balance' });
  expect(bal).toMatchObject({ status: 'approved', responseCode: '00' });
  expect(bal.balance).toMatch(/^-?\d+\.\d{2}$/);
});

it('holds with a pre-auth and completes it within the hold', async () => {
  const pre = await withCard({ reference: 'E2E-PRE', type: 'preauth', amount: 20000 });
  expect(pre).toMatchObject({ status: 'approved' });
  expect(pre.receipt?.merchant).toMatch(/PRE-AUTHORIZATION/);
  const over = await referenced({ reference: 'E2E-CMP-X', type: 'completion', amount: 20001, original: { reference: 'E2E-PRE' } });
  expect(over.status).toBe(422);
  const done = await referenced({ reference: 'E2E-CMP', type: 'completion', amount: 18000, original: { reference: 'E2E-PRE' } });
  expect(done.body).toMatchObject({ status: 'approved' });
  expect(done.body.receipt?.merchant).toMatch(/PRE-AUTH COMPLETION/);
  expect(await ledger('E2E-CMP')).toMatchObject([{ kind: 'completion', status: 'approved', amount: 18000 }]);
});

it('keeps card data out of the process logs', () => {
  expect(proc.output()).not.toContain('4761739001010010');
  expect(proc.output()).not.toContain('30121010000000000000');
});
