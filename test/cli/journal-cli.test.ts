// `posfw journal ls|show` on a journal written by the real Journal: masked card data only, lookups by reference/STAN/RRN.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../../firmware/journal/journal';
import { silentLogger } from '../../firmware/log';
import { runCli } from '../helpers/cli';
import { KEY, newSale, PAN } from '../../firmware/money/money.fixtures';

let data: string;

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'posfw-journal-cli-'));
  // The sim board's device key lives in the data folder (docs/keys.md).
  writeFileSync(join(data, 'device.key'), KEY.toString('hex') + '\n', { mode: 0o600 });
  const j = await Journal.open(join(data, 'journal'), KEY, silentLogger);
  const a = await j.create(newSale({ reference: 'CLI-1', stan: '000041', amount: 1234 }));
  await j.update(a.id, { state: 'sending' });
  await j.update(a.id, { state: 'approved', wasApproved: true, rrn: '111122223333', responseCode: '00', authCode: 'ZX9' });
  await j.create(newSale({ reference: 'CLI-2', stan: '000042' }));
  await j.close();
});

afterAll(() => rmSync(data, { recursive: true, force: true }));

it('lists transactions newest first with masked PANs only', async () => {
  const r = await runCli(['journal', 'ls', '--data', data]);
  expect(r.code).toBe(0);
  const rows = r.stdout.trim().split('\n');
  expect(rows[1]).toMatch(/^000042 .*CLI-2$/);
  expect(rows[2]).toMatch(/^000041 .*approved .*1234 .*476173\*{6}0010 .*111122223333 .*CLI-1$/);
  expect(r.stdout).not.toContain(PAN);
});

it('shows one record by reference, RRN or STAN, without sealed data', async () => {
  for (const key of ['CLI-1', '111122223333', '41']) {
    const r = await runCli(['journal', 'show', key, '--data', data]);
    expect(r.code).toBe(0);
    const rec = JSON.parse(r.stdout);
    expect(rec).toMatchObject({ reference: 'CLI-1', state: 'approved', maskedPan: '476173******0010' });
    expect(rec.sealed).toBeUndefined();
    expect(r.stdout).not.toContain(PAN);
  }
  const missing = await runCli(['journal', 'show', 'NOPE', '--data', data]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/no transaction matching "NOPE"/);
});

it('prints the batch detail and the settlement preview as text or JSON, masked', async () => {
  const detail = await runCli(['journal', 'report', 'detail', '--data', data, '--json']);
  expect(detail.code).toBe(0);
  const d = JSON.parse(detail.stdout);
  expect(d).toMatchObject({ kind: 'detail', batch: '000001' });
  expect(d.lines.map((l: { reference: string }) => l.reference)).toEqual(['CLI-1', 'CLI-2']);
  expect(detail.stdout).not.toContain(PAN);
  const s = await runCli(['journal', 'report', 'settlement', '--data', data]);
  expect(s.code).toBe(0);
  expect(s.stdout).toContain('SETTLEMENT REPORT');
  expect(s.stdout).toContain('NOT SETTLED');
  const bad = await runCli(['journal', 'report', 'nope', '--data', data]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/unknown report "nope"/);
});
