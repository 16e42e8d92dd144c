// Acquirer simulator over real TCP, terminal side = HostLink: sales, PINs, magic amounts, duplicates, void/refund/completion, balance, reversal.
import { f, GOOD_PAN, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const ledger = async (query = '') => (await h.admin('GET', `/ledger${query}`)).json.entries as any[];

describe('sign-on and echo', () => {
  test('0800/001 answers 0810 00 with the host time; 301 echo answers 00', async () => {
    const on = await h.link.request(h.term.network('001'));
    expect(on.mti).toBe('0810');
    expect(f(on, 39)).toBe('00');
    expect(f(on, 7)).toMatch(/^\d{10}$/);
    expect(f(on, 70)).toBe('001');
    const echo = await h.link.request(h.term.network('301'));
    expect([echo.mti, f(echo, 39)]).toEqual(['0810', '00']);
  });
});

describe('sale', () => {
  test('approved with PIN 1234: RRN, auth code, echoed amount and reference, ledger entry with masked PAN', async () => {
    const req = h.term.sale(12_345, { pin: '1234' }, 'ECR-0001');
    const rep = await h.link.request(req);
    expect(rep.mti).toBe('0210');
    expect(f(rep, 39)).toBe('00');
    expect(f(rep, 37)).toMatch(/^\d{12}$/);
    expect(f(rep, 38)).toMatch(/^[0-9A-Z]{6}$/);
    expect(f(rep, 4)).toBe('000000012345');
    expect(f(rep, 62)).toBe('ECR-0001');
    const entries = await ledger();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      terminalId: 'TERM0001', stan: '000001', mti: '0200', processingCode: '000000', amount: 12_345, currency: '156',
      rrn: f(rep, 37), authCode: f(rep, 38), responseCode: '00', reference: 'ECR-0001', maskedPan: '476173******0010', status: 'approved',
    });
    expect(entries[0].panSealed).toBeUndefined(); // the sealed PAN stays in the ledger, never in the API
    expect(JSON.stringify(entries)).not.toContain(GOOD_PAN);
  });

  test('wrong PIN gives 55, bypass (no PIN block) is approved', async () => {
    expect(f(await h.link.request(h.term.sale(1000, { pin: '0000' })), 39)).toBe('55');
    expect(f(await h.link.request(h.term.sale(1000, {})), 39)).toBe('00');
    expect((await ledger()).map((e) => e.status)).toEqual(['declined', 'approved']);
  });

  test.each([
    [10_051, '51'],
    [10_055, '55'],
    [10_005, '05'],
    [10_096, '96'],
    [10_013, '13'],
    [10_050, '00'],
  ])('magic amount %d answers %s', async (amount, rc) => {
    const rep = await h.link.request(h.term.sale(amount));
    expect(f(rep, 39)).toBe(rc);
    if (rc === '00') expect(f(rep, 38)).toMatch(/^[0-9A-Z]{6}$/);
    else expect(f(rep, 38)).toBe('');
  });

  test('special cards: non-Luhn 14, expired 54, always-decline 05, stolen 43, PIN 4321 card, low balance 51', async () => {
    const rc = async (card: { pan?: string; expiry?: string; pin?: string }, amount = 1000) => f(await h.link.request(h.term.sale(amount, card)), 39);
    expect(await rc({ pan: '4761739001010011', pin: '1234' })).toBe('14');
    expect(await rc({ expiry: '2001', pin: '1234' })).toBe('54');
    expect(await rc({ pan: '4000000000000002', pin: '1234' })).toBe('05');
    expect(await rc({ pan: '4000000000000010', pin: '1234' })).toBe('43');
    expect(await rc({ pan: '4000000000000036', pin: '1234' })).toBe('55');
    expect(await rc({ pan: '4000000000000036', pin: '4321' })).toBe('00');
    expect(await rc({ pan: '4000000000000044', pin: '1234' }, 2000)).toBe('51');
    expect(await rc({ pan: '4000000000000044', pin: '1234' }, 1000)).toBe('00');
  });

  test('a duplicate (same TID, STAN, date) gets the original answer and is not posted twice; other content gets 94', async () => {
    const req = h.term.sale(2500);
    const first = await h.link.request(req);
    const again = await h.link.request(req);
    expect(f(again, 39)).toBe('00');
    expect(f(again, 37)).toBe(f(first, 37));
    expect(f(again, 38)).toBe(f(first, 38));
    const changed = { mti: req.mti, fields: { ...req.fields, 4: '000000009999' } };
    expect(f(await h.link.request(changed), 39)).toBe('94');
    expect(await ledger()).toHaveLength(1);
  });
});

