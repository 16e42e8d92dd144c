// Unit tests of the processor on a real LevelDB ledger: AES PINs, holds, repeats, refusals, 96 on a failed write, no PAN on disk.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveInitialKey, encryptPin } from '../../firmware/crypto/dukpt';
import type { IsoMessage } from '../../firmware/host/iso8583';
import { silentLogger } from '../../firmware/log';
import { TEST_BDKS } from './bdk';
import type { BdkSet } from './card-checks';
import { Ledger } from './ledger';
import { Processor } from './processor';

const PAN = '4761739001010010';
const NOW = new Date(Date.UTC(2025, 5, 15, 10, 0, 0));
let dir: string;
let ledger: Ledger;
let stan = 0;

async function processor(bdk: BdkSet = TEST_BDKS): Promise<Processor> {
  return new Processor({ ledger, bdk, now: () => NOW, holdDays: 30, log: silentLogger });
}
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'posfw-proc-'));
  ledger = await Ledger.open(dir, silentLogger);
  stan = 0;
});
afterEach(async () => {
  await ledger.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

const rc = (m: IsoMessage | undefined) => String(m?.fields[39]);
function base(mti: string, proc: string, cond: string, amount?: number): IsoMessage {
  stan += 1;
  const fields: IsoMessage['fields'] = { 3: proc, 7: '0615100000', 11: String(stan).padStart(6, '0'), 12: '180000', 13: '0615', 22: '021', 25: cond, 41: 'UNIT0001', 42: 'M00000000000001', 49: '156', 60: '000001', 62: `R${stan}` };
  if (amount !== undefined) fields[4] = String(amount).padStart(12, '0');
  return { mti, fields };
}
function sale(amount: number, pin?: { scheme: 'aes128' | 'aes256'; pin: string }, mti = '0200', proc = '000000', cond = '00'): IsoMessage {
  const msg = base(mti, proc, cond, proc === '310000' ? undefined : amount);
  msg.fields[35] = `${PAN}D3012201`;
  if (pin) {
    const ksn = Buffer.from('123456789012345600000001', 'hex');
    const { initialKey } = deriveInitialKey(TEST_BDKS[pin.scheme], ksn);
    msg.fields[52] = encryptPin({ scheme: pin.scheme, initialKey, ksn, pin: pin.pin, pan: PAN }).pinBlock;
    msg.fields[53] = ksn;
  }
  return msg;
}
function referenced(mti: string, proc: string, cond: string, orig: IsoMessage, reply: IsoMessage, amount: number): IsoMessage {
  const msg = base(mti, proc, cond, amount);
  Object.assign(msg.fields, { 2: PAN, 14: '3012', 22: '012', 37: reply.fields[37], 61: `${orig.fields[11]}${orig.fields[60]}${orig.fields[13]}` });
  if (cond === '06') msg.fields[38] = reply.fields[38] as string;
  return msg;
}
const reversal = (orig: IsoMessage, mti = '0400'): IsoMessage => ({ mti, fields: { ...orig.fields, 90: `${orig.mti}${orig.fields[11]}${orig.fields[7]}${'0'.repeat(22)}` } });

test('AES-128 and AES-256 DUKPT PIN blocks (ISO format 4) are checked with the AES BDKs', async () => {
  const p = await processor();
  expect(rc(await p.handle(sale(1000, { scheme: 'aes128', pin: '1234' })))).toBe('00');
  expect(rc(await p.handle(sale(1000, { scheme: 'aes256', pin: '1234' })))).toBe('00');
  expect(rc(await p.handle(sale(1000, { scheme: 'aes128', pin: '9999' })))).toBe('55');
});

test('no BDK for the KSN scheme: 96; a KSN of the wrong size: 30 and nothing posted', async () => {
  const p = await processor({ tdes: TEST_BDKS.tdes });
  expect(rc(await p.handle(sale(1000, { scheme: 'aes128', pin: '1234' })))).toBe('96');
  const odd = sale(1000, { scheme: 'aes128', pin: '1234' });
  odd.fields[53] = Buffer.alloc(11, 1);
  expect(rc(await p.handle(odd))).toBe('30');
  expect(ledger.list().map((e) => e.responseCode)).toEqual(['96']);
});

test('holds: balance sees the hold; voiding a completion gives it back; reversing that void takes it again', async () => {
  const p = await processor();
  const pre = sale(50_000, undefined, '0100', '030000', '06');
  const preRep = (await p.handle(pre)) as IsoMessage;
  expect(rc(preRep)).toBe('00');
  const comp = referenced('0200', '000000', '06', pre, preRep, 30_000);
  const compRep = (await p.handle(comp)) as IsoMessage;
  expect(rc(compRep)).toBe('00');
  expect(ledger.get(ledger.list()[0].id)?.completedAmount).toBe(30_000);
  const bal = sale(0, { scheme: 'aes128', pin: '1234' }, '0200', '310000');
  expect((await p.handle(bal))?.fields[54]).toBe(`1002156C${String(100_000_000 - 50_000).padStart(12, '0')}`);
  const voidComp = referenced('0200', '200000', '06', comp, compRep, 30_000);
  expect(rc(await p.handle(voidComp))).toBe('00');
  expect(ledger.list()[0].completedAmount).toBe(0);
  expect(rc(await p.handle(reversal(voidComp)))).toBe('00');
  expect(ledger.list()[0].completedAmount).toBe(30_000);
  expect(ledger.list()[1].status).toBe('approved');
  expect(rc(await p.handle(reversal(comp)))).toBe('00');
  expect(ledger.list()[0].completedAmount).toBe(0);
});

test('a 0221 repeat replays the stored refund answer (0230); without an original it is processed once', async () => {
  const p = await processor();
  const s = sale(10_000);
  const sRep = (await p.handle(s)) as IsoMessage;
  const refund = referenced('0220', '200000', '00', s, sRep, 4000);
  const first = (await p.handle(refund)) as IsoMessage;
  const repeat = (await p.handle({ ...refund, mti: '0221' })) as IsoMessage;
  expect(repeat).toEqual({ ...first, mti: '0230' });
  const refund2 = referenced('0220', '200000', '00', s, sRep, 1000);
  const onlyRepeat = await p.handle({ ...refund2, mti: '0221' });
  expect([onlyRepeat?.mti, rc(onlyRepeat)]).toEqual(['0230', '00']);
  expect(ledger.list().map((e) => [e.kind, e.amount])).toEqual([['sale', 10_000], ['refund', 4000], ['refund', 1000]]);
  expect(ledger.list()[0].refundedAmount).toBe(5000);
});

test('refusals: unknown processing code 12, unknown network/status/settlement codes 12, reversal without 90 is 30', async () => {
  const p = await processor();
  expect(rc(await p.handle(sale(100, undefined, '0200', '400000')))).toBe('12');
  expect(rc(await p.handle({ mti: '0800', fields: { 11: '000001', 41: 'UNIT0001', 70: '999' } }))).toBe('12');
  expect(rc(await p.handle({ mti: '0820', fields: { 11: '000002', 41: 'UNIT0001', 61: '0000010000010615', 70: '301' } }))).toBe('12');
  expect(rc(await p.handle({ mti: '0500', fields: { 11: '000003', 41: 'UNIT0001', 60: '000001', 63: '0'.repeat(30), 70: '203' } }))).toBe('12');
  const s = sale(100);
  const rev = reversal(s);
  delete rev.fields[90];
  expect(rc(await p.handle(rev))).toBe('30');
  expect(await p.handle({ mti: '0210', fields: { 11: '000004', 39: '00' } })).toBeUndefined();
  expect(ledger.list()).toEqual([]);
});

test('a forced code on a reversal reverses nothing (the terminal retries)', async () => {
  const p = await processor();
  const s = sale(100);
  await p.handle(s);
  expect(rc(await p.handle(reversal(s), { forceCode: '96' }))).toBe('96');
  expect(ledger.list()[0].status).toBe('approved');
  expect(rc(await p.handle(reversal(s, '0401')))).toBe('00');
  expect(ledger.list()[0].status).toBe('reversed');
});

test('a ledger write that fails answers 96 and stores no answer', async () => {
  const p = await processor();
  await ledger.close();
  const s = sale(100);
  const rep = await p.handle(s);
  expect([rep?.mti, rc(rep), rep?.fields[11]]).toEqual(['0210', '96', s.fields[11]]);
});

test('the ledger files never contain the clear PAN or the PIN block', async () => {
  const p = await processor();
  const s = sale(1000, { scheme: 'aes128', pin: '1234' });
  await p.handle(s);
  await ledger.close();
  const bytes = Buffer.concat(readdirSync(dir).map((n) => readFileSync(join(dir, n))));
  expect(bytes.includes(Buffer.from(PAN))).toBe(false);
  expect(bytes.includes(s.fields[52] as Buffer)).toBe(false);
  expect(bytes.includes(Buffer.from('476173******0010'))).toBe(true);
});
