// `posfw acquirer` through the built CLI: READY line, serves ISO 8583 and the admin API, stops cleanly on SIGTERM; bad options.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostLink } from '../../firmware/host/link';
import { silentLogger } from '../../firmware/log';
import { ROOT, runCli } from '../helpers/cli';
import { codec, f, TerminalSide } from './harness';

let dataDir: string;
let child: ChildProcessWithoutNullStreams | undefined;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'posfw-acq-cli-'));
});
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `posfw acquirer` and resolves with the ports from its READY line (bounded wait). */
function startCli(args: string[]): Promise<{ port: number; adminPort: number; stderr: () => string }> {
  const proc = spawn(process.execPath, [join(ROOT, 'bin', 'posfw.js'), 'acquirer', ...args], { cwd: ROOT, env: { ...process.env, POSFW_LOG_LEVEL: 'warn' } });
  child = proc;
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no READY line; stderr: ${err}`)), 15_000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /^ACQUIRER READY (\d+) (\d+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), adminPort: Number(m[2]), stderr: () => err });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before READY; stderr: ${err}`));
    });
  });
}

test('prints ACQUIRER READY, approves a sale, serves the admin API and exits 0 on SIGTERM', async () => {
  const { port, adminPort } = await startCli(['--port', '0', '--admin-port', '0', '--data', dataDir]);
  const link = new HostLink({ host: '127.0.0.1', port, connectTimeoutMs: 2000, responseTimeoutMs: 5000, reconnect: false, codec, log: silentLogger });
  const term = new TerminalSide();
  try {
    const rep = await link.request(term.sale(1500, { pin: '1234' }, 'CLI-1'));
    expect(f(rep, 39)).toBe('00');
  } finally {
    await link.close();
  }
  const res = await fetch(`http://127.0.0.1:${adminPort}/ledger`);
  const body = (await res.json()) as { entries: Array<{ reference: string; amount: number }> };
  expect(body.entries.map((e) => [e.reference, e.amount])).toEqual([['CLI-1', 1500]]);
  const proc = child as ChildProcessWithoutNullStreams;
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  proc.kill('SIGTERM');
  expect(await exited).toBe(0);
});

test('a bad --port or --bdk exits 2 with a message naming the option', async () => {
  const port = await runCli(['acquirer', '--port', 'abc', '--data', dataDir]);
  expect(port.code).toBe(2);
  expect(port.stderr).toContain('--port: expected a port number');
  const bdk = await runCli(['acquirer', '--bdk', '0123', '--data', dataDir]);
  expect(bdk.code).toBe(2);
  expect(bdk.stderr).toContain('--bdk tdes: expected 32 hex digits');
});
