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
