// Benchmark: the terminal against the acquirer simulator, both real processes, same run: syncs, CPU and memory per sale, boot time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadBoard } from '../firmware/board/load';
import { runtimeEnv } from '../firmware/system/runtime-env';
import { countSyncCalls, cpuMs, freePort, median, posfw, ROOT, rssMb, type Proc } from './support/procs';

const SALES = Number(process.env.BENCH_SALES ?? 5000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1000);
const CPU_SALES = Math.min(1000, SALES);
const SYNC_SALES = 50;
/** Boots per median: this machine's timing varies by a third from minute to minute. */
const BOOTS = 11;
/** A Luhn-valid test card per sale: every card has its own balance at the acquirer (1,000,000.00), so no sale runs a card dry. */
function track2(n: number): string {
  const body = `476173${String(n).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return `;${body}${(10 - (sum % 10)) % 10}=30121010000000000000?`;
}
const dirs: string[] = [];
const tmp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), p));
  dirs.push(d);
  return d;
};

async function call(url: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(url, body === undefined ? undefined : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

let seq = 0;
/** One approved ECR card sale: start (no wait), swipe, PIN, then the ECR's repeat that waits for the outcome. */
async function sale(api: string): Promise<void> {
  seq++;
  // A card of its own (the duplicate guard asks about the same card and amount); ending in 01 (no magic response code).
  const amount = 1201;
  const body = { reference: `B-${seq}`, type: 'sale', amount };
  for (let tries = 0; ; tries++) {
    const r = await call(`${api}/v1/transactions`, { ...body, wait: 0 });
    if (r.status === 202) break;
    if (r.status !== 409 || tries > 1000) throw new Error(`sale ${seq}: ${r.status} ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 1)); // the previous sale is still printing
  }
  await call(`${api}/sim/card`, { track2: track2(seq) });
  const pin = await call(`${api}/sim/pin`, { pin: '1234' });
  if (pin.status !== 200) throw new Error(`sale ${seq}: PIN ${JSON.stringify(pin.body)}`);
  const out = await call(`${api}/v1/transactions`, { ...body, wait: 30 });
  if (out.body?.status !== 'approved') throw new Error(`sale ${seq}: ${JSON.stringify(out.body)}`);
}

async function sales(api: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await sale(api);
}

/** The terminal runs as the installed service runs it: with the board's runtime environment (heap limits, malloc tunables). */
const BOARD = join(ROOT, 'board-configs', 'sim.json');
const RUNTIME_ENV = runtimeEnv(loadBoard(BOARD).runtime);
/** Every terminal started, stopped at the end even when a measurement throws (no process outlives the bench). */
const started: Proc[] = [];

async function startTerminal(acquirerPort: number, data = tmp('posfw-bench-t-'), node = process.execPath, env: NodeJS.ProcessEnv = {}): Promise<{ proc: Proc; api: string; bootMs: number }> {
  const port = await freePort();
  const t0 = performance.now();
  const proc = posfw(['sim', '--headless', '--board', BOARD, '--data', data, '--port', String(port), '--acquirer', `127.0.0.1:${acquirerPort}`, '--log-level', 'warn'], { ...RUNTIME_ENV, ...env }, node);
  started.push(proc);
  await proc.waitFor(/^READY$/m);
  return { proc, api: `http://127.0.0.1:${port}`, bootMs: performance.now() - t0 };
}

function nodeStartMs(node: string): number {
  const t0 = performance.now();
  spawnSync(node, ['-e', '0']);
  return performance.now() - t0;
}

/**
 * Boot to READY (terminal alone: the acquirer runs in its own process) against `node -e 0` on the same Node, medians
 * of BOOTS. A terminal boots on its data folder every day; the first boot (operators created, keys made) happens once and
 * is shown apart. With `env` NODE_COMPILE_CACHE, the first boot also fills the compile cache the others read.
 */
async function bootRatio(acquirerPort: number, node: string, env: NodeJS.ProcessEnv = {}): Promise<{ node: string; nodeMs: number; readyMs: number; ratio: number; firstBootMs: number; target: number }> {
  const bootData = tmp('posfw-bench-boot-');
  const first = await startTerminal(acquirerPort, bootData, node, env);
  await first.proc.stop();
  // Interleaved, so a slow spell of the machine weighs on both sides alike.
  const boots: number[] = [];
  const nodes: number[] = [];
  for (let i = 0; i < BOOTS; i++) {
    nodes.push(nodeStartMs(node));
    const t = await startTerminal(acquirerPort, bootData, node, env);
    boots.push(t.bootMs);
    await t.proc.stop();
  }
  const [nodeMs, readyMs] = [median(nodes), median(boots)];
  const version = spawnSync(node, ['-v'], { encoding: 'utf8' }).stdout.trim();
  return { node: version, nodeMs: round(nodeMs), readyMs: round(readyMs), ratio: round(readyMs / nodeMs), firstBootMs: round(first.bootMs), target: 4 };
}

