// The bench board in-process: real drivers (serial, HD44780 on I2C, GPIO matrix) against emulated devices, end to end.
import { startBenchTerminal, waitFor, type BenchTerminal } from './bench-harness';
import { MASKED, TRACK2, expectIdleScreen, menuWalk, paperOutMidSlip, saleWithSlips } from './bench-scenarios';

describe('bench board (in-process)', () => {
  let t: BenchTerminal;
  beforeAll(async () => {
    t = await startBenchTerminal();
  });
  afterAll(async () => {
    await t?.stop();
  });
  afterEach(() => {
    // The real HD44780 driver kept the chip's timing rules on the emulated bus; the printer understood every command.
    expect(t.bench.emulators.hd44780!.violations).toEqual([]);
    expect(t.bench.emulators.printer!.unknown).toEqual([]);
  });

  test('boots to the idle screen, read back from the HD44780 emulator; every device on its real driver', async () => {
    expect(t.terminal.failures).toEqual([]);
    await expectIdleScreen(t.client);
    const health = await t.client.api('GET', '/v1/health');
    expect(health.body).toMatchObject({ status: 'ok', board: 'bench-emulated', terminalId: 'BENCH001' });
    expect(health.body.devices).toEqual({
      scanner: { driver: 'serial', ok: true },
      magstripe: { driver: 'serial', ok: true },
      pinpad: { driver: 'serial', ok: true },
      printer: { driver: 'serial', ok: true },
      display: { driver: 'hd44780-pcf8574', ok: true },
      keypad: { driver: 'gpio-matrix', ok: true },
    });
  });

  test('menu walk with key presses on the emulated matrix: MENU, DOWN, CANCEL', async () => {
    await menuWalk(t.client);
    expect(t.bench.emulators.matrix!.held()).toEqual([]);
  });

  test('a sale through the serial magstripe, PIN pad and ESC/POS drivers; both slips read back from the printer', async () => {
    await saleWithSlips(t.client, t.peers.acquirerAdminUrl!, 'BENCH-SALE-1');
    await waitFor('terminal idle', () => !t.terminal.controller.busy);
    expect(await t.terminal.money.journal.byReference('BENCH-SALE-1')).toMatchObject({ state: 'completed', pinEntered: true, entryMode: '021', receipt: { merchant: 'printed', customer: 'printed', reprints: 0 } });
  });

  test('paper out mid-slip: printing pauses (PAPER OUT), the refill reprints the cut-off slip as DUPLICATE', async () => {
    await paperOutMidSlip(t.client, 'BENCH-SALE-2');
    await waitFor('terminal idle', () => !t.terminal.controller.busy);
    expect(await t.terminal.money.journal.byReference('BENCH-SALE-2')).toMatchObject({ state: 'completed', receipt: { merchant: 'printed', customer: 'printed' } });
  });

  test('a sale started at the terminal: swipe at idle, amount typed on the matrix keypad, PIN on the serial pad', async () => {
    await t.client.waitLcd(/^SWIPE CARD OR MENU$/);
    expect((await t.client.swipe(TRACK2)).body).toEqual({ swiped: 'card', maskedPan: MASKED });
    expect(await t.client.waitLcd(/^ENTER AMOUNT$/)).toEqual(['SALE', 'ENTER AMOUNT', '            CNY 0.00', 'OK=CONFIRM']);
    await t.client.keys('5', '0', '0', '5');
    expect(await t.client.waitLcd(/CNY 50\.05$/)).toEqual(['SALE', 'ENTER AMOUNT', '           CNY 50.05', 'OK=CONFIRM']);
    await t.client.keys('CLEAR', '6', 'OK');
    expect((await t.client.pin('4321')).status).toBe(200);
    // PIN 4321 for a card whose PIN is 1234: the acquirer decrypted the block and declined 55 (wrong PIN).
    await t.client.waitLcd(/WRONG PIN/);
    await waitFor('terminal idle', () => !t.terminal.controller.busy);
    const [rec] = await t.terminal.money.journal.list({ limit: 1 });
    expect(rec).toMatchObject({ type: 'sale', amount: 5006, state: 'completed', responseCode: '55', origin: 'keypad' });
  });

  test('a scan reaches the serial scan-head driver as the code, suffix stripped', async () => {
    const scans: string[] = [];
    const off = t.terminal.devices.scanner!.onScan((s) => scans.push(s.data));
    expect((await t.client.sim('POST', '/sim/scan', { data: '134567890123456789' })).body).toEqual({ scanned: 18 });
    await waitFor('the scan', () => scans.length > 0);
    off();
    expect(scans).toEqual(['134567890123456789']);
  });
});