describe('balance inquiry', () => {
  test('needs a PIN (57 without), answers field 54 with the available balance', async () => {
    expect(f(await h.link.request(h.term.balance({})), 39)).toBe('57');
    await h.link.request(h.term.sale(500, { pan: '4000000000000044', pin: '1234' }));
    const rep = await h.link.request(h.term.balance({ pan: '4000000000000044', pin: '1234' }));
    expect(f(rep, 39)).toBe('00');
    expect(f(rep, 54)).toBe('1002156C000000000500');
  });
});

describe('reversal', () => {
  test('marks the original reversed; twice (0400 then 0401) leaves one reversed entry; unknown original answered 21 (nothing to reverse)', async () => {
    const sale = h.term.sale(4200);
    await h.link.request(sale);
    const r1 = await h.link.request(h.term.reversal(sale));
    expect([r1.mti, f(r1, 39), f(r1, 11)]).toEqual(['0410', '00', f(sale, 11)]);
    const r2 = await h.link.request(h.term.reversal(sale, true));
    expect([r2.mti, f(r2, 39)]).toEqual(['0410', '00']);
    const entries = await ledger();
    expect(entries.map((e) => e.status)).toEqual(['reversed']);
    const never = h.term.sale(100);
    const r3 = await h.link.request(h.term.reversal(never));
    // Issue 11: a reversal of something the host never posted gets the documented "nothing to reverse" code.
    expect(f(r3, 39)).toBe('21');
    expect(await ledger()).toHaveLength(1);
    const totals = (await h.admin('GET', '/totals')).json.totals;
    expect(totals[0]).toMatchObject({ debitCount: 0, debitAmount: 0 });
  });

  test('0401 repeat of a reversal the host never saw reverses the original', async () => {
    const sale = h.term.sale(4300);
    await h.link.request(sale);
    expect(f(await h.link.request(h.term.reversal(sale, true)), 39)).toBe('00');
    expect((await ledger())[0].status).toBe('reversed');
  });

  test('reversing a void puts the sale back; reversing a refund gives the amount back', async () => {
    const sale = h.term.sale(5000);
    const saleRep = await h.link.request(sale);
    const voidReq = h.term.referenced('void', sale, saleRep, 5000);
    expect(f(await h.link.request(voidReq), 39)).toBe('00');
    expect((await ledger())[0].status).toBe('voided');
    await h.link.request(h.term.reversal(voidReq));
    const afterVoidReversal = await ledger();
    expect(afterVoidReversal.map((e) => [e.kind, e.status])).toEqual([['sale', 'approved'], ['void', 'reversed']]);
    const refund = h.term.referenced('refund', sale, saleRep, 5000);
    expect(f(await h.link.request(refund), 39)).toBe('00');
    expect(f(await h.link.request(h.term.referenced('refund', sale, saleRep, 1)), 39)).toBe('13');
    await h.link.request(h.term.reversal(refund));
    expect(f(await h.link.request(h.term.referenced('refund', sale, saleRep, 5000)), 39)).toBe('00');
  });
});

describe('void', () => {
  test('only an approved sale, once; not a reversed or declined one; not another amount', async () => {
    const sale = h.term.sale(7000);
    const rep = await h.link.request(sale);
    expect(f(await h.link.request(h.term.referenced('void', sale, rep, 6999)), 39)).toBe('13');
    const v = await h.link.request(h.term.referenced('void', sale, rep, 7000));
    expect([v.mti, f(v, 39)]).toEqual(['0210', '00']);
    expect(f(await h.link.request(h.term.referenced('void', sale, rep, 7000)), 39)).toBe('12');

    const sale2 = h.term.sale(7100);
    const rep2 = await h.link.request(sale2);
    await h.link.request(h.term.reversal(sale2));
    expect(f(await h.link.request(h.term.referenced('void', sale2, rep2, 7100)), 39)).toBe('12');

    const declined = h.term.sale(7151);
    const rep3 = await h.link.request(declined);
    expect(f(await h.link.request(h.term.referenced('void', declined, rep3, 7151)), 39)).toBe('12');

    const unknown = { ...rep, fields: { ...rep.fields, 37: '999999999999' } };
    expect(f(await h.link.request(h.term.referenced('void', sale, unknown, 7000)), 39)).toBe('25');
    const totals = (await h.admin('GET', '/totals')).json.totals;
    expect(totals[0]).toMatchObject({ debitCount: 0, debitAmount: 0, creditCount: 0 });
  });
});