/** The release's LTS Node, when `make release` or `make test-lts` has unpacked it: the runtime a board boots on. */
const LTS_NODE = join(ROOT, 'release', 'cache', 'node-lts', 'bin', 'node');

async function main(): Promise<void> {
  const acquirer = posfw(['acquirer', '--port', '0', '--admin-port', '0', '--data', tmp('posfw-bench-a-'), '--log-level', 'warn']);
  const [, acqPort] = await acquirer.waitFor(/ACQUIRER READY (\d+) (\d+)/);
  try {
    const boot = await bootRatio(Number(acqPort), process.execPath);
    // As a board boots: the bundled LTS Node with the unit's compile cache (when that Node is unpacked here).
    const bootLts = existsSync(LTS_NODE) ? await bootRatio(Number(acqPort), LTS_NODE, { NODE_COMPILE_CACHE: tmp('posfw-bench-cc-') }) : null;

    const t = await startTerminal(Number(acqPort));
    await new Promise((r) => setTimeout(r, 2000));
    const idleRss = rssMb(t.proc.pid);
    await sales(t.api, WARMUP);
    const rss0 = rssMb(t.proc.pid);

    const [tc0, ac0] = [cpuMs(t.proc.pid), cpuMs(acquirer.pid)];
    const w0 = performance.now();
    await sales(t.api, CPU_SALES);
    const wallMsPerSale = (performance.now() - w0) / CPU_SALES;
    const termCpu = (cpuMs(t.proc.pid) - tc0) / CPU_SALES;
    const acqCpu = (cpuMs(acquirer.pid) - ac0) / CPU_SALES;

    const journal0 = (await call(`${t.api}/v1/health`)).body.journal;
    const termSyncs = await countSyncCalls(t.proc.pid, () => sales(t.api, SYNC_SALES));
    const journal1 = (await call(`${t.api}/v1/health`)).body.journal;
    const acqSyncs = await countSyncCalls(acquirer.pid, () => sales(t.api, SYNC_SALES));
    const syncedWritesPerSale = (journal1.syncedWrites - journal0.syncedWrites) / SYNC_SALES;

    await sales(t.api, Math.max(0, SALES - CPU_SALES - 2 * SYNC_SALES));
    const rss1 = rssMb(t.proc.pid);
    await t.proc.stop();

    const results = {
      measuredAt: new Date().toISOString(),
      node: process.version,
      terminalEnv: RUNTIME_ENV,
      sales: { warmup: WARMUP, total: WARMUP + Math.max(SALES, CPU_SALES + 2 * SYNC_SALES) },
      fsyncPerSale: {
        terminal: termSyncs === undefined ? null : termSyncs / SYNC_SALES,
        acquirer: acqSyncs === undefined ? null : acqSyncs / SYNC_SALES,
        journalSyncedWrites: syncedWritesPerSale,
        target: 2,
      },
      cpuMsPerSale: { terminal: round(termCpu), acquirer: round(acqCpu), ratio: round(termCpu / acqCpu), target: 1.5, wallMs: round(wallMsPerSale) },
      rssMb: { idle: round(idleRss), afterWarmup: round(rss0), afterSales: round(rss1), growth: round(rss1 - rss0), targets: { idle: 80, growth: 5 } },
      boot,
      bootLtsWithCompileCache: bootLts,
    };
    const f = results.fsyncPerSale;
    console.log(`fsync per approved ECR card sale: terminal ${f.terminal ?? 'n/a (no strace)'}, acquirer ${f.acquirer ?? 'n/a'}; journal synced writes ${f.journalSyncedWrites} (target <= 2)`);
    console.log(`CPU per sale: terminal ${results.cpuMsPerSale.terminal} ms vs acquirer ${results.cpuMsPerSale.acquirer} ms = ${results.cpuMsPerSale.ratio}x (target <= 1.5x); wall ${results.cpuMsPerSale.wallMs} ms per sale`);
    console.log(`RSS: idle ${results.rssMb.idle} MB (target <= 80); growth over ${Math.max(SALES - CPU_SALES - 2 * SYNC_SALES, 0) + CPU_SALES + 2 * SYNC_SALES} sales after ${WARMUP} warm-up: ${results.rssMb.growth} MB (target <= 5)`);
    const b = results.boot;
    console.log(`boot to READY ${b.readyMs} ms vs node -e 0 ${b.nodeMs} ms = ${b.ratio}x (target <= 4x) on ${b.node}; first boot of a new data folder ${b.firstBootMs} ms`);
    if (bootLts) console.log(`boot on the release's ${bootLts.node} with the unit's compile cache: ${bootLts.readyMs} ms vs node -e 0 ${bootLts.nodeMs} ms = ${bootLts.ratio}x`);
    else console.log('boot on the release\'s LTS Node: not measured (run `make test-lts` or `make release` once to unpack it)');
    console.log(`terminal environment (board runtime section, as the service unit sets it): ${Object.entries(RUNTIME_ENV).map(([k, v]) => `${k}=${v}`).join(' ')}`);
    writeFileSync(join(ROOT, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  } finally {
    for (const p of started) await p.stop();
    await acquirer.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 100) / 100;

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
