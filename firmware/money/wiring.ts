// Builds the money side of the terminal: journal, acquirer link, SAF worker, admission and the duplicate guard.
import { join } from 'node:path';
import type { BoardConfig } from '../board/schema';
import { Journal } from '../journal/journal';
import { HostLink } from '../host/link';
import { Iso8583Codec, defaultSpec, loadSpec } from '../host/iso8583';
import { StanCounter } from '../host/stan';
import type { Logger } from '../log';
import { Authoriser } from './authoriser';
import { SafWorker } from './saf';
import { handleLateReply } from './late-replies';
import { Admission } from './admission';
import { DuplicateGuard } from './duplicate-guard';
import { systemClock, type Clock } from '../common/clock';

export interface Money {
  journal: Journal;
  link: HostLink;
  stan: StanCounter;
  authoriser: Authoriser;
  saf: SafWorker;
  admission: Admission;
  duplicates: DuplicateGuard;
  stop(): Promise<void>;
}

export interface MoneyOptions {
  board: BoardConfig;
  dataDir: string;
  /** The device key (firmware/keys/device-key.ts): it unwraps the journal's per-batch data keys. */
  deviceKey: Buffer;
  log: Logger;
  /** HOST:PORT of the acquirer; overrides the board's `host.acquirer` (and is required when that says `embedded`). */
  acquirer?: string;
  clock?: Clock;
}

/** Where the acquirer is: the caller's HOST:PORT, else the board's. Throws when the board expects an embedded simulator. */
export function acquirerAddress(board: BoardConfig, override?: string): { host: string; port: number } {
  const target = override ?? board.host.acquirer;
  if (target === 'embedded') {
    throw new Error(`board ${board.board.name}: host.acquirer is "embedded": the acquirer simulator runs beside the terminal (posfw sim starts it); give its HOST:PORT (--acquirer)`);
  }
  const at = target.lastIndexOf(':');
  return { host: target.slice(0, at), port: Number(target.slice(at + 1)) };
}

export async function startMoney(opts: MoneyOptions): Promise<Money> {
  const { board, log } = opts;
  const clock = opts.clock ?? systemClock;
  const { host, port } = acquirerAddress(board, opts.acquirer);
  const journal = await Journal.open(join(opts.dataDir, 'journal'), opts.deviceKey, log, () => new Date(clock.now()));
  const spec = board.host.spec ? loadSpec(board.host.spec) : defaultSpec;
  const framing = board.host.header ? { header: Buffer.from(board.host.header, 'hex') } : undefined;
  const link = new HostLink({
    host,
    port,
    tls: board.host.tls,
    connectTimeoutMs: board.host.connectTimeoutMs,
    responseTimeoutMs: board.host.responseTimeoutMs,
    framing,
    codec: new Iso8583Codec(spec),
    clock,
    log,
  });
  const saf = new SafWorker({ journal, host: link, terminal: board.terminal, log, retryMs: board.policy.reversalRetryMs, retryMaxMs: board.policy.reversalRetryMaxMs, alertAfter: board.policy.reversalAlertAfter, clock });
  const authoriser = new Authoriser({ journal, host: link, terminal: board.terminal, log, clock, onReversalQueued: () => saf.kick() });
  const stan = new StanCounter(journal.stanStore());
  saf.configureQr({ stan, authoriser });
  const duplicates = new DuplicateGuard(journal, clock, board.policy.duplicateWindowSec);
  link.onLateReply((reply, request) => void handleLateReply(reply, request, { journal, saf, log }).catch((err) => log.error({ err }, 'late reply handling failed')));
  return {
    journal,
    link,
    stan,
    authoriser,
    saf,
    admission: new Admission({ journal, terminal: board.terminal, duplicates, clock, holdDays: board.policy.preauthHoldDays }),
    duplicates,
    async stop() {
      await saf.stop();
      await link.close();
      await journal.close();
    },
  };
}
