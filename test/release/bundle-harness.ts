// Release-test helpers: build a bundle with release/build.sh, run processes from an installed tree, drive a card sale.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli';
import { http, until } from '../helpers/procs';

export const TRACK2 = ';4761739001010010=30121010000000000000?';
/** The slow profile (tarballs for x64 and arm64) runs under `make release-test`; `make test` runs the short one. */
export const FULL = process.env.POSFW_RELEASE_FULL === '1';

/** Runs release/build.sh; returns the stage folder (and tarball unless noTar). */
export function buildBundle(board: string, arch: 'x64' | 'arm64', env: { OUT: string; VERSION: string; NO_TAR?: string }): { stage: string; tarball?: string; log: string } {
  const r = spawnSync(join(ROOT, 'release', 'build.sh'), [board, arch], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`release/build.sh ${board} ${arch} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const name = /^building (\S+)$/m.exec(r.stdout)![1];
  return { stage: join(env.OUT, 'stage', name), tarball: env.NO_TAR ? undefined : join(env.OUT, `${name}.tar.gz`), log: r.stdout };
}

/** A board file for tests: the simulator board with its acquirer in another process and a fixed API port. */
export function writeTestBoard(file: string, apiPort: number, acquirerPort: number): void {
  const board = JSON.parse(readFileSync(join(ROOT, 'board-configs', 'sim.json'), 'utf8'));
  board.board = { name: 'release-test', description: 'simulator board, acquirer in another process' };
  board.host = { ...board.host, acquirer: `127.0.0.1:${acquirerPort}` };
  board.api = { ...board.api, host: '127.0.0.1', port: apiPort };
  writeFileSync(file, JSON.stringify(board, null, 2));
}

export interface Running {
  output(): string;
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  kill(): Promise<void>;
}

/** Starts a process (e.g. the installed bin/posfw) and collects its output. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(cmd, args, { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => {
    child.on('exit', () => r());
    child.on('error', (err) => ((out += `\nspawn failed: ${err.message}`), r()));
  });
  return {
    output: () => out,
    async waitFor(re, timeoutMs = 20000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const m = out.match(re);
        if (m) return m;
        if (child.exitCode !== null || child.pid === undefined || Date.now() > end) throw new Error(`no ${re} from ${cmd}:\n${out.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async kill() {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Starts a sale over the ECR API and plays card and PIN on /sim; resolves with the ECR's answer. */
export async function cardSale(api: string, reference: string, amount: number): Promise<{ status: number; body: { status: string; responseCode: string | null } }> {
  const answer = http<{ status: string; responseCode: string | null }>(`${api}/v1/transactions`, { reference, type: 'sale', amount });
  await until(async () => (await http<{ lines: string[] }>(`${api}/sim/lcd`)).body.lines.includes('SWIPE CARD'), 'card prompt');
  await http(`${api}/sim/card`, { track2: TRACK2 });
  await http(`${api}/sim/pin`, { pin: '1234' });
  return answer;
}
