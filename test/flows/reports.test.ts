// Reports: the settlement report printed when a batch closes (totals per type, scheme, operator, host result), its copy
// marked DUPLICATE, batch detail and open holds as JSON; every card number masked.
import { GOOD_PAN, Harness } from './harness';

describe('reports', () => {
  let h: Harness;
  beforeEach(async () => (h = await Harness.start()));
  afterEach(async () => h.stop());

  test('a day: the settlement report matches the journal and the host, is printed at close and reprinted as a copy', async () => {
    await h.cardTxn({ reference: 'RP-1', type: 'sale', amount: 5000 });
    await h.cardTxn({ reference: 'RP-2', type: 'sale', amount: 1200 });
    await h.referencedTxn({ reference: 'RP-3', type: 'refund', amount: 700, original: { reference: 'RP-1' } });
    await h.referencedTxn({ reference: 'RP-4', type: 'void', original: { reference: 'RP-2' } });
    await h.cardTxn({ reference: 'RP-5', type: 'preauth', amount: 3000 });
    await h.cardTxn({ reference: 'RP-6', type: 'sale', amount: 1051 }); // declined 51

    const preview = (await h.call('GET', '/v1/reports/settlement')).body;
    expect(preview).toMatchObject({ status: 'open', batch: '000001', totals: { debitCount: 1, debitAmount: 5000, creditCount: 1, creditAmount: 700 } });
    const detail = (await h.call('GET', '/v1/reports/detail')).body;
    expect(detail.lines.map((l: { reference: string; counted: boolean }) => [l.reference, l.counted])).toEqual([
      ['RP-1', true], ['RP-2', false], ['RP-3', true], ['RP-4', false], ['RP-5', false], ['RP-6', false],
    ]);
    const holds = (await h.call('GET', '/v1/reports/holds')).body;
    expect(holds).toMatchObject({ total: 3000, holds: [{ reference: 'RP-5', remaining: 3000, maskedPan: '476173******0010' }] });

    const before = (await h.receipts()).length;
    expect((await h.call('POST', '/v1/settlement', {})).body).toMatchObject({ status: 'settled', batch: '000001' });
    const slips = await h.receipts();
    expect(slips).toHaveLength(before + 1);
    const report = slips.at(-1)!.text;
    expect(report).toContain('SETTLEMENT REPORT');
    expect(report).toMatch(/DEBITS x1\s+CNY 50\.00/);
    expect(report).toMatch(/CREDITS x1\s+CNY -7\.00/);
    expect(report).toMatch(/VISA x2\s+CNY 43\.00/);
    expect(report).not.toContain('DUPLICATE');

    const settled = (await h.call('GET', '/v1/reports/settlement?batch=1')).body;
    expect(settled).toMatchObject({ status: 'settled', host: { responseCode: '00', uploaded: false, nextBatch: '000002' }, byType: { sale: { count: 1, amount: 5000 }, refund: { count: 1, amount: 700 } }, byOperator: { '01': { count: 2, amount: 4300 } } });
    const hostTotals = (await h.call('GET', `${h.adminUrl}/totals`)).body.totals[0];
    expect(hostTotals).toMatchObject({ batch: '000001', debitCount: settled.totals.debitCount, debitAmount: settled.totals.debitAmount, creditCount: settled.totals.creditCount, creditAmount: settled.totals.creditAmount });

    const copy = await h.call('POST', '/v1/reports/settlement/print', {});
    expect(copy.body).toMatchObject({ printed: true, report: 'settlement' });
    expect(copy.body.text).toContain('*** DUPLICATE ***');
    const all = JSON.stringify([preview, detail, holds, settled, copy.body, await h.receipts()]);
    expect(all).not.toContain(GOOD_PAN);
    expect((await h.call('GET', '/v1/reports/settlement?batch=9')).status).toBe(404);
  });
});
