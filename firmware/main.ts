// Boot sequence: board config, devices, journal and host link, recovery, then the transaction controller, UI and APIs.
import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { loadBoard } from './board/load';
import type { BoardConfig } from './board/schema';
import { openDevices, closeDevices, type Devices, type DeviceFailure } from './hal/registry';
import { hasControls, type SimControls } from './hal/sim-controls';
import { apiUrl, createEcrServer, registerEcrApi } from './ecr/server';
import type { EventHub } from './ecr/events';
import { registerSimControlRoutes } from './sim/sim-routes';
import { LcdUi } from './ui-lcd/lcd-ui';
import { createLogger, type Logger } from './log';
import { systemClock, type Clock } from './common/clock';
import { startMoney, type Money } from './money/wiring';
import { loadDeviceKey } from './keys/device-key';
import { KeyWrap } from './keys/key-wrap';
import { recover, type RecoveryReport } from './money/recovery';
import { counted, settle } from './money/settlement';
import { SettlementResumer } from './money/settlement-resumer';
import { networkCheck, reprint, type ServiceDeps } from './flows/services';
import { ReceiptService } from './receipts/receipt-service';
import { qrSlip } from './receipts/receipt';
import { FlowController } from './flows/controller';
import { printSettlementReport, registerReportRoutes } from './ecr/report-routes';
import { AdjustableClock } from './common/adjustable-clock';
import { OperatorStore } from './operators/operator-store';
import { Sessions } from './operators/session';
import { SettingsStore } from './operators/settings-store';
import { keypadPorts } from './cashier/keypad-services';

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
  /** HOST:PORT of the acquirer; required when the board's host.acquirer is `embedded` (the CLI starts that simulator). */
  acquirer?: string;
  /** Admin URL of that acquirer simulator, shown in /v1/health. */
  acquirerAdminUrl?: string;
  /** The one clock (tests may pass a fake one). */
  clock?: Clock;
  /**
   * Serve the /sim control routes: simulator mode (`posfw sim`) and the emulated bench (`posfw run --emulate`) only;
   * never `posfw run` of a real board, whatever its devices.
   */
  simControl?: boolean;
}

export interface Terminal {
  board: BoardConfig;
  devices: Partial<Devices>;
  failures: DeviceFailure[];
  /** What /sim and the console drive: simulated devices, or the bench's emulators. */
  controls: SimControls;
  ui: LcdUi;
  api: FastifyInstance;
  /** `http(s)://ADDRESS:PORT` as a client on this machine reaches it. */
  apiUrl: string;
  /** ECR events (event stream and webhook). */
  events: EventHub;
  log: Logger;
  money: Money;
  controller: FlowController;
  receipts: ReceiptService;
  services: ServiceDeps;
  recovery: RecoveryReport;
  /** Operator accounts (hashed passwords, lock-out) and who is logged in at the keypad. */
  operators: OperatorStore;
  sessions: Sessions;
  stop(): Promise<void>;
}

