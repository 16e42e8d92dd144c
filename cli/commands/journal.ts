// `posfw journal ls|show`: read the transaction journal (masked card data only; the terminal must not be running).
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inUseText, isLockedError } from '../../firmware/journal/lock-holder';
import { intOption } from '../options';
import { loadBoard } from '../../firmware/board/load';
import { Journal } from '../../firmware/journal/journal';
import { loadDeviceKey } from '../../firmware/keys/device-key';
import { silentLogger } from '../../firmware/log';
import type { TxnRecord } from '../../firmware/journal/types';
import { ecrStatus } from '../../firmware/ecr/view';
import { detailReport, holdsReport, settlementReport, type DetailReport, type HoldsReport, type SettlementReport } from '../../firmware/money/reports';
import { detailReportDoc, holdsReportDoc, settlementReportDoc } from '../../firmware/receipts/report-doc';
import { renderText } from '../../firmware/hal/printer/receipt-doc';
import { register as registerAudit } from './journal-audit';

interface Opts {
  data: string;
  board: string;
  json?: boolean;
  batch?: number;
  limit: number;
}

/** The record as shown: everything but the sealed card data. */
function publicRecord(r: TxnRecord): Omit<TxnRecord, 'sealed' | 'cardTag'> {
  const { sealed: _s, cardTag: _t, ...rest } = r;
  return rest;
}

async function withJournal<T>(opts: Opts, fn: (j: Journal) => Promise<T>): Promise<T> {
  const board = loadBoard(opts.board);
  const dir = join(opts.data, 'journal');
  // Reading never creates: LevelDB would make an empty journal where none was.
  if (!existsSync(join(dir, 'CURRENT'))) throw new Error(`no journal in ${opts.data} (expected ${dir}; is --data the terminal's data folder?)`);
  let journal: Journal;
  try {
    const deviceKey = await loadDeviceKey({ security: board.security, dataDir: opts.data, boardFile: opts.board, readOnly: true });
    journal = await Journal.open(dir, deviceKey, silentLogger, undefined, { maintainKeys: false });
  } catch (err) {
    if (isLockedError(err)) throw new Error(`the journal in ${opts.data} is ${inUseText(dir)}: read it through the ECR API (GET /v1/transactions) while the terminal runs`);
    const msg = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new Error(`cannot open the journal in ${opts.data}: ${msg}`);
  }
  try {
    return await fn(journal);
  } finally {
    await journal.close();
  }
}

const line = (r: TxnRecord) =>
  [r.stan, r.batch, r.type.padEnd(10), r.state.padEnd(16), ecrStatus(r).padEnd(11), String(r.amount).padStart(10), r.currency, r.maskedPan ?? '-', r.responseCode ?? '--', r.rrn ?? '-', r.reference].join('  ');

export function register(program: Command): void {
  const journal = program.command('journal').description('Read the transaction journal');
  registerAudit(journal);
  const common = (c: Command) =>
    c
      .option('--data <dir>', 'data folder of the terminal', '.sim-data')
      .option('--board <file>', 'board config (for the journal key)', 'board-configs/sim.json')
      .option('--json', 'JSON output');

  common(journal.command('ls').description('List transactions, newest first'))
    .option('--batch <n>', 'only this batch number', intOption('a batch number', 1, 999999))
    .option('--limit <n>', 'at most this many', intOption('a count', 1, 100000), 50)
    .action(async (opts: Opts) => {
      const rows = await withJournal(opts, (j) => j.list({ batch: opts.batch === undefined ? undefined : String(opts.batch).padStart(6, '0'), limit: opts.limit }));
      if (opts.json) return void process.stdout.write(JSON.stringify(rows.map(publicRecord), null, 2) + '\n');
      process.stdout.write('STAN    BATCH   TYPE        STATE             STATUS       AMOUNT     CUR  CARD              RC  RRN           REFERENCE\n');
      for (const r of rows) process.stdout.write(line(r) + '\n');
    });

  common(journal.command('report').description('Settlement (last closed batch, or --batch), detail (current batch, or --batch) or open pre-auth holds').argument('<kind>', 'settlement | detail | holds'))
    .option('--batch <n>', 'batch number', intOption('a batch number', 1, 999999))
    .action(async (kind: string, opts: Opts) => {
      if (!['settlement', 'detail', 'holds'].includes(kind)) {
        process.stderr.write(`posfw journal report: unknown report "${kind}"; expected settlement, detail or holds\n`);
        process.exitCode = 2;
        return;
      }
      const board = loadBoard(opts.board);
      const batch = opts.batch === undefined ? undefined : String(opts.batch).padStart(6, '0');
      const report = await withJournal<SettlementReport | DetailReport | HoldsReport | undefined>(opts, (j) =>
        kind === 'detail' ? detailReport(j, batch) : kind === 'holds' ? holdsReport(j, Date.now(), board.policy.preauthHoldDays) : settlementReport(j, batch),
      );
      if (!report) {
        process.stderr.write(`batch ${batch} was never settled in this journal\n`);
        process.exitCode = 1;
        return;
      }
      if (opts.json) return void process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      const o = { terminal: board.terminal, printedAt: new Date(), duplicate: false };
      const doc = report.kind === 'settlement' ? settlementReportDoc(report, o) : report.kind === 'detail' ? detailReportDoc(report, o) : holdsReportDoc(report, o);
      process.stdout.write(renderText(doc, 40) + '\n');
    });

  common(journal.command('show').description('Show one transaction by reference, RRN or trace number (current batch)').argument('<key>', 'reference, RRN or STAN'))
    .action(async (key: string, opts: Opts) => {
      const rec = await withJournal(opts, async (j) => (await j.byReference(key)) ?? (await j.byRrn(key)) ?? (/^\d{1,6}$/.test(key) ? j.byStan(await j.batchNumber(), key.padStart(6, '0')) : undefined));
      if (!rec) {
        process.stderr.write(`no transaction matching "${key}"\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(JSON.stringify(publicRecord(rec), null, 2) + '\n');
    });
}
