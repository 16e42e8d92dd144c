// The cashier's day from the keypad alone (/sim/keys, /sim/lcd, /sim/card, /sim/pin): log in, sell, QR, void and refund
// with the supervisor password, reprint, settle with per-operator totals that match the journal, log out; lock-out.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TxnRecord } from '../../firmware/journal/types';
import { Harness, waitFor } from './harness';

const LOGIN_BOARD = { operators: { loginRequired: true, factoryPasswords: 'allowed', maxAttempts: 3, lockoutSec: 60 } };

/** Types digits one key each. */
const digits = (s: string) => [...s];

async function idleWith(h: Harness, re: RegExp): Promise<string[]> {
  await h.waitIdle();
  return h.waitLcd(re);
}

async function login(h: Harness, id: string, password: string): Promise<void> {
  await h.keys('MENU', '1', '2', '1');
  await h.waitLcd(/^OPERATOR NO\.$/);
  await h.keys(...digits(id), 'OK');
  await h.waitLcd(/^PASSWORD$/);
  await h.keys(...digits(password));
  // The password never shows: one star per digit.
  expect((await h.lcd())[2].trim()).toBe('*'.repeat(password.length));
  await h.keys('OK');
  expect(await h.waitLcd(/^LOGGED IN$/)).toEqual(['LOGGED IN', `OPERATOR ${id}`, '', '']);
  await h.keys('OK');
}

/** A card transaction started from the keypad by `keys` (then the amount and OK): swipe, PIN, approved; its record. */
async function keypadCardTxn(h: Harness, keys: string[], amount: string): Promise<TxnRecord> {
  await h.keys(...keys, ...digits(amount), 'OK');
  await h.waitLcd(/^SWIPE CARD$/);
  await h.swipe();
  await h.pin();
  await h.waitLcd(/^APPROVED$/);
  await h.waitIdle();
  return (await h.terminal.money.journal.list({ limit: 1 }))[0];
}

const cardSale = (h: Harness, amount: string) => keypadCardTxn(h, ['F1'], amount);

/** MENU item, supervisor password, trace number: the confirmation screen's lines. */
async function withSupervisor(h: Harness, menuKeys: string[], stan: string): Promise<string[]> {
  await h.keys('MENU', ...menuKeys);
  await h.waitLcd(/^SUPERVISOR PWD$/);
  await h.keys(...digits('123456'), 'OK');
  await h.waitLcd(/^TRACE/);
  await h.keys(...digits(String(Number(stan))), 'OK');
  return h.waitLcd(/OK=YES CANCEL=NO/);
}

/** Per operator, from the journal itself: approved, standing sales, completions and QR payments (debits) and refunds (credits). */
function journalTotals(records: TxnRecord[]): Record<string, { dr: number; drAmount: number; cr: number; crAmount: number }> {
  const out: Record<string, { dr: number; drAmount: number; cr: number; crAmount: number }> = {};
  for (const r of records) {
    if (!r.wasApproved || r.voidedBy || !['approved', 'completed'].includes(r.state)) continue;
    const t = (out[r.operator] ??= { dr: 0, drAmount: 0, cr: 0, crAmount: 0 });
    if (r.type === 'refund') (t.cr++, (t.crAmount += r.amount));
    else if (['sale', 'completion', 'qr-sale', 'qr-present'].includes(r.type)) (t.dr++, (t.drAmount += r.amount));
  }
  return out;
}

