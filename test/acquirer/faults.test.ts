// Acquirer fault injection seen from the terminal side (HostLink over real TCP): each fault kind, onlyMti, seeded reproducibility.
import type { IsoMessage } from '../../firmware/host/iso8583';
import { HostLinkError } from '../../firmware/host/transport/errors';
import { f, startHarness, TIMEOUT_MS, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const ledger = async () => (await h.admin('GET', '/ledger')).json.entries as any[];
const setFaults = async (body: unknown) => {
  const r = await h.admin('POST', '/faults', body);
  expect(r.status).toBe(200);
  return r.json;
};

/** The HostLinkError a request rejects with. */
async function failure(msg: IsoMessage): Promise<HostLinkError> {
  try {
    await h.link.request(msg, { timeoutMs: TIMEOUT_MS });
  } catch (err) {
    expect(err).toBeInstanceOf(HostLinkError);
    return err as HostLinkError;
  }
  throw new Error('expected the request to fail');
}

/** Resolves with the first late reply, or rejects after `ms` (bounded wait, not a timing assertion). */
function nextLateReply(ms: number): Promise<IsoMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('no late reply'));
    }, ms);
    const off = h.link.onLateReply((reply) => {
      clearTimeout(timer);
      off();
      resolve(reply);
    });
  });
}

test('drop request: the terminal times out (outcome unknown) and nothing is posted', async () => {
  await setFaults({ dropRequest: 1, onlyMti: ['0200'] });
  const err = await failure(h.term.sale(1000));
  expect([err.code, err.outcome]).toEqual(['ETIMEOUT', 'unknown']);
  expect(await ledger()).toEqual([]);
  const view = (await h.admin('GET', '/faults')).json;
  expect(view.history).toEqual([{ n: 1, mti: '0200', stan: '000001', faults: ['dropRequest'] }]);
});

test('drop response: the terminal times out but the sale is posted, and its reversal undoes it', async () => {
  await setFaults({ dropResponse: 1, onlyMti: ['0200'] });
  const sale = h.term.sale(1000);
  const err = await failure(sale);
  expect([err.code, err.outcome]).toEqual(['ETIMEOUT', 'unknown']);
  expect((await ledger()).map((e) => [e.status, e.amount])).toEqual([['approved', 1000]]);
  expect(f(await h.link.request(h.term.reversal(sale)), 39)).toBe('00');
  expect((await ledger())[0].status).toBe('reversed');
});

test('delay: the request times out and the approval arrives later as a late reply', async () => {
  await setFaults({ delayResponse: 1, delayMs: TIMEOUT_MS * 2, onlyMti: ['0200'] });
  const sale = h.term.sale(1000);
  const late = nextLateReply(10_000);
  const err = await failure(sale);
  expect([err.code, err.outcome]).toEqual(['ETIMEOUT', 'unknown']);
  const reply = await late;
  expect([reply.mti, f(reply, 11), f(reply, 39)]).toEqual(['0210', f(sale, 11), '00']);
  expect((await ledger())[0].status).toBe('approved');
});

test('disconnect mid-reply: outcome unknown, sale posted, the link reconnects for the next request', async () => {
  await setFaults({ disconnectMidReply: 1, onlyMti: ['0200'] });
  const err = await failure(h.term.sale(1000));
  expect(err.code).toBe('EDISCONNECT');
  expect(err.outcome).toBe('unknown');
  expect((await ledger()).map((e) => e.status)).toEqual(['approved']);
  expect(f(await h.link.request(h.term.network('301')), 39)).toBe('00');
});

test('garbled reply: outcome unknown, sale posted, the same link still usable', async () => {
  await setFaults({ garbleReply: 1, onlyMti: ['0200'] });
  const err = await failure(h.term.sale(1000));
  expect([err.code, err.outcome]).toEqual(['EGARBLED', 'unknown']);
  expect(h.link.connected).toBe(true);
  expect((await ledger()).map((e) => e.status)).toEqual(['approved']);
  expect(f(await h.link.request(h.term.network('301')), 39)).toBe('00');
  expect(h.link.connected).toBe(true);
});

test('forced response code: answered with it and posted as declined; other MTIs untouched', async () => {
  await setFaults({ forceResponseCode: { code: '91', probability: 1 }, onlyMti: ['0200'] });
  const rep = await h.link.request(h.term.sale(1000));
  expect(f(rep, 39)).toBe('91');
  expect(f(rep, 37)).toMatch(/^\d{12}$/);
  expect((await ledger()).map((e) => [e.status, e.responseCode])).toEqual([['declined', '91']]);
  expect(f(await h.link.request(h.term.network('301')), 39)).toBe('00');
  const cleared = await h.admin('DELETE', '/faults');
  expect(cleared.json.active).toBe(false);
  expect(f(await h.link.request(h.term.sale(1000)), 39)).toBe('00');
});

test('the same seed reproduces the same fault schedule', async () => {
  const run = async (): Promise<string[]> => {
    await setFaults({ seed: 424242, forceResponseCode: { code: '05', probability: 0.5 } });
    const codes: string[] = [];
    for (let i = 0; i < 16; i++) codes.push(f(await h.link.request(h.term.sale(1000)), 39));
    return codes;
  };
  const first = await run();
  const second = await run();
  expect(second).toEqual(first);
  expect(first).toContain('00');
  expect(first).toContain('05');
  const view = (await h.admin('GET', '/faults')).json;
  expect(view.seed).toBe(424242);
  expect(view.decided).toBe(16);
});
