// Acquirer admin HTTP API over real HTTP: validation errors name the problem, reset, and a ledger that survives a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { f, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

test('POST /faults: bad JSON, unknown fields and out-of-range values are 400 naming what was wrong', async () => {
  const badJson = await h.admin('POST', '/faults', '{"dropRequest": ');
  expect(badJson.status).toBe(400);
  expect(badJson.json.error).toBe('bad-json');
  const unknown = await h.admin('POST', '/faults', { dropRequests: 1 });
  expect(unknown.status).toBe(400);
  expect(unknown.json.message).toContain('"dropRequests"');
  const range = await h.admin('POST', '/faults', { dropResponse: 1.5 });
  expect(range.status).toBe(400);
  expect(range.json.message).toMatch(/^\$\.dropResponse: /);
  const code = await h.admin('POST', '/faults', { forceResponseCode: { code: 'x', probability: 1 } });
  expect(code.status).toBe(400);
  expect(code.json.message).toContain('$.forceResponseCode.code');
  const mti = await h.admin('POST', '/faults', { onlyMti: ['200'] });
  expect(mti.json.message).toContain('$.onlyMti[0]');
  const empty = await h.admin('POST', '/faults');
  expect(empty.status).toBe(400);
  expect((await h.admin('GET', '/faults')).json.active).toBe(false);
});

test('GET /faults shows the config and seed; unknown query parameters are refused', async () => {
  const set = await h.admin('POST', '/faults', { seed: 9, dropRequest: 0.25, onlyMti: ['0200'] });
  expect(set.json).toMatchObject({ active: true, seed: 9, config: { seed: 9, dropRequest: 0.25, onlyMti: ['0200'] }, decided: 0, history: [] });
  const q = await h.admin('GET', '/ledger?pan=4761739001010010');
  expect(q.status).toBe(400);
  expect(q.json.message).toContain('"pan"');
  expect((await h.admin('GET', '/nope')).status).toBe(404);
});

test('POST /reset clears the ledger and the faults; a body with fields is refused', async () => {
  await h.link.request(h.term.sale(100));
  await h.admin('POST', '/faults', { dropRequest: 1 });
  expect((await h.admin('POST', '/reset', { all: true })).status).toBe(400);
  const r = await h.admin('POST', '/reset');
  expect(r).toEqual({ status: 200, json: { reset: true } });
  expect((await h.admin('GET', '/ledger')).json.entries).toEqual([]);
  expect((await h.admin('GET', '/totals')).json.totals).toEqual([]);
  expect((await h.admin('GET', '/faults')).json.active).toBe(false);
  expect(f(await h.link.request(h.term.sale(100)), 39)).toBe('00');
});

test('the ledger survives a restart: a duplicate after restart still gets the original answer', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'posfw-acq-restart-'));
  try {
    const a = await startHarness({ dataDir });
    const sale = a.term.sale(2200, { pin: '1234' }, 'KEEP-1');
    const first = await a.link.request(sale);
    await a.close();
    const b = await startHarness({ dataDir });
    b.term.stan = a.term.stan; // the terminal's STAN is persistent
    const again = await b.link.request(sale);
    expect([f(again, 39), f(again, 37), f(again, 38)]).toEqual(['00', f(first, 37), f(first, 38)]);
    const fresh = await b.link.request(b.term.sale(100, { pin: '1234' }, 'NEW'));
    expect(f(fresh, 37)).not.toBe(f(first, 37));
    const entries = (await b.admin('GET', '/ledger')).json.entries;
    expect(entries.map((e: any) => e.reference)).toEqual(['KEEP-1', 'NEW']);
    await b.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
