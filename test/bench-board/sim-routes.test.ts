// The /sim routes over a control surface: the sim-device adapter keeps today's answers; bench-style async controls work.
import type { FastifyInstance } from 'fastify';
import { createHttpServer } from '../../firmware/ecr/http';
import { silentLogger } from '../../firmware/log';
import { registerSimControlRoutes } from '../../firmware/sim/sim-routes';
import { hasControls, type SimControls } from '../../firmware/hal/sim-controls';
import { SimMagstripe } from '../../firmware/hal/magstripe/magstripe.sim';
import { SimKeypad } from '../../firmware/hal/keypad/keypad.sim';
import { SimPrinter } from '../../firmware/hal/printer/printer.sim';
import { SimDisplay } from '../../firmware/hal/display/display.sim';
import type { Key } from '../../firmware/common/keys';
import { call } from './bench-harness';

const TRACK2 = ';4761739001010010=30121010000000000000?';

/** Listens on 127.0.0.1:0 (light-my-request's inject does not load under jest: its cookie dependency is ESM). */
async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const a = app.server.address();
  return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
}

const urls = new WeakMap<FastifyInstance, string>();

async function inject(app: FastifyInstance, method: 'GET' | 'POST', path: string, body?: unknown) {
  const r = await call(urls.get(app)!, method, path, body);
  return { status: r.status, body: r.body };
}

describe('/sim routes over the simulated devices (posfw sim)', () => {
  let app: FastifyInstance;
  const magstripe = new SimMagstripe();
  const keypad = new SimKeypad();
  const printer = new SimPrinter({ driver: 'sim', columns: 32, chinese: false, codepage: 'cp437' });
  const display = new SimDisplay(20, 4, false);
  beforeAll(async () => {
    await Promise.all([magstripe.open(), keypad.open(), printer.open(), display.open()]);
    app = createHttpServer(silentLogger);
    registerSimControlRoutes(app, { ...magstripe.simControls(), ...keypad.simControls(), ...printer.simControls(), ...display.simControls() });
    urls.set(app, await listen(app));
  });
  afterAll(() => app.close());

  it('answers exactly as before: swipe, keys, LCD, printer paper', async () => {
    expect(await inject(app, 'POST', '/sim/card', { track2: TRACK2 })).toEqual({ status: 200, body: { swiped: 'card', maskedPan: '476173******0010' } });
    expect(await inject(app, 'POST', '/sim/card', { track2: ';4761739001010011=30121010000000000000?' })).toMatchObject({ status: 200, body: { swiped: 'bad-read' } });
    const pressed: string[] = [];
    keypad.onKey((e) => pressed.push(e.key));
    expect(await inject(app, 'POST', '/sim/keys', { keys: ['1', 'UP', 'F4'] })).toEqual({ status: 200, body: { pressed: 3 } });
    expect(pressed).toEqual(['1', 'UP', 'F4']);
    expect(await inject(app, 'POST', '/sim/keys', { keys: ['1', 'X'] })).toEqual({ status: 400, body: { error: 'bad-request', message: '$.keys: unknown key(s) "X"; expected one of 0 1 2 3 4 5 6 7 8 9 OK CLEAR CANCEL MENU F1 F2 F3 F4 UP DOWN FEED', path: '$.keys' } });
    await display.render({ lines: ['HELLO'], highlight: 0 });
    expect(await inject(app, 'GET', '/sim/lcd')).toEqual({ status: 200, body: { ...display.snapshot(), text: display.framed() } });
    expect(await inject(app, 'POST', '/sim/printer', { paper: 'out' })).toEqual({ status: 200, body: { state: 'paper-out', paperNearEnd: false } });
    expect(await inject(app, 'POST', '/sim/printer', { paper: 'ok', lines: 5 })).toEqual({ status: 200, body: { state: 'online', paperNearEnd: true } });
    expect(await inject(app, 'POST', '/sim/printer', {})).toEqual({ status: 400, body: { error: 'bad-request', message: '$: expected "paper" and/or "cover"', path: '$' } });
    expect(await inject(app, 'GET', '/sim/receipts')).toEqual({ status: 200, body: { receipts: [] } });
  });

  it('a device the board does not simulate answers 409 not-simulated, naming it', async () => {
    expect(await inject(app, 'POST', '/sim/scan', { data: 'X' })).toEqual({ status: 409, body: { error: 'not-simulated', message: "this board's scan head is not a simulated device" } });
    expect(await inject(app, 'POST', '/sim/pin', { pin: '1234' })).toEqual({ status: 409, body: { error: 'not-simulated', message: "this board's PIN pad is not a simulated device" } });
  });

  it('each sim device offers only its own controls; hasControls says whether anything is there', () => {
    const none: SimControls = {};
    expect(hasControls(none)).toBe(false);
    expect(Object.keys(keypad.simControls())).toEqual(['keypad']);
    expect(hasControls(keypad.simControls())).toBe(true);
  });
});

