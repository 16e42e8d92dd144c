// Settlement and totals reports: totals, net, host result, one block per operator, duplicate mark, Chinese labels.
import { join } from 'node:path';
import { loadBoard } from '../board/load';
import { renderText } from '../hal/printer/receipt-doc';
import { buildBatchReport, type BatchReport } from './batch-report';

const terminal = loadBoard(join(__dirname, '..', '..', 'board-configs', 'sim.json')).terminal;
const report: BatchReport = {
  kind: 'settlement',
  batch: '000007',
  currency: 'CNY',
  at: '2026-11-30T10:00:00.000Z',
  totals: { debitCount: 3, debitAmount: 4500, creditCount: 1, creditAmount: 500 },
  operators: [
    { operator: '01', debitCount: 2, debitAmount: 3000, creditCount: 0, creditAmount: 0 },
    { operator: '02', debitCount: 1, debitAmount: 1500, creditCount: 1, creditAmount: 500 },
  ],
  host: 'balanced',
};

describe('batch reports', () => {
  it('settlement report: batch, totals, net, host result and per-operator blocks', () => {
    const text = renderText(buildBatchReport(report, { terminal, language: 'en' }), 32);
    for (const s of ['SETTLEMENT REPORT', 'SIM00001', '000007', 'HOST: BALANCED', 'BY OPERATOR', 'OPERATOR 01', 'OPERATOR 02']) expect(text).toContain(s);
    expect(text).toMatch(/SALES 3 +CNY 45\.00/);
    expect(text).toMatch(/REFUNDS 1 +CNY -5\.00/);
    expect(text).toMatch(/NET +CNY 40\.00/);
    expect(text).toMatch(/OPERATOR 02\n {2}SALES 1 +CNY 15\.00\n {2}REFUNDS 1 +CNY -5\.00/);
    expect(text).not.toContain('DUPLICATE');
  });

  it('a reprint is marked; Chinese labels when the printer has the font', () => {
    const text = renderText(buildBatchReport({ ...report, kind: 'totals', host: undefined }, { terminal, language: 'zh', duplicate: true }), 32);
    for (const s of ['批次汇总', '重打印', '操作员 01', '演示商店']) expect(text).toContain(s);
    expect(text).not.toContain('HOST');
  });
});
