// A merchant's day under chaos: seeded sales, holds, completions, voids, refunds and settlements through the ECR and /sim,
// faults on every message type and SIGKILLs at random moments; then the invariants, checked against the host's ledger.
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../../firmware/common/prng';
import { ROOT, runCli } from '../helpers/cli';
import { freePort, http, startPosfw, type Proc } from '../helpers/procs';

const TRACK2 = ';4761739001010010=30121010000000000000?';
const FAULTS = ['dropRequest', 'dropResponse', 'delayResponse', 'garbleReply', 'disconnectMidReply', 'force'] as const;
const MTI_GROUPS: Record<string, { mtis: string[]; force: string }> = {
  financial: { mtis: ['0100', '0200', '0220'], force: '96' },
  reversal: { mtis: ['0400', '0401'], force: '25' },
  settlement: { mtis: ['0500', '0501', '0320'], force: '95' },
};

export interface DayOptions {
  ops: number;
  kills: number;
  seed: number;
  log?: (line: string) => void;
}

export interface DaySummary {
  seed: number;
  ops: Record<string, number>;
  kills: number;
  settlements: number;
  doubleCharges: string[];
  lostApprovals: string[];
  mismatches: string[];
  stuckBatches: string[];
  unfinished: string[];
  line: string;
}

interface Txn {
  reference: string;
  type: string;
  original?: string;
}

type View = { status: string; type: string; reference: string } | undefined;
type Entry = { reference: string; kind: string; status: string; responseCode: string };