describe('refund', () => {
  test('cumulative refunds never exceed the original sale; 0220 answered 0230', async () => {
    const sale = h.term.sale(10_000);
    const rep = await h.link.request(sale);
    const r1 = await h.link.request(h.term.referenced('refund', sale, rep, 6000));
    expect([r1.mti, f(r1, 39)]).toEqual(['0230', '00']);
    expect(f(await h.link.request(h.term.referenced('refund', sale, rep, 4001)), 39)).toBe('13');
    expect(f(await h.link.request(h.term.referenced('refund', sale, rep, 4000)), 39)).toBe('00');
    expect(f(await h.link.request(h.term.referenced('refund', sale, rep, 1)), 39)).toBe('13');
    const totals = (await h.admin('GET', '/totals')).json.totals;
    expect(totals[0]).toMatchObject({ debitCount: 1, debitAmount: 10_000, creditCount: 2, creditAmount: 10_000 });
  });
});

describe('pre-authorisation and completion', () => {
  test('completion up to the hold, cumulative; above it 13; wrong auth code 12', async () => {
    const pre = h.term.preauth(20_000);
    const preRep = await h.link.request(pre);
    expect([preRep.mti, f(preRep, 39)]).toEqual(['0110', '00']);
    const badAuth = { ...preRep, fields: { ...preRep.fields, 38: 'ZZZZZZ' } };
    expect(f(await h.link.request(h.term.referenced('completion', pre, badAuth, 1000)), 39)).toBe('12');
    expect(f(await h.link.request(h.term.referenced('completion', pre, preRep, 20_001)), 39)).toBe('13');
    expect(f(await h.link.request(h.term.referenced('completion', pre, preRep, 15_000)), 39)).toBe('00');
    expect(f(await h.link.request(h.term.referenced('completion', pre, preRep, 5_001)), 39)).toBe('13');
    expect(f(await h.link.request(h.term.referenced('completion', pre, preRep, 5_000)), 39)).toBe('00');
    const totals = (await h.admin('GET', '/totals')).json.totals;
    expect(totals[0]).toMatchObject({ debitCount: 2, debitAmount: 20_000 });
  });
});

describe('status query', () => {
  test('0830 carries the original answer and status; unknown -> 25 status=unknown', async () => {
    const sale = h.term.sale(3000);
    const rep = await h.link.request(sale);
    const q = await h.link.request(h.term.statusQuery(sale));
    expect([q.mti, f(q, 39), f(q, 48), f(q, 37), f(q, 38)]).toEqual(['0830', '00', 'status=approved', f(rep, 37), f(rep, 38)]);
    await h.link.request(h.term.reversal(sale));
    expect(f(await h.link.request(h.term.statusQuery(sale)), 48)).toBe('status=reversed');
    const never = h.term.sale(1);
    const u = await h.link.request(h.term.statusQuery(never));
    expect([f(u, 39), f(u, 48)]).toEqual(['25', 'status=unknown']);
  });
});

describe('ledger', () => {
  test('records the merchant reference of every entry and filters by reference and terminal', async () => {
    await h.link.request(h.term.sale(100, { pin: '1234' }, 'ORDER-A'));
    await h.link.request(h.term.sale(200, { pin: '0000' }, 'ORDER-B'));
    expect((await ledger()).map((e) => e.reference)).toEqual(['ORDER-A', 'ORDER-B']);
    const b = await ledger('?reference=ORDER-B');
    expect(b.map((e) => [e.reference, e.responseCode, e.status])).toEqual([['ORDER-B', '55', 'declined']]);
    expect(await ledger('?terminalId=OTHER001')).toEqual([]);
  });
});