describe('the cashier at the keypad', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.stop();
  });

  test('log in, sell by card and by QR both ways, void and refund with the supervisor password, reprint, settle, log out', async () => {
    h = await Harness.start(LOGIN_BOARD);
    expect((await h.waitLcd(/^PLEASE LOG IN/))[3]).toBe('PLEASE LOG IN (OK)');
    // Nobody logged in: F1 leads to the login, not to a sale.
    await h.keys('F1');
    await h.waitLcd(/^OPERATOR NO\.$/);
    await h.keys('CANCEL');
    await login(h, '01', '0000');
    expect((await idleWith(h, /OP 01/))[1]).toBe('TID SIM00001 OP 01');

    const sale = await cardSale(h, '1234');
    expect(sale).toMatchObject({ type: 'sale', amount: 1234, operator: '01', origin: 'keypad', state: 'completed' });
    expect((await h.receipts()).at(-1)!.text).toMatch(/OPERATOR +01/);

    // QR both ways from the keypad: F2 scans the customer's code (B扫C), MENU 3 shows the terminal's QR (C扫B).
    await h.keys('F2', ...digits('2500'), 'OK');
    expect(await h.waitLcd(/^SCAN PAYMENT CODE$/)).toEqual(['QR SALE', 'CNY 25.00', 'SCAN PAYMENT CODE', 'CANCEL=STOP']);
    await h.call('POST', '/sim/scan', { data: '134567890123400000' });
    await h.waitLcd(/^APPROVED$/);
    await h.waitIdle();
    expect((await h.terminal.money.journal.list({ limit: 1 }))[0]).toMatchObject({ type: 'qr-sale', amount: 2500, operator: '01', state: 'completed', wasApproved: true });
    await h.keys('MENU', '3', ...digits('800'), 'OK');
    await h.waitLcd(/^SCAN TO PAY/);
    const presented = (await h.terminal.money.journal.list({ limit: 1 }))[0];
    expect(presented).toMatchObject({ type: 'qr-present', amount: 800, operator: '01' });
    expect((await h.call('POST', `${h.adminUrl}/wallet/pay`, { payload: presented.qr!.payload })).status).toBe(200);
    await h.waitLcd(/^APPROVED$/);
    await h.waitIdle();

    expect(await withSupervisor(h, ['5'], sale.stan)).toEqual(['VOID CNY 12.34', `TRACE ${sale.stan}?`, '476173******0010', 'OK=YES CANCEL=NO']);
    await h.keys('OK');
    await h.waitLcd(/^APPROVED$/);
    await h.waitIdle();
    expect(await h.terminal.money.journal.byReference(sale.reference)).toMatchObject({ voidedBy: expect.any(String) });
    const voidRec = (await h.terminal.money.journal.list({ limit: 1 }))[0];
    expect(voidRec).toMatchObject({ type: 'void', operator: '01', state: 'completed', wasApproved: true, original: { stan: sale.stan } });

    const second = await cardSale(h, '2000');
    await h.keys('MENU', '6');
    await h.waitLcd(/^SUPERVISOR PWD$/);
    await h.keys(...digits('123456'), 'OK');
    await h.waitLcd(/^TRACE OR REF NO\.$/);
    await h.keys(...digits(String(Number(second.stan))), 'OK');
    // The amount offered is what is left to refund; CLEAR takes digits off.
    expect((await h.waitLcd(/^REFUND AMOUNT$/))[2].trim()).toBe('CNY 20.00');
    await h.keys('CLEAR', 'CLEAR', 'OK');
    expect(await h.waitLcd(/OK=YES/)).toEqual(['REFUND CNY 0.20', `TRACE ${second.stan}?`, '476173******0010', 'OK=YES CANCEL=NO']);
    await h.keys('OK');
    await h.waitLcd(/^APPROVED$/);
    await h.waitIdle();
    expect((await h.terminal.money.journal.list({ limit: 1 }))[0]).toMatchObject({ type: 'refund', amount: 20, operator: '01', state: 'completed' });

    const before = (await h.receipts()).length;
    await h.keys('MENU', '8', '1');
    await waitFor('reprint of the last slip', async () => (await h.receipts()).length === before + 1);
    expect((await h.receipts()).at(-1)!.text).toMatch(/DUPLICATE[\s\S]*TYPE: REFUND/);
    await h.keys('MENU', '8', '2');
    await h.waitLcd(/^TRACE NO\.$/);
    await h.keys(...digits(String(Number(second.stan))), 'OK');
    await waitFor('reprint by trace', async () => (await h.receipts()).length === before + 2);
    expect((await h.receipts()).at(-1)!.text).toMatch(/DUPLICATE[\s\S]*TYPE: SALE[\s\S]*CNY 20\.00/);

    // Another cashier takes over: their sale is theirs.
    await h.keys('MENU', '1', '2', '2');
    expect(await h.waitLcd(/^LOGGED OUT$/)).toEqual(['LOGGED OUT', 'OPERATOR 01', '', '']);
    await h.keys('OK');
    await idleWith(h, /^PLEASE LOG IN/);
    await login(h, '02', '0000');
    expect(await cardSale(h, '700')).toMatchObject({ operator: '02', amount: 700 });

    await h.keys('MENU', '1', '0');
    await h.waitLcd(/^SUPERVISOR PWD$/);
    await h.keys(...digits('123456'), 'OK');
    expect(await h.waitLcd(/^SETTLE BATCH/)).toEqual(['SETTLE BATCH 000001?', 'DR 4 CNY 60.00', 'CR 1 CNY 0.20', 'OK=YES CANCEL=NO']);
    const slipsBefore = (await h.receipts()).length;
    await h.keys('OK');
    expect(await h.waitLcd(/^SETTLED$/, 10_000)).toEqual(['SETTLED', 'BATCH 000001', 'DR 4 CNY 60.00', 'CR 1 CNY 0.20']);
    expect(await h.terminal.money.journal.batchNumber()).toBe('000002');

    // The settlement report's per-operator totals are the journal's.
    const report = await waitFor('settlement report', async () => (await h.receipts()).slice(slipsBefore).find((s) => s.text.includes('SETTLEMENT REPORT')));
    const totals = journalTotals(await h.terminal.money.journal.list({ batch: '000001' }));
    expect(Object.keys(totals).sort()).toEqual(['01', '02']);
    for (const [op, t] of Object.entries(totals)) {
      // One line per operator: their counted transactions and the net amount (sales less refunds).
      const net = t.drAmount - t.crAmount;
      expect(report.text).toMatch(new RegExp(`OPERATOR ${op} x${t.dr + t.cr} +CNY ${net < 0 ? '-' : ''}${(Math.abs(net) / 100).toFixed(2)}`));
    }
    expect(report.text).toMatch(/DEBITS x4 +CNY 60\.00/);
    expect(report.text).toMatch(/STATUS +SETTLED/);

    await h.keys('OK', 'MENU', '8', '3');
    await waitFor('settlement report reprinted', async () => (await h.receipts()).at(-1)!.text.includes('SETTLEMENT REPORT'));
    expect((await h.receipts()).at(-1)!.text).toContain('DUPLICATE');

    await h.keys('MENU', '1', '2', '2');
    await h.waitLcd(/^LOGGED OUT$/);
    // Everything the keypad did is on the host too.
    expect((await h.ledger()).map((e) => [e.kind, e.amount, e.status])).toEqual([
      ['sale', 1234, 'voided'],
      ['qr-sale', 2500, 'approved'],
      ['qr-present', 800, 'approved'],
      ['void', 1234, 'approved'],
      ['sale', 2000, 'approved'],
      ['refund', 20, 'approved'],
      ['sale', 700, 'approved'],
    ]);
  });

  test('a wrong supervisor password refuses, and the configured count locks the supervisor out (kept in the data folder)', async () => {
    h = await Harness.start({ operators: { maxAttempts: 3, lockoutSec: 600 } });
    const sale = await cardSale(h, '1500');
    for (const left of [2, 1]) {
      await h.keys('MENU', '5');
      await h.waitLcd(/^SUPERVISOR PWD$/);
      await h.keys(...digits('999999'), 'OK');
      expect(await h.waitLcd(/^WRONG PASSWORD$/)).toEqual(['WRONG PASSWORD', `TRIES LEFT ${left}`, '', '']);
      await h.keys('OK');
    }
    await h.keys('MENU', '5', ...digits('999999'), 'OK');
    expect(await h.waitLcd(/^LOCKED OUT$/)).toEqual(['LOCKED OUT', 'WAIT 10 MIN', '', '']);
    await h.keys('OK');
    // Locked: even the right password is refused, for void, refund and settlement alike.
    for (const item of [['5'], ['6'], ['1', '0']]) {
      await h.keys('MENU', ...item, ...digits('123456'), 'OK');
      await h.waitLcd(/^LOCKED OUT$/);
      await h.keys('OK');
    }
    expect((await h.terminal.money.journal.byReference(sale.reference))?.voidedBy).toBeUndefined();
    expect((await h.terminal.money.journal.list()).map((r) => r.type)).toEqual(['sale']);
    expect(h.terminal.operators.list().find((a) => a.id === '00')).toMatchObject({ locked: true });
    const stored = readFileSync(join(h.dataDir, 'operators.json'), 'utf8');
    expect(JSON.parse(stored).accounts[0]).toMatchObject({ id: '00', lockouts: 1, lockedUntil: expect.any(Number) });
    expect(stored).not.toContain('999999');
    expect(stored).not.toContain('123456');
    for (const line of h.logLines) expect(line).not.toMatch(/999999|123456/);
  });

  test('a real board: factory passwords must be changed at first login; they are never in the board file or the logs', async () => {
    h = await Harness.start({ operators: { loginRequired: true, factoryPasswords: 'must-change' } });
    await h.waitLcd(/^PLEASE LOG IN/);
    await h.keys('OK');
    await h.waitLcd(/^OPERATOR NO\.$/);
    await h.keys('0', '1', 'OK', '0', '0', '0', '0', 'OK');
    expect((await h.waitLcd(/^NEW PASSWORD$/)).map((l) => l.trim())).toEqual(['SET NEW PASSWORD', 'NEW PASSWORD', '', 'OK=CONFIRM']);
    await h.keys(...digits('1111'), 'OK', ...digits('1111'), 'OK');
    // One digit repeated is refused; the factory password still opens nothing but this screen.
    expect(await h.waitLcd(/^PASSWORD REFUSED$/)).toEqual(['PASSWORD REFUSED', 'NOT ONE DIGIT', 'REPEATED', '']);
    await h.keys('OK');
    await h.waitLcd(/^PLEASE LOG IN/);
    await h.keys('OK', '0', '1', 'OK', '0', '0', '0', '0', 'OK');
    await h.waitLcd(/^NEW PASSWORD$/);
    await h.keys(...digits('246810'), 'OK', ...digits('246810'), 'OK');
    expect(await h.waitLcd(/^PASSWORD CHANGED$/)).toEqual(['PASSWORD CHANGED', '', '', '']);
    await h.keys('OK');
    expect((await h.waitLcd(/OP 01/))[1]).toBe('TID SIM00001 OP 01');
    await h.keys('MENU', '1', '2', '2', 'OK');
    await h.keys('OK', '0', '1', 'OK', '0', '0', '0', '0', 'OK');
    expect(await h.waitLcd(/^WRONG PASSWORD$/)).toEqual(['WRONG PASSWORD', 'TRIES LEFT 2', '', '']);
    await h.keys('OK');
    await login(h, '01', '246810');
    expect(await cardSale(h, '100')).toMatchObject({ operator: '01' });
    expect(readFileSync(join(h.dataDir, 'operators.json'), 'utf8')).not.toContain('246810');
    for (const line of h.logLines) expect(line).not.toContain('246810');
  });

  test('an ECR request names its operator; without one it is the cashier logged in at the keypad', async () => {
    h = await Harness.start();
    await h.cardTxn({ reference: 'ECR-OP', type: 'sale', amount: 300, operator: '04' });
    expect(await h.terminal.money.journal.byReference('ECR-OP')).toMatchObject({ operator: '04' });
    expect((await h.receipts()).at(-1)!.text).toMatch(/OPERATOR +04/);
    await login(h, '03', '0000');
    await h.cardTxn({ reference: 'ECR-NOOP', type: 'sale', amount: 400 });
    expect(await h.terminal.money.journal.byReference('ECR-NOOP')).toMatchObject({ operator: '03' });
    const bad = await h.startTxn({ reference: 'ECR-BADOP', type: 'sale', amount: 400, operator: 'boss' });
    expect(bad.status).toBe(400);
  });

  test('the pre-auth menu: a hold, its completion (amount defaults to the hold left), and a hold cancelled with the supervisor password', async () => {
    h = await Harness.start();
    const hold = (amount: string) => keypadCardTxn(h, ['MENU', '4', '1'], amount);
    const first = await hold('5000');
    expect(first).toMatchObject({ type: 'preauth', amount: 5000, state: 'completed' });
    await h.keys('MENU', '4', '2', ...digits(String(Number(first.stan))), 'OK');
    expect((await h.waitLcd(/^COMPLETE AMOUNT$/))[2].trim()).toBe('CNY 50.00');
    await h.keys('CLEAR', 'OK');
    expect(await h.waitLcd(/OK=YES/)).toEqual(['COMPLETION CNY 5.00', `TRACE ${first.stan}?`, '476173******0010', 'OK=YES CANCEL=NO']);
    await h.keys('OK');
    await h.waitLcd(/^APPROVED$/);
    await h.waitIdle();
    expect((await h.terminal.money.journal.list({ limit: 1 }))[0]).toMatchObject({ type: 'completion', amount: 500, state: 'completed', wasApproved: true });

    const second = await hold('3000');
    await h.keys('MENU', '4', '3');
    await h.waitLcd(/^SUPERVISOR PWD$/);
    await h.keys(...digits('123456'), 'OK');
    await h.waitLcd(/^TRACE OR REF NO\.$/);
    await h.keys(...digits(String(Number(second.stan))), 'OK');
    expect(await h.waitLcd(/OK=YES/)).toEqual(['CANCEL PRE-AUTH', 'CNY 30.00', `TRACE ${second.stan}?`, 'OK=YES CANCEL=NO']);
    await h.keys('OK');
    await h.waitLcd(/^APPROVED$/);
    await h.waitIdle();
    expect(await h.terminal.money.journal.byReference(second.reference)).toMatchObject({ voidedBy: expect.any(String) });
  });
});
