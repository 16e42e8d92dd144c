// `posfw sim --headless` as a user runs it: READY, the idle screen, health, simulator control errors, a keypad sale.
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, http, startPosfw, until, type Proc } from '../helpers/procs';
import { ROOT } from '../helpers/cli';

let proc: Proc;
let api: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'posfw-e2e-'));
  const [port, acq, adm] = [await freePort(), await freePort(), await freePort()];
  proc = startPosfw(['sim', '--headless', '--data', dir, '--port', String(port), '--acquirer-port', String(acq), '--acquirer-admin-port', String(adm)]);
  await proc.waitFor(/^READY$/m);
  api = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await proc?.kill();
  rmSync(dir, { recursive: true, force: true });
});

const lcd = async () => (await http<{ lines: string[] }>(`${api}/sim/lcd`)).body.lines;

it('prints READY on its own line and shows the idle screen', async () => {
  expect(proc.output()).toMatch(/^READY$/m);
  const lines = await lcd();
  expect(lines[0]).toBe('POSFW DEMO STORE');
  expect(lines[1]).toBe('TID SIM00001');
  expect(lines[2]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  expect(lines[3]).toBe('SWIPE CARD OR MENU');
});

it('answers health with every device, the batch and the SAF queue', async () => {
  const { status, body } = await http<Record<string, unknown>>(`${api}/v1/health`);
  expect(status).toBe(200);
  expect(body).toMatchObject({ status: 'ok', terminalId: 'SIM00001', batch: '000001', safPending: 0 });
  expect(Object.keys(body.devices as object).sort()).toEqual(['display', 'keypad', 'magstripe', 'pinpad', 'printer', 'scanner']);
});

it('refuses bad simulator input with a 400 that says what was wrong', async () => {
  const badJson = await fetch(`${api}/sim/keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"keys": [' });
  expect(badJson.status).toBe(400);
  expect(((await badJson.json()) as { message: string }).message).toMatch(/not valid JSON/);
  const badKey = await http<{ message: string }>(`${api}/sim/keys`, { keys: ['1', 'ENTER'] });
  expect(badKey.status).toBe(400);
  expect(badKey.body.message).toMatch(/"ENTER"/);
  const extra = await http<{ message: string }>(`${api}/sim/card`, { track2: ';4761739001010010=30121010000000000000?', cvv: '123' });
  expect(extra.status).toBe(400);
  expect(extra.body.message).toMatch(/unknown field\(s\) "cvv"/);
  const noPrompt = await http<{ error: string }>(`${api}/sim/pin`, { pin: '1234' });
  expect(noPrompt.status).toBe(409);
});

it('sells from the keypad: swipe at idle, amount, PIN, receipt', async () => {
  await http(`${api}/sim/card`, { track2: ';4761739001010010=30121010000000000000?' });
  await until(async () => (await lcd()).includes('ENTER AMOUNT'), 'amount entry');
  await http(`${api}/sim/keys`, { keys: ['2', '5', '0', '0', 'OK'] });
  await http(`${api}/sim/pin`, { pin: '1234' });
  const receipts = await until(async () => {
    const r = (await http<{ receipts: Array<{ text: string; complete: boolean }> }>(`${api}/sim/receipts`)).body.receipts;
    return r.length >= 2 ? r : undefined;
  }, 'two slips');
  expect(receipts[0].text).toMatch(/MERCHANT COPY/);
  expect(receipts[0].text).toMatch(/CNY 25\.00/);
  expect(receipts[0].text).toContain('476173******0010');
  expect(receipts[0].text).not.toContain('4761739001010010');
  expect(receipts[1].text).toMatch(/CUSTOMER COPY/);
});

it('reports a device that fails to open on the LCD and in health, and keeps working', async () => {
  const board = JSON.parse(readFileSync(join(ROOT, 'board-configs', 'sim.json'), 'utf8'));
  board.devices.printer = { driver: 'serial', path: join(dir, 'no-such-printer'), columns: 32 };
  const file = join(dir, 'broken-printer.json');
  writeFileSync(file, JSON.stringify(board));
  const [port, acq, adm] = [await freePort(), await freePort(), await freePort()];
  const data = join(dir, 'broken');
  const p = startPosfw(['sim', '--headless', '--board', file, '--data', data, '--port', String(port), '--acquirer-port', String(acq), '--acquirer-admin-port', String(adm)]);
  try {
    await p.waitFor(/^READY$/m);
    const url = `http://127.0.0.1:${port}`;
    const health = (await http<{ status: string; devices: { printer: { ok: boolean; error: string } } }>(`${url}/v1/health`)).body;
    expect(health.status).toBe('degraded');
    expect(health.devices.printer).toMatchObject({ ok: false });
    const lines = (await http<{ lines: string[] }>(`${url}/sim/lcd`)).body.lines;
    expect(lines.join('\n')).toMatch(/PRINTER: E[A-Z]+|!PRN/);
    expect(p.output()).toMatch(/printer failed to open/);
  } finally {
    await p.kill();
  }
});

it('fails to start with a clear message when a port is taken, and leaves nothing running', async () => {
  const taken = Number(new URL(api).port);
  const data = join(dir, 'port-clash');
  const acq = await freePort();
  const p = startPosfw(['sim', '--headless', '--data', data, '--port', '0', '--acquirer-port', String(acq), '--acquirer-admin-port', String(taken)]);
  const exit = await p.exited;
  expect(exit.code).toBe(1);
  expect(p.output()).toMatch(/posfw: .*(EADDRINUSE|address already in use)/);
  expect(p.output()).not.toMatch(/^READY$/m);
});