export async function boot(opts: BootOptions): Promise<Terminal> {
  const log = opts.log ?? createLogger();
  const board = loadBoard(opts.boardFile);
  mkdirSync(opts.dataDir, { recursive: true });
  // The device key first: without it nothing is opened or created (DeviceKeyError says what is missing and what to run).
  const deviceKey = await loadDeviceKey({ security: board.security, dataDir: opts.dataDir, boardFile: opts.boardFile });
  // The supervisor may set the date and time at the keypad: the terminal's wall time is the clock plus that offset.
  const settings = new SettingsStore(opts.dataDir);
  const clock = new AdjustableClock(opts.clock ?? systemClock, settings.get().clockOffsetMs ?? 0);
  const ops = board.operators;
  const operators = await OperatorStore.open({
    dataDir: opts.dataDir,
    clock,
    log,
    lockout: { maxAttempts: ops.maxAttempts, lockoutMs: ops.lockoutSec * 1000, maxLockoutMs: ops.maxLockoutSec * 1000 },
    factoryPasswords: ops.factoryPasswords,
  });
  const sessions = new Sessions(clock);
  const language = () => settings.get().language ?? board.terminal.language;
  const startedAt = clock.now();
  const keyWrap = new KeyWrap(deviceKey, 'sim-pinpad');
  const { devices, failures, controls: simControls } = await openDevices(board.devices, { log, dataDir: opts.dataDir, peers: opts.peers ?? new Map(), clock, keyWrap });
  const failed = failures.map((f) => ({ deviceClass: f.deviceClass, code: f.error.code }));

  // Money before anything can start a transaction: journal, host link, then recovery of unfinished records.
  let money: Money;
  try {
    money = await startMoney({ board, dataDir: opts.dataDir, deviceKey, log, acquirer: opts.acquirer, clock });
  } catch (err) {
    await closeDevices(devices);
    throw err;
  }
  let events: EventHub | undefined;
  const ui = new LcdUi({
    display: devices.display,
    keypad: devices.keypad,
    magstripe: devices.magstripe,
    clock,
    merchantName: board.terminal.merchantName,
    merchantNameZh: board.terminal.merchantNameZh,
    terminalId: board.terminal.terminalId,
    currency: board.terminal.currency,
    failures: failed,
    promptMs: board.policy.timeouts.promptSec * 1000,
    language: language(),
    loginRequired: ops.loginRequired,
    autoLogoutMs: ops.autoLogoutMin * 60_000,
    maxAmount: board.policy.maxAmount,
    supervisorFor: ops.supervisorFor,
    log,
  });
  const receipts = new ReceiptService({
    printer: devices.printer,
    journal: money.journal,
    terminal: board.terminal,
    policy: board.policy,
    log,
    clock,
    language,
    onPaused: (s) => {
      ui.printerPaused(s.state === 'paper-out' ? 'paper-out' : s.state === 'cover-open' ? 'cover-open' : 'fault');
      events?.publish('device', { device: 'printer', state: s.state });
    },
    onResumed: () => {
      ui.printerResumed();
      events?.publish('device', { device: 'printer', state: 'online' });
    },
  });
  const recovery = await recover({ journal: money.journal, authoriser: money.authoriser, printRecovered: (rec) => receipts.printSlips({ ...rec, recovered: true }, AbortSignal.timeout(2000)), log, clock });
  await money.duplicates.load();
  money.saf.start();

  const controller = new FlowController({
    magstripe: devices.magstripe,
    scanner: devices.scanner,
    pinEntry: devices.pinpad?.entry,
    qr: board.policy.qr,
    stopWaiting: (id, by) => void money.saf.cancelWatch(id, by),
    journal: money.journal,
    authoriser: money.authoriser,
    admission: money.admission,
    duplicates: money.duplicates,
    receipts,
    clock,
    chipCardSwiped: board.policy.chipCardSwiped,
    terminal: board.terminal,
    policy: board.policy,
    stan: money.stan,
    currentOperator: () => sessions.current?.id,
    log,
  });
  // A late payment (paid as its QR order closed) is refunded by the SAF watch; its slip says so.
  money.saf.configureQr({ onLatePayment: (_payment, refund) => void receipts.printSlips(refund).catch((err) => log.warn({ err }, 'late payment refund slip not printed')) });
  // C扫B on a text-only display: the QR is printed on a slip for the customer to scan.
  controller.onPrompt((p) => {
    if (p.kind !== 'awaiting-customer' || !p.payload || ui.shape.graphic) return;
    void receipts.printDoc(qrSlip({ payload: p.payload, wallet: p.wallet, amount: p.txn.amount, currency: p.txn.currency, reference: p.txn.reference }, board.terminal));
  });
  const services: ServiceDeps = { journal: money.journal, host: money.link, stan: money.stan, terminal: board.terminal, receipts, clock };
  controller.setOperatorActivity(() => ui.activity());

  let api: FastifyInstance;
  try {
    api = createEcrServer({ api: board.api, dataDir: opts.dataDir, log, clock }).app;
  } catch (err) {
    await money.stop();
    await closeDevices(devices);
    throw err;
  }
  // The open batch's count walks the journal: kept until the next journal write, so a monitor polling health costs nothing.
  let countedCache: { writes: number; batch: string; counted: number } | undefined;
  const batchCounted = async (batch: string): Promise<number> => {
    const writes = money.journal.stats.writes;
    if (countedCache?.writes !== writes || countedCache.batch !== batch) countedCache = { writes, batch, counted: counted(await money.journal.list({ batch })).length };
    return countedCache.counted;
  };
  api.get('/v1/health', { config: { access: 'health' } }, async () => ({
    status: failures.length ? 'degraded' : 'ok',
    board: board.board.name,
    terminalId: board.terminal.terminalId,
    merchantId: board.terminal.merchantId,
    uptimeSec: Math.round((clock.now() - startedAt) / 1000),
    batch: await money.journal.batchNumber(),
    /** Transactions in the open batch's totals (what the next settlement would carry). */
    batchCounted: await batchCounted(await money.journal.batchNumber()),
    safPending: await money.saf.pending(),
    /** Reversals the host keeps refusing while their originals may stand: operator attention needed. */
    reversalsInDoubt: (await money.saf.inDoubt()).map((r) => r.reference),
    busy: controller.busy,
    journal: { ...money.journal.stats },
    host: { connected: money.link.connected, acquirerAdmin: opts.acquirerAdminUrl ?? null },
    devices: Object.fromEntries(
      Object.entries(board.devices).map(([cls, cfg]) => {
        const f = failures.find((x) => x.deviceClass === cls);
        return [cls, { driver: cfg.driver, ok: !f, ...(f ? { error: f.error.code, message: f.error.message } : {}) }];
      }),
    ),
  }));
  const reports = { journal: money.journal, receipts, terminal: board.terminal, clock, holdDays: board.policy.preauthHoldDays };
  const runSettlement = () =>
    controller.exclusive('(settlement)', async (slot) => {
      const out = await settle({ journal: money.journal, host: money.link, saf: money.saf, stan: money.stan, terminal: board.terminal, log, clock });
      // The settlement report is printed once the batch is closed; a printer fault never undoes a settlement. A sale
      // asked for meanwhile waits for the report (as for a transaction's slips) instead of being told busy.
      slot.printing();
      if (out.status === 'settled') await printSettlementReport(reports, out.batch).catch((err) => log.warn({ err }, 'settlement report not printed'));
      return out;
    });
  // A settlement left in progress (lost answer, restart) is resent by itself until the host confirms it.
  const resumer = new SettlementResumer({ journal: money.journal, clock, run: runSettlement, retryMs: board.policy.settlementRetryMs, retryMaxMs: board.policy.reversalRetryMaxMs, log });
  resumer.start();
  const settleNow = async () => {
    try {
      return await runSettlement();
    } finally {
      resumer.kick();
    }
  };
  events = registerEcrApi(api, {
    api: board.api,
    controller,
    journal: money.journal,
    receipts,
    services,
    currency: board.terminal.currency,
    clock,
    log,
    settle: settleNow,
  }).events;
  registerReportRoutes(api, reports);
  const controls: SimControls = { ...simControls, ...opts.controls };
  if (opts.simControl && hasControls(controls)) registerSimControlRoutes(api, controls);
  try {
    await api.listen({ host: board.api.host, port: opts.apiPort ?? board.api.port });
  } catch (err) {
    await money.stop();
    await closeDevices(devices);
    throw err;
  }
  const address = api.server.address();
  const port = typeof address === 'object' && address ? address.port : board.api.port;

  ui.start({
    ...keypadPorts({
      controller,
      services,
      operators,
      sessions,
      settings,
      journal: money.journal,
      terminal: board.terminal,
      board,
      receipts,
      printer: devices.printer,
      failures,
      clock,
      log: log.child({ ns: 'cashier' }),
      settle: settleNow,
      holdDays: board.policy.preauthHoldDays,
      signOn: () => networkCheck(services, 'sign-on'),
      busy: () => controller.busy,
      safPending: () => money.saf.pending(),
    }),
    press: (key) => controller.press(key),
    reprintLast: async () => {
      const out = await reprint(services, {});
      return out.ok ? {} : { error: out.error ?? 'reprint failed' };
    },
    onPrompt: (listener) => controller.onPrompt(listener),
  });
  await ui.settled();
  log.child({ ns: 'boot' }).info({ board: board.board.name, api: apiUrl(board.api, port), faults: failures.length, recovered: recovery }, 'terminal ready');
  // Sign-on checks connectivity and keys; the terminal works (and reverses) whether or not it answers.
  void networkCheck(services, 'sign-on').then((r) => log.child({ ns: 'boot' }).info({ signOn: r }, r.ok ? 'signed on' : 'sign-on failed'));

  let stopped = false;
  return {
    board,
    devices,
    failures,
    controls,
    ui,
    api,
    apiUrl: apiUrl(board.api, port),
    events,
    log,
    money,
    controller,
    receipts,
    services,
    recovery,
    operators,
    sessions,
    async stop() {
      if (stopped) return;
      stopped = true;
      resumer.stop();
      ui.stop();
      await api.close();
      await money.stop();
      await closeDevices(devices);
    },
  };
}
