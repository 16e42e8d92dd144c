// `posfw acquirer`: runs the acquirer host simulator alone; prints ACQUIRER READY <port> <adminPort> when listening.
import type { Command } from 'commander';
import { createLogger } from '../../firmware/log';
import { parseBdkOption, startAcquirer, type Acquirer, type BdkSet } from '../../simulator/acquirer';

interface AcquirerCliOptions {
  port: string;
  adminPort: string;
  data: string;
  bdk?: string;
  holdDays: string;
  logLevel: string;
}

function portOption(name: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new RangeError(`${name}: expected a port number 0..65535, got ${JSON.stringify(value)}`);
  return n;
}

async function run(opts: AcquirerCliOptions): Promise<void> {
  let port: number;
  let adminPort: number;
  let bdk: BdkSet | undefined;
  let holdDays: number;
  try {
    holdDays = Number(opts.holdDays);
    if (!/^\d+$/.test(opts.holdDays) || holdDays < 1 || holdDays > 365) throw new RangeError(`--hold-days: expected whole days 1..365, got ${JSON.stringify(opts.holdDays)}`);
    port = portOption('--port', opts.port);
    adminPort = portOption('--admin-port', opts.adminPort);
    bdk = opts.bdk !== undefined ? parseBdkOption(opts.bdk) : undefined;
  } catch (err) {
    process.stderr.write(`posfw acquirer: ${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const log = createLogger({ level: opts.logLevel });
  let acq: Acquirer;
  try {
    acq = await startAcquirer({ port, adminPort, dataDir: opts.data, bdk, holdDays, log });
  } catch (err) {
    process.stderr.write(`posfw acquirer: ${(err as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`posfw acquirer: ${signal}, stopping\n`);
    acq.stop().then(
      () => process.exit(0),
      (err: Error) => {
        process.stderr.write(`posfw acquirer: stop failed: ${err.message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.stdout.write(`ACQUIRER READY ${acq.port} ${acq.adminPort}\n`);
  process.stderr.write(`posfw acquirer: ISO 8583 on 127.0.0.1:${acq.port}, admin API on ${acq.adminUrl}, ledger in ${opts.data}\n`);
}

export function register(program: Command): void {
  program
    .command('acquirer')
    .description('Run the acquirer host simulator alone: ISO 8583 over TCP, LevelDB ledger, admin HTTP API with fault injection')
    .option('--port <n>', 'ISO 8583 port on 127.0.0.1 (0 = any free port)', '5858')
    .option('--admin-port <n>', 'admin HTTP port on 127.0.0.1 (0 = any free port)', '5859')
    .option('--data <dir>', 'ledger folder (LevelDB)', '.acquirer-data')
    .option('--bdk <hex>', 'TDES BDK as 32 hex digits, or tdes:HEX,aes128:HEX,aes256:HEX (default: the X9.24 test BDKs)')
    .option('--hold-days <n>', 'days a pre-authorisation holds funds before the host releases it', '30')
    .option('--log-level <level>', 'pino log level (logs go to stderr)', 'info')
    .action(async (opts: AcquirerCliOptions) => run(opts));
}
