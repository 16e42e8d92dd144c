// Unit tests of the LevelDB ledger: atomic commits survive a reopen, totals rules, uploads rounds, clear.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../firmware/log';
import { Ledger } from './ledger';
import type { LedgerEntry, UploadRecord } from './types';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'posfw-ledger-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function entry(id: number, over: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    id: String(id).padStart(12, '0'), terminalId: 'T1', merchantId: 'M', stan: String(id).padStart(6, '0'), mti: '0200', processingCode: '000000', posCondition: '00',
    entryMode: '021', kind: 'sale', amount: 1000, currency: '156', rrn: `RRN${id}`, authCode: 'A1B2C3', responseCode: '00', reference: `R${id}`, maskedPan: '476173******0010',
    panSealed: null, batch: '000001', localDate: '0615', transmissionDateTime: '0615100000', status: 'approved', originalId: null, refundedAmount: 0, completedAmount: 0,
    voidedBy: null, reversedAt: null, createdAt: '2025-06-15T10:00:00.000Z', ...over,
  };
}
const upload = (stan: string, amount: number): UploadRecord => ({ terminalId: 'T1', batch: '000001', stan, processingCode: '000000', amount, rrn: 'x', authCode: 'y', matchedEntryId: null, discrepancy: null, at: 'now' });

test('commits survive a reopen: entries, answers, settlements, uploads and the sequence', async () => {
  const a = await Ledger.open(dir, silentLogger);
  expect(a.nextSeq()).toBe(1);
  await a.commit({ entries: [entry(1)], answers: [{ key: 'k', answer: { fingerprint: 'fp', response: { mti: '0210', fields: { '39': '00' } }, entryId: '1', at: 'now' } }], uploads: [upload('000001', 1000)] });
  await a.close();
  const b = await Ledger.open(dir, silentLogger);
  expect(b.list()).toEqual([entry(1)]);
  expect(b.answer('k')?.response.fields['39']).toBe('00');
  expect(b.uploads('T1', '000001')).toHaveLength(1);
  expect(b.nextSeq()).toBe(2);
  await b.close();
});

test('PANs are sealed under the host vault key, never hashed; entries find their card again after a reopen', async () => {
  const PAN = '4761739001010010';
  const a = await Ledger.open(dir, silentLogger);
  const sealed = a.sealPan(PAN);
  expect(sealed).toMatch(/^hv1:/);
  expect(a.sealPan(PAN)).not.toBe(sealed); // random IV: equal cards are not equal on disk
  await a.commit({ entries: [entry(1, { panSealed: sealed }), entry(2, { panSealed: a.sealPan('4000000000000002') }), entry(3)] });
  expect(a.byCard(PAN).map((e) => e.id)).toEqual(['000000000001']);
  await a.close();
  expect(statSync(join(dir, 'card-vault.key')).mode & 0o777).toBe(0o600);
  const b = await Ledger.open(dir, silentLogger);
  expect(b.byCard(PAN).map((e) => e.id)).toEqual(['000000000001']);
  expect(b.sameCard(b.get('000000000001')!, PAN)).toBe(true);
  expect(b.sameCard(b.get('000000000002')!, PAN)).toBe(false);
  expect(b.sameCard(b.get('000000000003')!, PAN)).toBe(false); // no card kept: ties to none
  await b.close();
});

test('totals: approved sales and completions are debits, refunds credits; voided, reversed, declined, balance and pre-auth are neither', async () => {
  const l = await Ledger.open(dir, silentLogger);
  await l.commit({
    entries: [
      entry(1, { amount: 100 }),
      entry(2, { amount: 200, kind: 'completion' }),
      entry(3, { amount: 50, kind: 'refund' }),
      entry(4, { amount: 400, status: 'voided' }),
      entry(5, { amount: 500, status: 'reversed' }),
      entry(6, { amount: 600, status: 'declined', responseCode: '51' }),
      entry(7, { amount: 0, kind: 'balance' }),
      entry(8, { amount: 800, kind: 'preauth' }),
      entry(9, { amount: 400, kind: 'void' }),
      entry(10, { amount: 1000, batch: '000002' }),
      entry(11, { amount: 1000, terminalId: 'T2' }),
    ],
  });
  expect(l.totals('T1', '000001')).toEqual({ debitCount: 2, debitAmount: 300, creditCount: 1, creditAmount: 50 });
  expect(l.allTotals().map((r) => [r.terminalId, r.batch, r.debitAmount])).toEqual([['T1', '000001', 300], ['T1', '000002', 1000], ['T2', '000001', 1000]]);
  expect(l.list({ terminalId: 'T2' }).map((e) => e.id)).toEqual(['000000000011']);
  expect(l.list({ reference: 'R3' }).map((e) => e.kind)).toEqual(['refund']);
  await l.close();
});

test('list() and get() return copies; clear() empties everything but keeps the sequence', async () => {
  const l = await Ledger.open(dir, silentLogger);
  l.nextSeq();
  await l.commit({ entries: [entry(1)], uploads: [upload('000001', 5)] });
  l.list()[0].amount = 1;
  expect(l.get('000000000001')?.amount).toBe(1000);
  await l.commit({ clearUploadsOf: { terminalId: 'T1', batch: '000001' }, uploads: [upload('000002', 7)] });
  expect(l.uploads('T1', '000001').map((u) => u.stan)).toEqual(['000002']);
  await l.clear();
  expect([l.list(), l.allTotals(), l.uploads('T1', '000001')]).toEqual([[], [], []]);
  expect(l.nextSeq()).toBe(2);
  await l.close();
});
