// Shared rig of the kill tests: one acquirer simulator process per test file, throw-away folders, a sim board per test.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli';
import { startPosfw, type Proc } from '../helpers/procs';

export interface KillRig {
  /** The acquirer's ISO port and admin URL (set in beforeAll). */
  acquirerPort: number;
  admin: string;
  /** A throw-away folder, removed after the file's tests. */
  tmp(prefix: string): string;
}

/** Registers beforeAll/afterAll: the acquirer simulator runs for the whole file; every folder made is removed after. */
export function killRig(): KillRig {
  const dirs: string[] = [];
  let acquirer: Proc | undefined;
  const rig: KillRig = {
    acquirerPort: 0,
    admin: '',
    tmp(prefix) {
      const d = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(d);
      return d;
    },
  };
  beforeAll(async () => {
    acquirer = startPosfw(['acquirer', '--port', '0', '--admin-port', '0', '--data', rig.tmp('posfw-acq-')]);
    const m = await acquirer.waitFor(/ACQUIRER READY (\d+) (\d+)/);
    rig.acquirerPort = Number(m[1]);
    rig.admin = `http://127.0.0.1:${m[2]}`;
  });
  afterAll(async () => {
    await acquirer?.kill();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return rig;
}

/** Writes `<dir>/board.json`: the sim board with a 1 s host timeout and the policy changes given. */
export function simBoard(dir: string, policy: Record<string, unknown>): string {
  const board = JSON.parse(readFileSync(join(ROOT, 'board-configs', 'sim.json'), 'utf8'));
  board.host = { ...board.host, responseTimeoutMs: 1000 };
  board.policy = { ...board.policy, ...policy };
  const file = join(dir, 'board.json');
  writeFileSync(file, JSON.stringify(board));
  return file;
}
