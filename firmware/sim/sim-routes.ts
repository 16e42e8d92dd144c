// Simulator control API under /sim: swipe, scan, keys, PIN, LCD, receipts, printer paper, over simulated devices or bench emulators.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError, parseBody } from '../ecr/http';
import { isKey, KEYS, type Key } from '../common/keys';
import { maskPan } from '../log';
import type { SimControls } from '../hal/sim-controls';

const cardBody = z.strictObject({ track1: z.string().max(79).optional(), track2: z.string().min(1).max(40) });
const scanBody = z.strictObject({ data: z.string().max(8192) });
const keysBody = z.strictObject({ keys: z.array(z.string()).min(1).max(64) });
const pinBody = z.union([z.strictObject({ pin: z.string().regex(/^\d{4,12}$/, 'expected 4 to 12 digits') }), z.strictObject({ bypass: z.literal(true) }), z.strictObject({ cancel: z.literal(true) })]);
const printerBody = z.strictObject({ paper: z.enum(['out', 'ok']).optional(), lines: z.number().int().min(1).max(10000).optional(), cover: z.enum(['open', 'closed']).optional() });

function need<T>(device: T | undefined, name: string): T {
  if (!device) throw new HttpError(409, 'not-simulated', `this board's ${name} is not a simulated device`);
  return device;
}

/** Key presses are spaced so that each screen's handler is in place before the next key arrives. */
const KEY_GAP_MS = 25;

/** The /sim routes over any control surface. */
export function registerSimControlRoutes(app: FastifyInstance, controls: SimControls): void {
  app.post('/sim/card', async (req) => {
    const body = parseBody(cardBody, req.body);
    const event = await need(controls.swipe, 'magstripe reader')(body);
    return event.kind === 'card' ? { swiped: 'card', maskedPan: maskPan(event.card.pan) } : { swiped: 'bad-read', reason: event.reason };
  });

  app.post('/sim/scan', async (req) => {
    const body = parseBody(scanBody, req.body);
    await need(controls.scan, 'scan head')(body.data);
    return { scanned: body.data.length };
  });

  app.post('/sim/keys', async (req) => {
    const { keys } = parseBody(keysBody, req.body);
    const bad = keys.filter((k) => !isKey(k));
    if (bad.length) throw new HttpError(400, 'bad-request', `$.keys: unknown key(s) ${bad.map((k) => `"${k}"`).join(', ')}; expected one of ${KEYS.join(' ')}`, '$.keys');
    const keypad = need(controls.keypad, 'keypad');
    const missing = keys.filter((k) => !keypad.keys.includes(k as Key));
    if (missing.length) throw new HttpError(400, 'bad-request', `$.keys: this board's keypad has no ${missing.map((k) => `"${k}"`).join(', ')} key${missing.length > 1 ? 's' : ''}; it has ${keypad.keys.join(' ')}`, '$.keys');
    for (const k of keys as Key[]) {
      await keypad.press(k);
      await new Promise((r) => setTimeout(r, KEY_GAP_MS));
    }
    return { pressed: keys.length };
  });

  app.post('/sim/pin', async (req) => {
    const body = parseBody(pinBody, req.body);
    const pad = need(controls.pin, 'PIN pad');
    if (!(await pad.waitForPrompt(5000))) throw new HttpError(409, 'not-prompting', 'the PIN pad is not asking for a PIN');
    try {
      if ('pin' in body) await pad.enterPin(body.pin);
      else if ('bypass' in body) await pad.bypass();
      else await pad.cancel();
    } catch (err) {
      throw new HttpError(409, 'pin-refused', (err as Error).message);
    }
    return { accepted: true };
  });

  app.get('/sim/lcd', async () => need(controls.lcd, 'display')());

  app.get('/sim/receipts', async () => ({
    receipts: need(controls.receipts, 'printer')().map((r) => ({ seq: r.seq, complete: r.complete, text: r.text, bytes: r.bytes.toString('base64') })),
  }));

  app.post('/sim/printer', async (req) => {
    const body = parseBody(printerBody, req.body);
    if (!body.paper && !body.cover) throw new HttpError(400, 'bad-request', '$: expected "paper" and/or "cover"', '$');
    return await need(controls.printer, 'printer')(body);
  });
}
