// Bad ECR requests: malformed JSON, unknown fields, wrong types and impossible combinations → 400 naming the field; nothing journaled.
import { Harness } from './harness';

describe('ECR request validation', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(async () => {
    await h.stop();
  });
  afterEach(async () => {
    expect(h.terminal.controller.busy).toBe(false);
    expect(await h.terminal.money.journal.list()).toEqual([]);
    expect(h.hostRequests).toEqual([]);
    expect(await h.ledger()).toEqual([]);
  });

  test('malformed JSON → 400 bad-json saying where it broke', async () => {
    const r = await h.call('POST', '/v1/transactions', undefined, '{"reference": "A1", "type": "sale", "amount": 12');
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('bad-json');
    expect(r.body.message).toMatch(/^request body is not valid JSON: /);
    const empty = await h.call('POST', '/v1/transactions', undefined, '');
    expect(empty).toEqual({ status: 400, body: { error: 'bad-request', message: 'request body must be a JSON object' } });
    const notObject = await h.call('POST', '/v1/transactions', [1, 2]);
    expect(notObject.status).toBe(400);
    expect(notObject.body.message).toMatch(/^\$: /);
  });

  test.each([
    ['unknown field', { reference: 'A1', type: 'sale', amount: 100, tip: 5 }, '$: unknown field(s) "tip"'],
    ['unknown nested field', { reference: 'A1', type: 'void', original: { reference: 'X', card: '1' } }, '$.original: unknown field(s) "card"'],
    ['amount as a string', { reference: 'A1', type: 'sale', amount: '100' }, '$.amount: '],
    ['fractional amount', { reference: 'A1', type: 'sale', amount: 12.5 }, '$.amount: expected whole minor units (e.g. 1234 for 12.34)'],
    ['negative amount', { reference: 'A1', type: 'sale', amount: -1 }, '$.amount: '],
    ['unknown type', { reference: 'A1', type: 'payout', amount: 100 }, '$.type: '],
    ['missing reference', { type: 'sale', amount: 100 }, '$.reference: '],
    ['reference with a space', { reference: 'A 1', type: 'sale', amount: 100 }, '$.reference: expected 1-64 printable ASCII characters without spaces'],
    ['lower-case currency', { reference: 'A1', type: 'sale', amount: 100, currency: 'cny' }, '$.currency: expected an ISO 4217 code such as CNY'],
    ['stan with letters', { reference: 'A1', type: 'void', original: { stan: '12a' } }, '$.original.stan: '],
    ['wait as a string', { reference: 'A1', type: 'sale', amount: 100, wait: 'no' }, '$.wait: '],
  ])('%s → 400 naming the field', async (_name, body, message) => {
    const r = await h.startTxn(body);
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('bad-request');
    expect(r.body.message.startsWith(message)).toBe(true);
  });

  test.each([
    ['sale without an amount', { reference: 'B1', type: 'sale' }, 'a sale needs a positive amount in minor units', '$.amount'],
    ['balance with an amount', { reference: 'B2', type: 'balance', amount: 100 }, 'a balance inquiry takes no amount', '$.amount'],
    ['other currency', { reference: 'B3', type: 'sale', amount: 100, currency: 'USD' }, "currency USD is not this terminal's currency (CNY)", '$.currency'],
    ['void without an original', { reference: 'B4', type: 'void' }, 'a void needs original.reference, original.rrn or original.stan', '$.original'],
    ['refund with an empty original', { reference: 'B5', type: 'refund', amount: 100, original: {} }, 'a refund needs original.reference, original.rrn or original.stan', '$.original'],
  ])('%s → 400 saying why, with the path of the field', async (_name, body, message, path) => {
    const r = await h.startTxn(body);
    expect(r).toEqual({ status: 400, body: { error: 'bad-request', message, path } });
  });

  test('other routes: unknown transaction 404, bad reprint body 400, /sim bad input 400', async () => {
    expect((await h.txn('NOPE')).body).toEqual({ error: 'not-found', message: 'no transaction with reference "NOPE"' });
    const reprint = await h.call('POST', '/v1/reprint', { last: true });
    expect(reprint.status).toBe(400);
    expect(reprint.body.message).toBe('$: unknown field(s) "last"');
    const keys = await h.keys('ENTER');
    expect(keys.status).toBe(400);
    expect(keys.body.message).toMatch(/^\$\.keys: unknown key\(s\) "ENTER"/);
    const pin = await h.call('POST', '/sim/pin', { pin: '12' });
    expect(pin.status).toBe(400);
    const card = await h.call('POST', '/sim/card', { track2: 1234 });
    expect(card.status).toBe(400);
    expect(card.body.message).toMatch(/^\$\.track2: /);
  });
});
