// GET /v1/transactions: filters by batch, date, status and type, newest first, cursor paging without gaps or repeats.
import { newSale } from '../../firmware/money/money.fixtures';
import { Harness } from './harness';

describe('GET /v1/transactions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
    const j = h.terminal.money.journal;
    const mk = async (ref: string, over: Record<string, unknown>, outcome?: 'approved' | 'declined' | 'cancelled') => {
      const r = await j.create(newSale({ reference: ref, ...over }));
      if (outcome === 'cancelled') return j.update(r.id, { state: 'cancelled' });
      if (outcome) {
        await j.update(r.id, { state: 'sending' });
        await j.update(r.id, outcome === 'approved' ? { state: 'approved', wasApproved: true, responseCode: '00' } : { state: 'declined', responseCode: '51' });
      }
      return r;
    };
    await mk('L-1', { batch: '000001' }, 'approved');
    await mk('L-2', { batch: '000001', type: 'preauth' }, 'approved');
    await mk('L-3', { batch: '000001' }, 'declined');
    await mk('L-4', { batch: '000002' }, 'approved');
    await mk('L-5', { batch: '000002', type: 'refund', amount: 10 }, 'approved');
    await mk('L-6', { batch: '000002' }, 'cancelled');
    await mk('L-7', { batch: '000002' }, 'approved');
  });
  afterAll(async () => {
    await h.stop();
  });

  const refs = async (query: string) => {
    const r = await h.call('GET', `/v1/transactions${query}`);
    expect(r.status).toBe(200);
    return r.body.transactions.map((t: { reference: string }) => t.reference);
  };

  test('newest first, filtered by batch, status, type and date', async () => {
    expect(await refs('')).toEqual(['L-7', 'L-6', 'L-5', 'L-4', 'L-3', 'L-2', 'L-1']);
    expect(await refs('?batch=1')).toEqual(['L-3', 'L-2', 'L-1']);
    expect(await refs('?status=declined,cancelled')).toEqual(['L-6', 'L-3']);
    expect(await refs('?type=preauth,refund')).toEqual(['L-5', 'L-2']);
    expect(await refs('?batch=000002&status=approved&type=sale')).toEqual(['L-7', 'L-4']);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(await refs(`?from=${today}&to=${today}`)).toHaveLength(7);
    expect(await refs(`?from=${tomorrow}`)).toEqual([]);
    expect(await refs(`?to=${yesterday}`)).toEqual([]);
    const declined = (await h.call('GET', '/v1/transactions?status=declined')).body.transactions[0];
    expect(declined).toMatchObject({ status: 'declined', responseCode: '51', declineReason: 'insufficient-funds', createdAt: expect.any(String) });
    expect(declined.receipt).toBeUndefined();
  });

  test('cursor paging returns every record once, then no cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null && pages < 10) {
      const r: { body: { transactions: Array<{ reference: string }>; nextCursor: string | null } } = await h.call('GET', `/v1/transactions?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...r.body.transactions.map((t: { reference: string }) => t.reference));
      cursor = r.body.nextCursor;
      pages++;
    }
    expect(seen).toEqual(['L-7', 'L-6', 'L-5', 'L-4', 'L-3', 'L-2', 'L-1']);
    const filtered = await h.call('GET', '/v1/transactions?status=approved&limit=2');
    expect(filtered.body.transactions.map((t: { reference: string }) => t.reference)).toEqual(['L-7', 'L-5']);
    expect(await refs(`?status=approved&limit=2&cursor=${filtered.body.nextCursor}`)).toEqual(['L-4', 'L-2']);
  });

  test.each([
    ['?limit=0', '$.limit'],
    ['?limit=500', '$.limit'],
    ['?status=paid', '$.status[0]'],
    ['?from=yesterday', '$.from'],
    ['?cursor=!!', '$.cursor'],
    ['?cursor=AAAA', '$.cursor'],
    ['?sort=asc', '$.sort'],
  ])('%s → 400 naming %s', async (query, path) => {
    const r = await h.call('GET', `/v1/transactions${query}`);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: 'bad-request', path });
  });
});
