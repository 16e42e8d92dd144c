// CLI discipline: numbers validated, usage errors exit 2, journal reads never create a database, a held data folder
// names its holder; api-keys and certs provision a terminal for the LAN.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../../firmware/journal/journal';
import { silentLogger } from '../../firmware/log';
import { KEY } from '../../firmware/money/money.fixtures';
import { runCli } from '../helpers/cli';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'posfw-cli-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it.each([
  [['sim', '--port', 'abc'], /option '--port <n>' argument 'abc' is invalid\. expected a TCP port \(a whole number 0\.\.65535\), got "abc"/],
  [['run', '--board', 'x.json', '--port', '70000'], /expected a TCP port in 0\.\.65535, got 70000/],
  [['journal', 'ls', '--limit', '-3'], /--limit <n>.*expected a count/],
  [['journal', 'ls', '--batch', '1x'], /expected a batch number/],
  [['sim', '--no-such-option'], /unknown option '--no-such-option'/],
  [['api-keys', 'add', '--name', 'x', '--role', 'admin'], /Allowed choices are cashier, supervisor/],
  [['certs', '--days', '0'], /expected a number of days in 1\.\.3650/],
  [['no-such-command'], /unknown command/],
])('usage error %j exits 2 and says what was expected', async (args, message) => {
  const r = await runCli(args as string[]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/NaN/);
});

it('help and version exit 0', async () => {
  expect((await runCli(['--help'])).code).toBe(0);
  expect((await runCli(['--version'])).code).toBe(0);
});

it('journal ls never creates a journal where there is none', async () => {
  const data = join(dir, 'nothing-here');
  const r = await runCli(['journal', 'ls', '--data', data]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/no journal in .*nothing-here/);
  expect(existsSync(data)).toBe(false);
});

it('a journal held by a running process says which process holds it', async () => {
  const data = join(dir, 'held');
  const j = await Journal.open(join(data, 'journal'), KEY, silentLogger);
  writeFileSync(join(data, 'device.key'), KEY.toString('hex') + '\n', { mode: 0o600 }); // the terminal's own key (docs/keys.md)
  try {
    const r = await runCli(['journal', 'ls', '--data', data]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`is in use by process ${process.pid}`);
    expect(r.stderr).toMatch(/GET \/v1\/transactions/);
  } finally {
    await j.close();
  }
  expect((await runCli(['journal', 'ls', '--data', data])).code).toBe(0);
});

it('posfw sim on a data folder another process holds says which process, and exits 1', async () => {
  const data = join(dir, 'held-sim');
  const j = await Journal.open(join(data, 'journal'), KEY, silentLogger);
  try {
    const r = await runCli(['sim', '--headless', '--data', data, '--port', '0', '--acquirer-port', '0', '--acquirer-admin-port', '0'], { timeoutMs: 20000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`posfw: the data folder ${data} is in use by process ${process.pid}`);
    expect(r.stdout).not.toMatch(/^READY$/m);
  } finally {
    await j.close();
  }
});

it('api-keys: add prints the key once, list shows names and roles only, revoke removes it', async () => {
  const data = join(dir, 'keys');
  const add = await runCli(['api-keys', 'add', '--data', data, '--name', 'till-1']);
  expect(add.code).toBe(0);
  const token = add.stdout.trim();
  expect(token).toMatch(/^posfw_[0-9a-f]{8}_\S{43}$/);
  expect(readFileSync(join(data, 'api-keys.json'), 'utf8')).not.toContain(token.slice(15));
  const sup = await runCli(['api-keys', 'add', '--data', data, '--name', 'boss', '--role', 'supervisor', '--json']);
  expect(JSON.parse(sup.stdout)).toMatchObject({ name: 'boss', role: 'supervisor', key: expect.stringMatching(/^posfw_/) });
  const list = await runCli(['api-keys', 'list', '--data', data, '--json']);
  expect(JSON.parse(list.stdout).map((k: { name: string; role: string }) => [k.name, k.role])).toEqual([['till-1', 'cashier'], ['boss', 'supervisor']]);
  expect(list.stdout).not.toContain('posfw_');
  expect((await runCli(['api-keys', 'add', '--data', data, '--name', 'boss'])).code).toBe(1);
  expect((await runCli(['api-keys', 'revoke', 'boss', '--data', data])).code).toBe(0);
  expect((await runCli(['api-keys', 'revoke', 'boss', '--data', data])).stderr).toMatch(/no key named "boss"/);
});

it('certs writes a self-signed certificate for the names and addresses given, and keeps existing files', async () => {
  const out = join(dir, 'tls');
  const r = await runCli(['certs', '--out', out, '--name', 'till.shop.lan', '--ip', '192.0.2.7', '--ip', '::1']);
  expect(r.code).toBe(0);
  const cert = new X509Certificate(readFileSync(join(out, 'api-cert.pem')));
  expect(cert.subjectAltName).toBe('DNS:till.shop.lan, IP Address:192.0.2.7, IP Address:0:0:0:0:0:0:0:1');
  expect(cert.verify(cert.publicKey)).toBe(true);
  expect(r.stdout).toContain(cert.fingerprint256);
  expect((await runCli(['certs', '--out', out])).code).toBe(1);
  expect((await runCli(['certs', '--out', out, '--force'])).code).toBe(0);
  expect((await runCli(['certs', '--out', join(dir, 'x'), '--ip', '300.1.1.1'])).code).toBe(2);
});
