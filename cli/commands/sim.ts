// `posfw sim` and `posfw run`: boot the terminal (simulator board, or real hardware) and keep serving.
import type { Command } from 'commander';
import { join } from 'node:path';
import { boot, type Terminal } from '../../firmware/main';
import { createLogger } from '../../firmware/log';
import { startConsole } from '../console';

interface RunOpts {
  board: string;
  data: string;
  headless?: boolean;
  port?: string;
  acquirer?: string;
  acquirerPort?: string;
  acquirerAdminPort?: string;
  logLevel?: string;
}

async function runTerminal(opts: RunOpts, interactive: boolean): Promise<void> {
  // In the interactive console the screen is the LCD: logs go to a file beside the data.
  const log = interactive
    ? createLogger({ level: opts.logLevel, destination: require('pino').destination({ dest: join(opts.data, 'posfw.log'), mkdir: true, sync: false }) })
    : createLogger({ level: opts.logLevel });
  let terminal: Terminal;
  try {
    terminal = await boot({ boardFile: opts.board, dataDir: opts.data, log, apiPort: opts.port !== undefined ? Number(opts.port) : undefined,
      acquirer: opts.acquirer,
      acquirerPort: opts.acquirerPort !== undefined ? Number(opts.acquirerPort) : undefined,
      acquirerAdminPort: opts.acquirerAdminPort !== undefined ? Number(opts.acquirerAdminPort) : undefined,
    });
  } catch (err) {
    process.stderr.write(`posfw: ${(err as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const shutdown = async () => {
    await terminal.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  if (interactive) {
    startConsole(terminal, shutdown);
  } else {
    process.stdout.write(`READY\n`);
    const acq = terminal.money.acquirer;
    process.stderr.write(`posfw: API on ${terminal.apiUrl}${acq ? `; acquirer simulator on 127.0.0.1:${acq.port}, admin ${acq.adminUrl}` : ''}\n`);
  }
}

export function register(program: Command): void {
  program
    .command('sim')
    .description('Run the terminal in simulator mode (every device simulated, acquirer simulator embedded)')
    .option('--board <file>', 'board config', 'board-configs/sim.json')
    .option('--data <dir>', 'data folder (journal, logs, device state)', '.sim-data')
    .option('--headless', 'no console UI: print READY when idle and serve the APIs')
    .option('--port <n>', 'ECR/simulator API port (default from the board config)')
    .option('--acquirer <host:port>', 'use the acquirer at HOST:PORT instead of the embedded simulator')
    .option('--acquirer-port <n>', 'ISO 8583 port of the embedded acquirer simulator', '5858')
    .option('--acquirer-admin-port <n>', 'admin API port of the embedded acquirer simulator', '5859')
    .option('--log-level <level>', 'pino log level', 'info')
    .action(async (opts: RunOpts) => runTerminal(opts, !opts.headless && process.stdin.isTTY === true));

  program
    .command('run')
    .description('Run the terminal on hardware with the given board config')
    .requiredOption('--board <file>', 'board config')
    .option('--data <dir>', 'data folder (journal, logs, device state)', '/var/lib/posfw')
    .option('--port <n>', 'ECR API port (default from the board config)')
    .option('--log-level <level>', 'pino log level', 'info')
    .action(async (opts: RunOpts) => runTerminal({ ...opts, headless: true }, false));
}
