// Compiles the NAN modules a board's drivers need (epoll for onoff, i2c-bus) on the board, against the bundled Node headers.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { mustRun } from './service-manager';

/** Where a program is on PATH, if anywhere. */
export function onPath(program: string, path = process.env.PATH ?? ''): string | undefined {
  return path.split(delimiter).map((d) => join(d, program)).find((p) => existsSync(p));
}

/** Headers folder for node-gyp's --nodedir: the bundle's Node, else a system Node with headers (armv7 boards). */
export function nodeHeaders(versionDir: string): string | undefined {
  if (existsSync(join(versionDir, 'node', 'include', 'node', 'node.h'))) return join(versionDir, 'node');
  if (existsSync('/usr/include/node/node.h')) return '/usr';
  return undefined;
}

/**
 * Runs `node-gyp rebuild` (shipped in the bundle's tools/) in each module folder of an installed version,
 * then loads the result once to prove it matches this Node.
 * @throws Error naming what is missing (compiler, make, python3, headers) or the module that failed.
 */
export async function buildNatives(versionDir: string, modules: readonly string[], opts: { node: string; log: (line: string) => void }): Promise<void> {
  if (modules.length === 0) return;
  const missing = ['make', 'python3'].filter((p) => !onPath(p));
  if (!onPath('c++') && !onPath('g++')) missing.push('c++ (g++)');
  const headers = nodeHeaders(versionDir);
  if (!headers) missing.push('Node headers (the bundle has no node/include; install the board Node\'s headers, e.g. libnode-dev)');
  if (missing.length) {
    throw new Error(`this board needs ${modules.join(' and ')} compiled at install time, but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing (apt-get install build-essential python3)`);
  }
  const gyp = join(versionDir, 'tools', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (!existsSync(gyp)) throw new Error(`${gyp} is missing: the bundle carries no node-gyp`);
  for (const mod of modules) {
    const dir = join(versionDir, 'node_modules', mod);
    if (!existsSync(dir)) throw new Error(`${dir} is missing: the bundle has no ${mod}`);
    opts.log(`compiling ${mod} against ${headers}`);
    // Offline: the headers come from --nodedir, never from the network.
    await mustRun(opts.node, [gyp, 'rebuild', `--nodedir=${headers}`, '--jobs=max'], { cwd: dir, timeoutMs: 10 * 60_000, env: { ...process.env, npm_config_offline: 'true' } });
    await mustRun(opts.node, ['-e', `require(${JSON.stringify(dir)})`], { timeoutMs: 30_000 });
  }
}
