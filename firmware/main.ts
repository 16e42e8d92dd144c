// Boot sequence: board config, devices, (journal, recovery, host link), UI, then the loopback APIs.
import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { loadBoard } from './board/load';
import type { BoardConfig } from './board/schema';
import { openDevices, closeDevices, type Devices, type DeviceFailure } from './hal/registry';
import { createHttpServer } from './ecr/http';
import { registerSimControlRoutes, simControlsOf, hasControls, type SimControls, type SimDevices } from './sim/sim-routes';
import { Ui } from './ui-lcd/ui';
import { faultScreen } from './ui-lcd/screens';
import { createLogger, type Logger } from './log';
import { SimMagstripe } from './hal/magstripe/magstripe.sim';
import { SimScanner } from './hal/scanner/scanner.sim';
import { SimKeypad } from './hal/keypad/keypad.sim';
import { SimPinPad } from './hal/pinpad/pinpad.sim';
import { SimPrinter } from './hal/printer/printer.sim';
import { SimDisplay } from './hal/display/display.sim';
import { startMoney, type Money } from './money/wiring';
import { recover, type RecoveryReport } from './money/recovery';
import { settle } from './money/settlement';
import { networkCheck } from './flows/services';
import { ReceiptService } from './receipts/receipt-service';
import { FlowController } from './flows/controller';
import { attachKeypadStart } from './flows/keypad-start';
import { registerEcrRoutes } from './ecr/ecr-routes';
import { startEmulatedSerialPinPad, emulatorStateFile, type EmulatedSerialPinPad } from '../simulator/emulators/pinpad-emulator-pty';

export interface BootOptions {
  boardFile: string;
  dataDir: string;
  log?: Logger;
  /** Overrides the board's API port (0 = ephemeral, for tests). */
  apiPort?: number;
  /** Emulated bus peers for boards whose devices sit on emulated buses. */
  peers?: Map<string, unknown>;
  /**
   * /sim control surface over emulated devices (`startBench().controls`); its members replace the sim
   * devices' ones, devices it leaves out stay on their sim drivers.
   */
  controls?: SimControls;
  /** HOST:PORT of an acquirer in another process; overrides the board's host.acquirer. */
  acquirer?: string;
  /** Ports of the embedded acquirer simulator (default 5858 / 5859; 0 = ephemeral). */
  acquirerPort?: number;
  acquirerAdminPort?: number;
}

export interface Terminal {
  board: BoardConfig;
  devices: Partial<Devices>;
  failures: DeviceFailure[];
  sim: SimDevices;
  ui: Ui;
  api: FastifyInstance;
  /** `http://127.0.0.1:PORT` */
  apiUrl: string;
  log: Logger;
  money: Money;
  controller: FlowController;
  receipts: ReceiptService;
  recovery: RecoveryReport;
  /** The PIN pad emulator behind a serial PIN pad with `emulate`, if any. */
  padEmulator?: EmulatedSerialPinPad;
  stop(): Promise<void>;
}

/** The simulated devices on this board, for the /sim control API and the console. */
function simDevicesOf(devices: Partial<Devices>): SimDevices {
  const pick = <T>(d: unknown, cls: new (...a: never[]) => T): T | undefined => (d instanceof cls ? d : undefined);
  return {
    magstripe: pick(devices.magstripe, SimMagstripe),
    scanner: pick(devices.scanner, SimScanner),
    keypad: pick(devices.keypad, SimKeypad),
    pinpad: pick(devices.pinpad, SimPinPad),
    printer: pick(devices.printer, SimPrinter),
    display: pick(devices.display, SimDisplay),
  };
}

