// Acquirer settlement over real TCP: 0500 balanced / out of balance, batch upload 0320 then 0500/202, closed batches.
import { f, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const totalsRow = async () => (await h.admin('GET', '/totals?terminalId=TERM0001&batch=000001')).json.totals[0];

test('balanced: totals from approved, unvoided, unreversed sales and refunds; the batch closes; a repeat answers 00 again', async () => {
  const s1 = h.term.sale(1000);
  const r1 = await h.link.request(s1);
  const s2 = h.term.sale(2000);
  const r2 = await h.link.request(s2);
  await h.link.request(h.term.referenced('refund', s1, r1, 500));
  const s3 = h.term.sale(3000);
  const r3 = await h.link.request(s3);
  await h.link.request(h.term.referenced('void', s3, r3, 3000));
  const s4 = h.term.sale(4000);
  await h.link.request(s4);
  await h.link.request(h.term.reversal(s4));
  await h.link.request(h.term.sale(1051)); // declined

  expect(await totalsRow()).toMatchObject({ debitCount: 2, debitAmount: 3000, creditCount: 1, creditAmount: 500, settlement: null });
  const wrong = await h.link.request(h.term.settlement({ debitCount: 2, debitAmount: 3001, creditCount: 1, creditAmount: 500 }));
  expect([wrong.mti, f(wrong, 39)]).toEqual(['0510', '95']);
  expect((await totalsRow()).settlement).toMatchObject({ responseCode: '95', closed: false });

  const ok = await h.link.request(h.term.settlement({ debitCount: 2, debitAmount: 3000, creditCount: 1, creditAmount: 500 }));
  expect(f(ok, 39)).toBe('00');
  expect((await totalsRow()).settlement).toMatchObject({ code: '201', responseCode: '00', closed: true, adjusted: false });
  const repeat = await h.link.request(h.term.settlement({ debitCount: 2, debitAmount: 3000, creditCount: 1, creditAmount: 500 }));
  expect(f(repeat, 39)).toBe('00');

  // Void is same-batch only: refused once the batch is settled.
  expect(f(await h.link.request(h.term.referenced('void', s2, r2, 2000)), 39)).toBe('12');
});

test('out of balance -> batch upload 0320 -> 0500/202 accepted when the upload adds up; the record says adjusted', async () => {
  const s1 = h.term.sale(1000);
  const r1 = await h.link.request(s1);
  const s2 = h.term.sale(2000);
  const r2 = await h.link.request(s2);
  // The terminal believes only the first sale is approved.
  const claim = { debitCount: 1, debitAmount: 1000, creditCount: 0, creditAmount: 0 };
  expect(f(await h.link.request(h.term.settlement(claim)), 39)).toBe('95');
  const up = await h.link.request(h.term.upload(s1, r1));
  expect([up.mti, f(up, 39), f(up, 11)]).toEqual(['0330', '00', f(s1, 11)]);
  // Uploaded again under a fresh STAN (field 11): it replaces itself, it does not count twice.
  expect(f(await h.link.request(h.term.upload(s1, r1, h.term.nextStan())), 39)).toBe('00');
  const mismatch = await h.link.request(h.term.settlement({ ...claim, debitAmount: 999 }, '202'));
  expect(f(mismatch, 39)).toBe('95');
  const ok = await h.link.request(h.term.settlement(claim, '202'));
  expect([ok.mti, f(ok, 39)]).toEqual(['0510', '00']);
  const row = await totalsRow();
  expect(row.settlement).toMatchObject({
    code: '202', responseCode: '00', closed: true, adjusted: true,
    terminalTotals: claim, hostTotals: { debitCount: 2, debitAmount: 3000, creditCount: 0, creditAmount: 0 }, uploadedTotals: claim,
  });
  expect(row.uploads.map((u: any) => [u.stan, u.rrn, u.discrepancy])).toEqual([[f(s1, 11), f(r1, 37), null]]);
  expect(f(r2, 39)).toBe('00');
});

test('upload after a fresh 201 round forgets the earlier round; an upload of an unknown RRN is kept with its discrepancy', async () => {
  const s1 = h.term.sale(1000);
  const r1 = await h.link.request(s1);
  const claim = { debitCount: 2, debitAmount: 2000, creditCount: 0, creditAmount: 0 };
  expect(f(await h.link.request(h.term.settlement(claim)), 39)).toBe('95');
  await h.link.request(h.term.upload(s1, r1));
  const ghost = h.term.sale(1000);
  const ghostReply = { mti: '0210', fields: { 37: '000000000001', 38: 'ABC123' } };
  expect(f(await h.link.request(h.term.upload(ghost, ghostReply)), 39)).toBe('00');
  expect((await totalsRow()).uploads.map((u: any) => u.discrepancy)).toEqual([null, 'no host entry with this RRN']);
  expect(f(await h.link.request(h.term.settlement(claim)), 39)).toBe('95');
  expect((await totalsRow()).uploads).toEqual([]);
});
