// Per-operator totals add up to the batch totals and count only standing sales, completions and refunds.
import type { TxnRecord } from '../journal/types';
import { batchTotals } from './batch-totals';

const rec = (over: Partial<TxnRecord>): TxnRecord => ({ type: 'sale', state: 'completed', wasApproved: true, amount: 100, operator: '01', batch: '000001', ...over }) as TxnRecord;

describe('batch totals', () => {
  it('splits by operator and adds up to the batch totals', () => {
    const t = batchTotals(
      [
        rec({ amount: 1000 }),
        rec({ amount: 500, operator: '02' }),
        rec({ type: 'refund', amount: 200, operator: '02' }),
        rec({ amount: 700, voidedBy: 'x' }),
        rec({ type: 'void', amount: 700 }),
        rec({ amount: 900, state: 'completed', wasApproved: false }),
        rec({ type: 'preauth', amount: 5000, operator: '03' }),
        rec({ type: 'completion', amount: 300, operator: '03' }),
      ],
      '000001',
      'CNY',
    );
    expect(t).toEqual({
      batch: '000001',
      currency: 'CNY',
      debitCount: 3,
      debitAmount: 1800,
      creditCount: 1,
      creditAmount: 200,
      operators: [
        { operator: '01', debitCount: 1, debitAmount: 1000, creditCount: 0, creditAmount: 0 },
        { operator: '02', debitCount: 1, debitAmount: 500, creditCount: 1, creditAmount: 200 },
        { operator: '03', debitCount: 1, debitAmount: 300, creditCount: 0, creditAmount: 0 },
      ],
    });
  });
});
