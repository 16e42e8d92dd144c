// Builds the money side of the terminal: journal, acquirer link (embedded simulator or a real host), SAF, recovery.
import { readFileSync } from 'node:fs';
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
import { startAcquirer, type Acquirer } from '../../simulator/acquirer';

export interface Money {
  journal: Journal;
  link: HostLink;
  stan: StanCounter;
  authoriser: Authoriser;
  saf: SafWorker;
  acquirer?: Acquirer;
  stop(): Promise<void>;
}

/** The journal key: hex in the board file (simulators), or a key file of 64 hex digits or 32 raw bytes. */
export function journalKey(board: BoardConfig): Buffer {
  if (board.security.journalKey) return Buffer.from(board.security.journalKey, 'hex');
  const raw = readFileSync(board.security.journalKeyFile!);
  const text = raw.toString('utf8').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (raw.length === 32) return raw;
  throw new Error(`${board.security.journalKeyFile}: expected 64 hex digits or 32 bytes`);
}

export interface MoneyOptions {
  board: BoardConfig;
  dataDir: string;
  log: Logger;
  /** HOST:PORT overriding the board's acquirer. */
  acquirer?: string;
  acquirerPort?: number;
  acquirerAdminPort?: number;
}

export async function startMoney(opts: MoneyOptions): Promise<Money> {
  const { board, log } = opts;
  const journal = await Journal.open(join(opts.dataDir, 'journal'), journalKey(board), log);
  let acquirer: Acquirer | undefined;
  let target = opts.acquirer ?? board.host.acquirer;
  const spec = board.host.spec ? loadSpec(board.host.spec) : defaultSpec;
  const framing = board.host.header ? { header: Buffer.from(board.host.header, 'hex') } : undefined;
  try {
    if (target === 'embedded') {
      acquirer = await startAcquirer({
        port: opts.acquirerPort ?? 5858,
        adminPort: opts.acquirerAdminPort ?? 5859,
        dataDir: join(opts.dataDir, 'acquirer'),
        log,
        spec,
        framing,
      });
      target = `127.0.0.1:${acquirer.port}`;
    }
  } catch (err) {
    await journal.close();
    throw err;
  }
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const link = new HostLink({
    host,
    port,
    tls: board.host.tls,
    connectTimeoutMs: board.host.connectTimeoutMs,
    responseTimeoutMs: board.host.responseTimeoutMs,
    framing,
    codec: new Iso8583Codec(spec),
    log,
  });
  const saf = new SafWorker({ journal, host: link, terminal: board.terminal, log, retryMs: board.policy.reversalRetryMs, retryMaxMs: board.policy.reversalRetryMaxMs });
  const authoriser = new Authoriser({ journal, host: link, terminal: board.terminal, log, onReversalQueued: () => saf.kick() });
  link.onLateReply((reply, request) => void handleLateReply(reply, request, { journal, saf, log }).catch((err) => log.error({ err }, 'late reply handling failed')));
  return {
    journal,
    link,
    stan: new StanCounter(journal.stanStore()),
    authoriser,
    saf,
    acquirer,
    async stop() {
      await saf.stop();
      await link.close();
      await journal.close();
      await acquirer?.stop();
    },
  };
}