describe('/sim routes over async controls (the bench)', () => {
  const log: string[] = [];
  const controls: SimControls = {
    keypad: {
      keys: ['1', 'OK', 'MENU'] as Key[],
      press: async (k) => void log.push(`press ${k}`),
    },
    pin: {
      waitForPrompt: async () => true,
      enterPin: async (pin) => {
        if (pin.length > 6) throw new RangeError('the pad takes 4-6 digits; OK is ignored for 8');
        log.push('pin');
      },
      bypass: async () => {
        throw new Error('PIN bypass is not allowed for this entry; OK with no digits is ignored');
      },
      cancel: async () => void log.push('cancel'),
    },
    swipe: async () => ({ kind: 'bad-read', reason: 'track 2: end sentinel missing (partial read)' }),
    receipts: () => [{ seq: 1, complete: false, text: 'MERCHANT COPY', bytes: Buffer.from([0x1b, 0x40]) }],
    printer: async (change) => ({ state: change.paper === 'out' ? 'paper-out' : 'online', paperNearEnd: false }),
  };
  let app: FastifyInstance;
  beforeAll(async () => {
    app = createHttpServer(silentLogger);
    registerSimControlRoutes(app, controls);
    urls.set(app, await listen(app));
  });
  afterAll(() => app.close());
  beforeEach(() => void (log.length = 0));

  it('presses keys one after another, and refuses (pressing nothing) keys the keypad does not have', async () => {
    expect(await inject(app, 'POST', '/sim/keys', { keys: ['MENU', '1', 'OK'] })).toEqual({ status: 200, body: { pressed: 3 } });
    expect(log).toEqual(['press MENU', 'press 1', 'press OK']);
    log.length = 0;
    expect(await inject(app, 'POST', '/sim/keys', { keys: ['1', 'DOWN', 'F4'] })).toEqual({ status: 400, body: { error: 'bad-request', message: `$.keys: this board's keypad has no "DOWN", "F4" keys; it has 1 OK MENU`, path: '$.keys' } });
    expect(log).toEqual([]);
  });

  it('a PIN pad that rejects answers 409 pin-refused with its reason', async () => {
    expect(await inject(app, 'POST', '/sim/pin', { pin: '1234' })).toEqual({ status: 200, body: { accepted: true } });
    expect(await inject(app, 'POST', '/sim/pin', { pin: '12345678' })).toEqual({ status: 409, body: { error: 'pin-refused', message: 'the pad takes 4-6 digits; OK is ignored for 8' } });
    expect(await inject(app, 'POST', '/sim/pin', { bypass: true })).toEqual({ status: 409, body: { error: 'pin-refused', message: 'PIN bypass is not allowed for this entry; OK with no digits is ignored' } });
    expect(await inject(app, 'POST', '/sim/pin', { cancel: true })).toEqual({ status: 200, body: { accepted: true } });
    expect(log).toEqual(['pin', 'cancel']);
  });

  it('swipe, receipts (bytes as base64) and printer answers come from the controls', async () => {
    expect(await inject(app, 'POST', '/sim/card', { track2: ';4761' })).toEqual({ status: 200, body: { swiped: 'bad-read', reason: 'track 2: end sentinel missing (partial read)' } });
    expect(await inject(app, 'GET', '/sim/receipts')).toEqual({ status: 200, body: { receipts: [{ seq: 1, complete: false, text: 'MERCHANT COPY', bytes: 'G0A=' }] } });
    expect(await inject(app, 'POST', '/sim/printer', { paper: 'out' })).toEqual({ status: 200, body: { state: 'paper-out', paperNearEnd: false } });
    expect(await inject(app, 'GET', '/sim/lcd')).toEqual({ status: 409, body: { error: 'not-simulated', message: "this board's display is not a simulated device" } });
  });
});
