// `posfw boards check`: the shipped boards pass; a wrong type or a missing device fails naming the file and JSON path.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { ROOT, runCli } from '../helpers/cli';

const boards = readdirSync(join(ROOT, 'board-configs')).filter((f) => f.endsWith('.json')).map((f) => join('board-configs', f));

it('passes every shipped board config', async () => {
  const r = await runCli(['boards', 'check', ...boards]);
  expect(r.code).toBe(0);
  for (const b of boards) expect(r.stdout).toContain(`ok   ${b}`);
});

it('fails naming the file, the JSON path and what was expected', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'posfw-boards-cli-'));
  const sim = JSON.parse(readFileSync(join(ROOT, 'board-configs', 'sim.json'), 'utf8'));
  sim.devices.printer.columns = 'wide';
  delete sim.devices.keypad;
  const file = join(dir, 'bad-board.json');
  writeFileSync(file, JSON.stringify(sim));
  const r = await runCli(['boards', 'check', 'board-configs/sim.json', file]);
  expect(r.code).toBe(1);
  expect(r.stdout).toContain('ok   board-configs/sim.json');
  expect(r.stderr).toContain('bad-board.json');
  expect(r.stderr).toMatch(/\$\.devices\.printer\.columns: .*expected number/);
  expect(r.stderr).toMatch(/\$\.devices\.keypad: missing/);
  expect(r.stderr).toMatch(/1 of 2 board config\(s\) invalid/);
});

it('refuses timers above 2^31-1 ms, headers larger than a frame and retry delays below the floor', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'posfw-boards-cli-'));
  const sim = JSON.parse(readFileSync(join(ROOT, 'board-configs', 'sim.json'), 'utf8'));
  sim.host.responseTimeoutMs = 2 ** 31;
  sim.host.header = '60'.repeat(9000);
  sim.policy.reversalRetryMs = 1;
  const file = join(dir, 'limits.json');
  writeFileSync(file, JSON.stringify(sim));
  const r = await runCli(['boards', 'check', file]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/\$\.host\.responseTimeoutMs: 2147483648 is longer than a timer can wait/);
  sim.host.responseTimeoutMs = 5000;
  writeFileSync(file, JSON.stringify(sim));
  const r2 = await runCli(['boards', 'check', file]);
  expect(r2.stderr).toMatch(/\$\.host\.header: expected at most 256 bytes/);
  expect(r2.stderr).toMatch(/\$\.policy\.reversalRetryMs: expected at least 100 ms/);
});
