// Boot sequence: board config, devices, (journal, recovery, host link), UI, then the loopback APIs.
import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { loadBoard } from './board/load';
import type { BoardConfig } from './board/schema';
import { openDevices, closeDevices, type Devices, type DeviceFailure } from './hal/registry';
import { createHttpServer } from './ecr/http';
import { registerSimRoutes, type SimDevices } from './sim/sim-routes';
import { Ui } from './ui-lcd/ui';
import { faultScreen } from './ui-lcd/screens';
import { createLogger, type Logger } from './log';
import { SimMagstripe } from './hal/magstripe/magstripe.sim';
import { SimScanner } from './hal/scanner/scanner.sim';
import { SimKeypad } from './hal/keypad/keypad.sim';
import { SimPinPad } from './hal/pinpad/pinpad.sim';
import { SimPrinter } from './hal/printer/printer.sim';
import { SimDisplay } from './hal/display/display.sim';

export interface BootOptions {
  boardFile: string;
  dataDir: string;
  log?: Logger;
  /** Overrides the board's API port (0 = ephemeral, for tests). */
  apiPort?: number;
  /** Emulated bus peers for boards whose devices sit on emulated buses. */
  peers?: Map<string, unknown>;
  /** HOST:PORT of an acquirer in another process; overrides the board's host.acquirer. */
  acquirer?: string;
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

  const sim = simDevicesOf(devices);
  const api = createHttpServer(log);
  api.get('/v1/health', async () => ({
    status: failures.length ? 'degraded' : 'ok',
    board: board.board.name,
    terminalId: board.terminal.terminalId,
    merchantId: board.terminal.merchantId,
    uptimeSec: Math.round((Date.now() - startedAt) / 1000),
    devices: Object.fromEntries(
      Object.entries(board.devices).map(([cls, cfg]) => {
        const f = failures.find((x) => x.deviceClass === cls);
        return [cls, { driver: cfg.driver, ok: !f, ...(f ? { error: f.error.code, message: f.error.message } : {}) }];
      }),
    ),
  }));
  if (Object.values(sim).some(Boolean)) registerSimRoutes(api, sim);
  await api.listen({ host: board.api.host, port: opts.apiPort ?? board.api.port });
  const address = api.server.address();
  const port = typeof address === 'object' && address ? address.port : board.api.port;

  ui.start();
  if (failures.length) setTimeout(() => void ui.showIdle(), 3000).unref();
  else await ui.showIdle();
  log.child({ ns: 'boot' }).info({ board: board.board.name, api: `127.0.0.1:${port}`, faults: failures.length }, 'terminal ready');

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
    async stop() {
      if (stopped) return;
      stopped = true;
      ui.stop();
      await api.close();
      await closeDevices(devices);
    },
  };
}
