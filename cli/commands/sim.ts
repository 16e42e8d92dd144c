// `posfw sim` and `posfw run`: boot the terminal (simulator board, or real hardware) and keep serving.
import { Option, type Command } from 'commander';
import { join } from 'node:path';
import { boot, type Terminal } from '../../firmware/main';
import { createLogger } from '../../firmware/log';
import type { Bench } from '../../simulator/bench';
import type { Peers } from '../../simulator/peers';
import { loadBoard } from '../../firmware/board/load';
import { startSystemdService } from '../../firmware/system/service'; // posfw:systemd (issue 13)
import { flushCompileCache } from '../../firmware/system/compile-cache';
import { inUseText, isLockedError } from '../../firmware/journal/lock-holder';
import { portOption } from '../options';

interface RunOpts {
  board: string;
  data: string;
  headless?: boolean;
  port?: number;
  acquirer?: string;
  acquirerPort?: number;
  acquirerAdminPort?: number;
  logLevel?: string;
  /** `run` only: emulate the board's devices behind their real drivers (bench boards). */
  emulate?: boolean;
  /** Started as `posfw run` (hardware): no /sim unless --emulate. */
  run?: boolean;
  /** Console: how a graphic panel is drawn. */
  lcdStyle?: string;
}

async function runTerminal(opts: RunOpts, interactive: boolean): Promise<void> {
  // In the interactive console the screen is the LCD: logs go to a file beside the data.
  const log = interactive
    ? createLogger({ level: opts.logLevel, destination: require('pino').destination({ dest: join(opts.data, 'posfw.log'), mkdir: true, sync: false }) })
    : createLogger({ level: opts.logLevel });
  // `run --emulate`: the bench's emulated devices go up first, behind the pty links and buses the board names.
  let bench: Bench | undefined;
  if (opts.emulate) {
    try {
      const { startBench } = require('../../simulator/bench') as typeof import('../../simulator/bench');
      bench = await startBench(opts.board, { dataDir: opts.data, log });
    } catch (err) {
      process.stderr.write(`posfw: ${(err as Error).message}\n`);
      process.exitCode = 1;
      return;
    }
  }
  let terminal: Terminal | undefined;
  let peers: Peers | undefined;
  try {
    const boardFile = bench?.boardFile ?? opts.board;
    // The firmware never starts simulators: the CLI starts what the board expects beside it and hands it addresses.
    // Required here, not at the top: a terminal talking to a real host never loads the acquirer simulator.
    const { startPeers } = require('../../simulator/peers') as typeof import('../../simulator/peers');
    const board = loadBoard(boardFile);
    peers = await startPeers(board, {
      dataDir: opts.data,
      log,
      acquirer: opts.acquirer,
      acquirerPort: opts.acquirerPort,
      acquirerAdminPort: opts.acquirerAdminPort,
    });
    terminal = await boot({
      boardFile,
      dataDir: opts.data,
      log,
      apiPort: opts.port,
      acquirer: peers.acquirer,
      acquirerAdminUrl: peers.acquirerAdminUrl,
      // /sim: simulator mode, the emulated bench, and `posfw run` of a board whose devices are all simulated
      // (a release under test); never a board with a real device.
      simControl: !opts.run || bench !== undefined || Object.values(board.devices).every((d) => d.driver === 'sim'),
      ...(bench ? { peers: bench.peers, controls: bench.controls } : {}),
    });
  } catch (err) {
    await terminal?.stop();
    await peers?.close();
    await bench?.close();
    // A data folder another terminal holds: say which process (LevelDB only says "already held").
    const inUse = isLockedError(err) ? `the data folder ${opts.data} is ${inUseText(join(opts.data, 'journal'))}` : undefined;
    process.stderr.write(`posfw: ${inUse ?? (err as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const running = terminal;
  // posfw:systemd (issue 13): READY=1 only now that boot (journal recovery) resolved; watchdog; STOPPING=1 + drain on stop.
  const service = startSystemdService({ log: log.child({ ns: 'system' }), isBusy: () => running.controller.busy });
  await service.ready();
  flushCompileCache(); // the next boot reads compiled code instead of parsing it (Node 22.1+ with NODE_COMPILE_CACHE)
  const shutdown = async () => {
    await service.stopping(); // posfw:systemd
    await running.stop();
    await peers?.close();
    await bench?.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  if (interactive) {
    // Required here: a headless terminal or a board's service never loads the console renderer.
    const { startConsole } = require('../console') as typeof import('../console');
    startConsole(running, shutdown, { graphicStyle: opts.lcdStyle === 'blocks' ? 'blocks' : 'braille' });
  } else {
    process.stdout.write(`READY\n`);
    const acq = peers?.embedded;
    process.stderr.write(`posfw: API on ${running.apiUrl}${acq ? `; acquirer simulator on 127.0.0.1:${acq.port}, admin ${acq.adminUrl}` : ''}\n`);
    if (bench) process.stderr.write(`posfw: emulated devices, simulator control on ${running.apiUrl}/sim\n`);
  }
}

export function register(program: Command): void {
  program
    .command('sim')
    .description('Run the terminal in simulator mode (every device simulated, acquirer simulator embedded)')
    .option('--board <file>', 'board config', 'board-configs/sim.json')
    .option('--data <dir>', 'data folder (journal, logs, device state)', '.sim-data')
    .option('--headless', 'no console UI: print READY when idle and serve the APIs')
    .option('--port <n>', 'ECR/simulator API port (default from the board config)', portOption)
    .option('--acquirer <host:port>', 'use the acquirer at HOST:PORT instead of the embedded simulator')
    .option('--acquirer-port <n>', 'ISO 8583 port of the embedded acquirer simulator', portOption, 5858)
    .option('--acquirer-admin-port <n>', 'admin API port of the embedded acquirer simulator', portOption, 5859)
    .option('--log-level <level>', 'pino log level', 'info')
    .addOption(new Option('--lcd-style <style>', 'console: draw a graphic panel in braille or block characters').choices(['braille', 'blocks']).default('braille'))
    .action(async (opts: RunOpts) => runTerminal(opts, !opts.headless && process.stdin.isTTY === true));

  program
    .command('run')
    .description('Run the terminal on hardware with the given board config (--emulate: on the emulated bench)')
    .requiredOption('--board <file>', 'board config')
    .option('--data <dir>', 'data folder (journal, logs, device state)', '/var/lib/posfw')
    .option('--port <n>', 'ECR API port (default from the board config)', portOption)
    .option('--emulate', 'bench: emulate every device behind its real driver (pty pairs, emulated I2C/GPIO); links in POSFW_BENCH_DIR if set')
    .option('--acquirer-port <n>', 'ISO 8583 port of the embedded acquirer simulator (default 5858)', portOption)
    .option('--acquirer-admin-port <n>', 'admin API port of the embedded acquirer simulator (default 5859)', portOption)
    .option('--log-level <level>', 'pino log level', 'info')
    .action(async (opts: RunOpts) => runTerminal({ ...opts, headless: true, run: true }, false));
}
