// `posfw journal ls|show` on a journal written by the real Journal: masked card data only, lookups by reference/STAN/RRN.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../../firmware/journal/journal';
import { silentLogger } from '../../firmware/log';
import { runCli } from '../helpers/cli';
import { KEY, newSale, PAN } from '../../firmware/money/money.fixtures';

let data: string;

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'posfw-journal-cli-'));
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