export async function boot(opts: BootOptions): Promise<Terminal> {
  const log = opts.log ?? createLogger();
  const board = loadBoard(opts.boardFile);
  mkdirSync(opts.dataDir, { recursive: true });
  const startedAt = Date.now();
  // A serial PIN pad with `emulate` gets its emulator on the far end of a pty pair at the configured path.
  const pinpadConfig = board.devices.pinpad;
  const padEmulator =
    pinpadConfig.driver === 'serial' && pinpadConfig.emulate
      ? await startEmulatedSerialPinPad(pinpadConfig, log.child({ ns: 'sim.pinpad' }), emulatorStateFile(opts.dataDir))
      : undefined;
  const { devices, failures } = await openDevices(board.devices, { log, dataDir: opts.dataDir, peers: opts.peers ?? new Map() });

  const ui = new Ui({
    display: devices.display,
    keypad: devices.keypad,
    merchantName: board.terminal.merchantName,
    terminalId: board.terminal.terminalId,
    faults: failures.map((f) => f.deviceClass),
    log,
  });
  if (failures.length) await ui.show(faultScreen(failures.map((f) => ({ deviceClass: f.deviceClass, code: f.error.code })), ui.rows));

  // Money before anything can start a transaction: journal, host link, then recovery of unfinished records.
  let money: Money;
  try {
    money = await startMoney({ board, dataDir: opts.dataDir, log, acquirer: opts.acquirer, acquirerPort: opts.acquirerPort, acquirerAdminPort: opts.acquirerAdminPort });
  } catch (err) {
    await closeDevices(devices);
    await padEmulator?.close();
    throw err;
  }
  const receipts = new ReceiptService({
    printer: devices.printer,
    journal: money.journal,
    terminal: board.terminal,
    policy: board.policy,
    log,
    onPaused: (s) => void ui.show({ lines: [s.state === 'paper-out' ? 'PAPER OUT' : s.state === 'cover-open' ? 'COVER OPEN' : 'PRINTER FAULT', 'FIX THE PRINTER', 'PRINTING PAUSED'] }),
    onResumed: () => void ui.show({ lines: ['PRINTING...'] }),
  });
  const recovery = await recover({ journal: money.journal, authoriser: money.authoriser, printRecovered: async (rec) => void (await receipts.printSlips({ ...rec, recovered: true }, AbortSignal.timeout(2000))), log });
  money.saf.start();

  const controller = new FlowController({
    ui,
    magstripe: devices.magstripe,
    pinEntry: devices.pinpad?.entry,
    journal: money.journal,
    authoriser: money.authoriser,
    receipts,
    duplicateWindowSec: board.policy.duplicateWindowSec,
    now: () => new Date(),
    terminal: board.terminal,
    policy: board.policy,
    stan: money.stan,
    log,
  });

  const sim = simDevicesOf(devices);
  const api = createHttpServer(log);
  api.get('/v1/health', async () => ({
    status: failures.length ? 'degraded' : 'ok',
    board: board.board.name,
    terminalId: board.terminal.terminalId,
    merchantId: board.terminal.merchantId,
    uptimeSec: Math.round((Date.now() - startedAt) / 1000),
    batch: await money.journal.batchNumber(),
    safPending: await money.saf.pending(),
    busy: controller.busy,
    host: { connected: money.link.connected, acquirerAdmin: money.acquirer?.adminUrl ?? null },
    devices: Object.fromEntries(
      Object.entries(board.devices).map(([cls, cfg]) => {
        const f = failures.find((x) => x.deviceClass === cls);
        return [cls, { driver: cfg.driver, ok: !f, ...(f ? { error: f.error.code, message: f.error.message } : {}) }];
      }),
    ),
  }));
  const services = { journal: money.journal, host: money.link, stan: money.stan, terminal: board.terminal, receipts };
  attachKeypadStart({ ui, controller, magstripe: devices.magstripe, services, currency: board.terminal.currency, log });
  registerEcrRoutes(api, {
    controller,
    journal: money.journal,
    receipts,
    services,
    settle: () => controller.exclusive('(settlement)', () => settle({ journal: money.journal, host: money.link, saf: money.saf, stan: money.stan, terminal: board.terminal, log })),
  });
  const controls: SimControls = { ...simControlsOf(sim), ...opts.controls };
  if (hasControls(controls)) registerSimControlRoutes(api, controls);
  try {
    await api.listen({ host: board.api.host, port: opts.apiPort ?? board.api.port });
  } catch (err) {
    await money.stop();
    await closeDevices(devices);
    await padEmulator?.close();
    throw err;
  }
  const address = api.server.address();
  const port = typeof address === 'object' && address ? address.port : board.api.port;

  ui.start();
  if (failures.length) setTimeout(() => ui.isIdle || controller.busy || void ui.showIdle(), 3000).unref();
  else await ui.showIdle();
  log.child({ ns: 'boot' }).info({ board: board.board.name, api: `127.0.0.1:${port}`, faults: failures.length, recovered: recovery }, 'terminal ready');
  // Sign-on checks connectivity and keys; the terminal works (and reverses) whether or not it answers.
  void networkCheck(services, 'sign-on').then((r) => log.child({ ns: 'boot' }).info({ signOn: r }, r.ok ? 'signed on' : 'sign-on failed'));

  let stopped = false;
  return {
    board,
    devices,
    failures,
    sim,
    ui,
    api,
    apiUrl: `http://127.0.0.1:${port}`,
    log,
    money,
    controller,
    receipts,
    recovery,
    padEmulator,
    async stop() {
      if (stopped) return;
      stopped = true;
      ui.stop();
      await api.close();
      await money.stop();
      await closeDevices(devices);
      await padEmulator?.close();
    },
  };
}
