// `posfw run --board board-configs/bench-emulated.json --emulate` as a real process (compiled CLI; `make build` first).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPosfw, type Proc } from '../helpers/procs';
import { SimClient } from './bench-harness';
import { expectIdleScreen, menuWalk, paperOutMidSlip, saleWithSlips } from './bench-scenarios';

describe('posfw run --emulate (bench board, real process)', () => {
  let root: string;
  let proc: Proc;
  let client: SimClient;
  let adminUrl: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'posfw-bench-run-'));
    proc = startPosfw(
      ['run', '--board', 'board-configs/bench-emulated.json', '--emulate', '--data', join(root, 'data'), '--port', '0', '--acquirer-port', '0', '--acquirer-admin-port', '0'],
      { POSFW_BENCH_DIR: join(root, 'links') },
    );
    await proc.waitFor(/^READY$/m, 20000);
    const api = (await proc.waitFor(/API on (http:\/\/127\.0\.0\.1:\d+);/))[1];
    adminUrl = (await proc.waitFor(/admin (http:\/\/127\.0\.0\.1:\d+)/))[1];
    expect((await proc.waitFor(/simulator control on (http:\/\/127\.0\.0\.1:\d+)\/sim/))[1]).toBe(api);
    client = new SimClient(api);
  });

  afterAll(async () => {
    await proc?.kill('SIGTERM');
    if (root) rmSync(root, { recursive: true, force: true });
  });

  test('serial links live in POSFW_BENCH_DIR; boots to the idle screen on the HD44780', async () => {
    expect(readdirSync(join(root, 'links')).sort()).toEqual(['board.json', 'magstripe', 'magstripe.dev', 'pinpad', 'pinpad.dev', 'printer', 'printer.dev', 'scanner', 'scanner.dev']);
    await expectIdleScreen(client);
    expect((await client.api('GET', '/v1/health')).body).toMatchObject({ status: 'ok', board: 'bench-emulated' });
  });

  test('menu walk on the emulated keypad matrix', async () => {
    await menuWalk(client);
  });

  test('sale with swipe and PIN; slips from the ESC/POS printer emulator', async () => {
    await saleWithSlips(client, adminUrl, 'RUN-SALE-1');
  });

  test('paper out mid-slip, refill, DUPLICATE reprint', async () => {
    await paperOutMidSlip(client, 'RUN-SALE-2');
  });

  test('SIGTERM stops the terminal, then the bench: exit 0, the links and the generated board file removed', async () => {
    await proc.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(readdirSync(join(root, 'links'))).toEqual([]);
  });
});
