// Benchmark plumbing: the terminal and the acquirer as real processes, their CPU and memory from /proc, syscall counts by strace.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'posfw.js');

export interface Proc {
  child: ChildProcess;
  pid: number;
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/** Starts `posfw ARGS` from the compiled CLI (on `node`, this one by default); logs at `warn` (a bench measures work, not log lines). */
export function posfw(args: string[], env: NodeJS.ProcessEnv = {}, node = process.execPath): Proc {
  const child = spawn(node, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: Array<() => void> = [];
  const onData = (d: Buffer) => {
    out = (out + d.toString()).slice(-20000);
    for (const w of waiters.splice(0)) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((r) => child.on('exit', () => (waiters.splice(0).forEach((w) => w()), r())));
  return {
    child,
    pid: child.pid!,
    waitFor(re, timeoutMs = 30000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}:\n${out.slice(-2000)}`)), timeoutMs);
        const check = () => {
          const m = out.match(re);
          if (m) return (clearTimeout(timer), resolve(m));
          if (child.exitCode !== null || child.signalCode !== null) return (clearTimeout(timer), reject(new Error(`exited before ${re}:\n${out.slice(-2000)}`)));
          waiters.push(check);
        };
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
    s.on('error', reject);
  });
}

const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** User + system CPU of a process so far, in milliseconds (/proc/PID/stat; resolution 1000/CLK_TCK ms). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
}

/** Resident set size in MB (/proc/PID/status VmRSS). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Counts fsync-family syscalls of a running process (and its threads) while `work` runs; undefined without strace. */
export async function countSyncCalls(pid: number, work: () => Promise<void>): Promise<number | undefined> {
  if (spawnSync('strace', ['-V']).status !== 0) return undefined;
  const tracer = spawn('strace', ['-f', '-qq', '-e', 'trace=fsync,fdatasync,sync_file_range', '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  tracer.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  await new Promise((r) => setTimeout(r, 500)); // strace attaches to every thread
  await work();
  await new Promise((r) => setTimeout(r, 200));
  tracer.kill('SIGINT');
  await new Promise((r) => tracer.on('exit', r));
  return (log.match(/\b(fsync|fdatasync|sync_file_range)\(/g) ?? []).length;
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
