// Acquirer host simulator: ISO 8583 over TCP with a LevelDB ledger, fault injection and an admin HTTP API (startAcquirer).
import { mkdirSync } from 'node:fs';
import { defaultSpec, Iso8583Codec, type IsoSpec } from '../../firmware/host/iso8583';
import type { FramingOptions } from '../../firmware/host/transport/framing';
import type { Logger } from '../../firmware/log';
import { createAdminApp } from './admin';
import { resolveBdks } from './bdk';
import type { BdkSet } from './card-checks';
import { Faults } from './faults';
import { Ledger } from './ledger';
import { Processor } from './processor';
import { AcquirerServer } from './server';

export { SPECIAL_CARDS, MAGIC_AMOUNTS, DEFAULT_PIN, luhnValid } from './cards';
export { faultConfigSchema, type FaultConfig } from './faults';
export type { BatchTotals, EntryKind, EntryStatus, LedgerEntry, SettlementRecord, TotalsRow, UploadRecord } from './types';
export type { BdkSet } from './card-checks';
export { Ledger } from './ledger';
export { TEST_BDKS, parseBdkOption, resolveBdks } from './bdk';
export { Faults } from './faults';

export interface AcquirerOptions {
  /** Loopback only. */
  host?: '127.0.0.1';
  /** ISO 8583 port (default 5858; 0 = ephemeral). */
  port?: number;
  /** Admin HTTP port (default 5859; 0 = ephemeral). */
  adminPort?: number;
  /** LevelDB ledger folder (created if missing). */
  dataDir: string;
  /** A TDES BDK (16 bytes), or BDKs by scheme. Schemes left out use the test BDKs. */
  bdk?: Buffer | BdkSet;
  log: Logger;
  now?: () => Date;
  /** Days a pre-authorisation holds funds (default 30). */
  holdDays?: number;
  spec?: IsoSpec;
  framing?: FramingOptions;
}

export interface Acquirer {
  port: number;
  adminPort: number;
  adminUrl: string;
  ledger: Ledger;
  faults: Faults;
  /** Closes both listeners, waits for the request in progress, closes the ledger. Idempotent. */
  stop(): Promise<void>;
}

function checkPort(name: string, port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`${name}: expected 0..65535, got ${String(port)}`);
}

/**
 * Starts the simulator: opens the ledger, then the ISO 8583 listener and the admin API on 127.0.0.1.
 * Throws synchronously-in-the-promise for bad options; rejects when the ledger cannot open or a port is taken
 * (everything already opened is closed again).
 */
export async function startAcquirer(opts: AcquirerOptions): Promise<Acquirer> {
  const host = opts.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new RangeError(`host: the acquirer simulator binds 127.0.0.1 only, got ${String(host)}`);
  const port = opts.port ?? 5858;
  const adminPort = opts.adminPort ?? 5859;
  checkPort('port', port);
  checkPort('adminPort', adminPort);
  const bdk = resolveBdks(opts.bdk);
  const log = opts.log.child({ ns: 'acquirer' });
  // The simulator's clock can be moved on through the admin API (POST /clock) to play out hold expiry.
  let offsetMs = 0;
  const base = opts.now ?? (() => new Date());
  const now = () => new Date(base().getTime() + offsetMs);
  const codec = new Iso8583Codec(opts.spec ?? defaultSpec);
  mkdirSync(opts.dataDir, { recursive: true });
  const ledger = await Ledger.open(opts.dataDir, opts.log);
  const faults = new Faults();
  faults.clear();
  // Components take the caller's logger and name their own namespace (acquirer.tcp, acquirer.host, ...).
  const processor = new Processor({ ledger, bdk, now, holdDays: opts.holdDays ?? 30, log: opts.log });
  const server = new AcquirerServer({ host, port, codec, processor, faults, log: opts.log, framing: opts.framing });
  const admin = createAdminApp({ ledger, faults, log: opts.log, idle: () => processor.idle(), received: () => [...processor.received], clearReceived: () => void processor.received.splice(0), clock: { now, advance: (ms) => void (offsetMs += ms) } });
  let boundPort: number;
  try {
    boundPort = await server.listen();
    await admin.listen({ host, port: adminPort });
  } catch (err) {
    await server.close().catch(() => undefined);
    await admin.close().catch(() => undefined);
    await ledger.close().catch(() => undefined);
    throw err;
  }
  const addr = admin.server.address();
  const boundAdmin = typeof addr === 'object' && addr ? addr.port : adminPort;
  log.info({ port: boundPort, adminPort: boundAdmin }, 'acquirer simulator listening');
  let stopping: Promise<void> | undefined;
  return {
    port: boundPort,
    adminPort: boundAdmin,
    adminUrl: `http://${host}:${boundAdmin}`,
    ledger,
    faults,
    stop: () =>
      (stopping ??= (async () => {
        await server.close();
        await admin.close();
        await processor.idle();
        await ledger.close();
        log.info('acquirer simulator stopped');
      })()),
  };
}