export async function runDay(o: DayOptions): Promise<DaySummary> {
  const rnd = mulberry32(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const dirs = [mkdtempSync(join(tmpdir(), 'posfw-day-acq-')), mkdtempSync(join(tmpdir(), 'posfw-day-'))];
  const [acqData, data] = dirs;
  const board = JSON.parse(readFileSync(join(ROOT, 'board-configs', 'sim.json'), 'utf8'));
  board.host = { ...board.host, responseTimeoutMs: 1000 };
  board.policy = { ...board.policy, reversalRetryMs: 100, reversalRetryMaxMs: 800, settlementRetryMs: 200, duplicateWindowSec: 0 };
  const boardFile = join(data, 'board.json');
  writeFileSync(boardFile, JSON.stringify(board));
  const acquirer = startPosfw(['acquirer', '--port', '0', '--admin-port', '0', '--data', acqData, '--log-level', 'warn']);
  const [, port, adminPort] = await acquirer.waitFor(/ACQUIRER READY (\d+) (\d+)/);
  const admin = `http://127.0.0.1:${adminPort}`;
  const apiPort = await freePort();
  const api = `http://127.0.0.1:${apiPort}`;
  const txns: Txn[] = [];
  const counts: Record<string, number> = {};
  let kills = 0;
  let settlements = 0;
  let terminal: Proc | undefined;
  const boot = async () => {
    terminal = startPosfw(['sim', '--headless', '--board', boardFile, '--data', join(data, 'terminal'), '--port', String(apiPort), '--acquirer', `127.0.0.1:${port}`, '--log-level', 'warn']);
    await terminal.waitFor(/^READY$/m, 30000);
  };
  const get = async <T>(path: string) => (await http<T>(`${api}${path}`).catch(() => ({ status: 0, body: undefined as T }))).body;
  const view = (ref: string) => get<View & { error?: string }>(`/v1/transactions/${encodeURIComponent(ref)}`).then((v) => (v && !v.error ? v : undefined));
  const lcdHas = async (text: string) => ((await get<{ lines: string[] }>('/sim/lcd'))?.lines ?? []).includes(text);
  const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** Waits (bounded) for a condition; false when it did not come. */
  const waitUntil = async (fn: () => Promise<boolean>, ms: number) => {
    for (const end = Date.now() + ms; Date.now() < end; await settle(50)) if (await fn().catch(() => false)) return true;
    return false;
  };

  /** Originals the ECR last saw approved, by type. */
  const approvedOf = async (types: string[]) => {
    const out: Txn[] = [];
    for (const t of txns.slice(-60)) if (types.includes(t.type) && (await view(t.reference))?.status === 'approved') out.push(t);
    return out;
  };

  /** Starts the transaction at the ECR; presents the card (and PIN) when the terminal asks, as a cardholder would. */
  async function cardOp(t: Txn, body: Record<string, unknown>): Promise<void> {
    const start = await http(`${api}/v1/transactions`, { ...body, wait: 0 }).catch(() => undefined);
    if (!start || start.status >= 400) return;
    let asked = false;
    await waitUntil(async () => (asked = await lcdHas('SWIPE CARD')) || (await view(t.reference))?.status !== 'in-progress', 3000);
    if (!asked) return;
    await http(`${api}/sim/card`, { track2: TRACK2 }).catch(() => undefined);
    if (t.type === 'sale' || t.type === 'preauth') await http(`${api}/sim/pin`, rnd() < 0.8 ? { pin: '1234' } : { bypass: true }).catch(() => undefined);
  }

  async function operation(i: number): Promise<void> {
    const amount = (100 + i) * 100 + 1;
    const roll = rnd();
    const reference = `DAY-${o.seed}-${i}`;
    let t: Txn | undefined;
    if (roll < 0.07) {
      counts.settlement = (counts.settlement ?? 0) + 1;
      const s = await http<{ status?: string }>(`${api}/v1/settlement`, {}).catch(() => undefined);
      if (s?.body?.status === 'settled') settlements++;
      return;
    }
    if (roll < 0.4) t = { reference, type: 'sale' };
    else if (roll < 0.5) t = { reference, type: 'preauth' };
    else {
      const kind = pick(['completion', 'void', 'refund', 'refund']);
      const pool = await approvedOf(kind === 'completion' ? ['preauth'] : kind === 'void' ? ['sale', 'completion', 'preauth'] : ['sale', 'completion']);
      if (pool.length === 0) t = { reference, type: 'sale' };
      else t = { reference, type: kind, original: pick(pool).reference };
    }
    counts[t.type] = (counts[t.type] ?? 0) + 1;
    txns.push(t);
    const body: Record<string, unknown> = { reference: t.reference, type: t.type };
    if (t.type === 'sale' || t.type === 'preauth') body.amount = amount;
    if (t.type === 'refund' || t.type === 'completion') body.amount = 100;
    if (t.original) body.original = { reference: t.original };
    await cardOp(t, body);
  }

  async function faultFor(): Promise<void> {
    await http(`${admin}/faults`, undefined, 'DELETE');
    if (rnd() > 0.35) return;
    const group = MTI_GROUPS[pick(Object.keys(MTI_GROUPS))];
    const fault = pick(FAULTS);
    const config: Record<string, unknown> = { seed: Math.floor(rnd() * 1e9), onlyMti: group.mtis, delayMs: 1500 };
    if (fault === 'force') config.forceResponseCode = { code: group.force, probability: 0.6 };
    else config[fault] = 0.6;
    await http(`${admin}/faults`, config);
  }

  try {
    await boot();
    for (let i = 0; i < o.ops; i++) {
      await faultFor();
      const kill = kills < o.kills && rnd() < (o.kills - kills) / (o.ops - i);
      const op = operation(i);
      if (kill) {
        await settle(Math.floor(rnd() * 1200));
        await terminal!.kill('SIGKILL');
        kills++;
        await op.catch(() => undefined);
        await http(`${admin}/faults`, undefined, 'DELETE');
        await boot();
      } else {
        await op;
        await waitUntil(async () => (await get<{ busy?: boolean }>('/v1/health'))?.busy === false, 15000);
      }
      if (i % 50 === 0) o.log?.(`op ${i}: ${JSON.stringify(counts)} kills ${kills}`);
    }
    // End of day: no faults, every reversal acknowledged, a final settlement agreed.
    await http(`${admin}/faults`, undefined, 'DELETE');
    await waitUntil(async () => (await get<{ safPending?: number }>('/v1/health'))?.safPending === 0, 120000);
    await waitUntil(async () => ['settled', 'nothing-to-settle'].includes((await http<{ status?: string }>(`${api}/v1/settlement`, {}).catch(() => undefined))?.body?.status ?? ''), 60000);
    return await check();
  } finally {
    await terminal?.kill();
    await acquirer.kill();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }

  async function check(): Promise<DaySummary> {
    const entries = (await http<{ entries: Entry[] }>(`${admin}/ledger`)).body.entries;
    const doubleCharges: string[] = [];
    const lostApprovals: string[] = [];
    const mismatches: string[] = [];
    for (const t of txns) {
      const posted = entries.filter((e) => e.reference === t.reference && (e.status === 'approved' || e.status === 'voided')).length;
      const v = await view(t.reference);
      const told = v?.status ?? 'never-started';
      if (posted > 1) doubleCharges.push(t.reference);
      if ((told === 'approved' || told === 'voided') && posted !== 1) lostApprovals.push(`${t.reference} (${told}, host posted ${posted})`);
      if (!['approved', 'voided'].includes(told) && posted !== 0) mismatches.push(`${t.reference} (told ${told}, host posted ${posted})`);
    }
    const stuckBatches: string[] = [];
    const totals = (await http<{ totals: Array<{ batch: string; debitCount: number; debitAmount: number; creditCount: number; creditAmount: number; settlement: null | { closed: boolean; adjusted: boolean } }> }>(`${admin}/totals`)).body.totals;
    for (const row of totals) {
      const ours = (await get<{ status?: string; totals?: Record<string, number> }>(`/v1/reports/settlement?batch=${row.batch}`)) ?? {};
      const agreed = row.settlement?.closed && !row.settlement.adjusted && ours.status === 'settled' && ours.totals?.debitAmount === row.debitAmount && ours.totals?.creditAmount === row.creditAmount;
      const empty = row.debitCount + row.creditCount === 0;
      if (!agreed && !empty) stuckBatches.push(`${row.batch} (host ${JSON.stringify(row.settlement)}, terminal ${ours.status})`);
    }
    await terminal?.kill();
    const journal = await runCli(['journal', 'ls', '--json', '--limit', '100000', '--data', join(data, 'terminal'), '--board', boardFile]);
    const records = JSON.parse(journal.stdout || '[]') as Array<{ reference: string; state: string }>;
    const unfinished = records.filter((r) => ['created', 'sending', 'approved', 'declined', 'reversal-pending'].includes(r.state)).map((r) => `${r.reference} (${r.state})`);
    const opsTotal = Object.values(counts).reduce((a, b) => a + b, 0);
    const line =
      `chaos day (seed ${o.seed}): ${opsTotal} operations ${JSON.stringify(counts)}, ${kills} kills, ${settlements} settlements during the day + 1 at close; ` +
      `double charges ${doubleCharges.length}, lost approvals ${lostApprovals.length}, mismatches ${mismatches.length}, stuck batches ${stuckBatches.length}, unfinished ${unfinished.length}`;
    return { seed: o.seed, ops: counts, kills, settlements, doubleCharges, lostApprovals, mismatches, stuckBatches, unfinished, line };
  }
}
