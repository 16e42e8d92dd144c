// Bench scenarios driven over HTTP (ECR API + /sim), shared by the in-process suite and the `posfw run --emulate` suite.
import { formatDateTime } from '../../firmware/ui-lcd/render';
import { call, waitFor, type SimClient } from './bench-harness';

export const PAN = '4761739001010010';
export const MASKED = '476173******0010';
/** Service code 101 (magstripe only), expires December 2030. */
export const TRACK2 = `;${PAN}=30121010000000000000?`;

/** The idle screen as the HD44780 emulator's DDRAM reads back: merchant, TID, local date and time, the prompt. */
export async function expectIdleScreen(c: SimClient): Promise<void> {
  const lines = await c.waitLcd(/^SWIPE CARD OR MENU$/);
  expect(lines).toHaveLength(4);
  expect(lines[0]).toBe('POSFW BENCH STORE');
  expect(lines[1]).toBe('TID BENCH001');
  expect(lines[2]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  expect(lines[2].slice(0, 10)).toBe(formatDateTime(new Date()).slice(0, 10));
  const view = (await c.sim('GET', '/sim/lcd')).body;
  expect(view).toMatchObject({ cols: 20, rows: 4 });
  expect(view.highlight).toBeUndefined();
  expect(view.text.split('\n')).toEqual(['+--------------------+', '|POSFW BENCH STORE   |', '|TID BENCH001        |', `|${lines[2]}    |`, '|SWIPE CARD OR MENU  |', '+--------------------+']);
}

/** MENU, DOWN x3 (the 13-item main menu scrolls, the blinking cursor marks the choice), CANCEL back to idle; UP is not on this keypad. */
export async function menuWalk(c: SimClient): Promise<void> {
  expect((await c.keys('MENU')).body).toEqual({ pressed: 1 });
  expect(await c.waitLcd(/^MENU$/)).toEqual(['MENU', '1 SALE', '2 QR SALE', '3 QR PRESENT']);
  expect((await c.sim('GET', '/sim/lcd')).body.highlight).toBe(1);
  expect((await c.keys('DOWN')).body).toEqual({ pressed: 1 });
  await waitFor('cursor on 2 QR SALE', async () => (await c.sim('GET', '/sim/lcd')).body.highlight === 2);
  await c.keys('DOWN', 'DOWN');
  expect(await c.waitLcd(/^4 PRE-AUTH >$/)).toEqual(['MENU', '2 QR SALE', '3 QR PRESENT', '4 PRE-AUTH >']);
  expect((await c.sim('GET', '/sim/lcd')).body.highlight).toBe(3);
  await c.keys('CANCEL');
  await c.waitLcd(/^SWIPE CARD OR MENU$/);
  const refused = await c.keys('UP');
  expect(refused.status).toBe(400);
  expect(refused.body).toEqual({ error: 'bad-request', message: `$.keys: this board's keypad has no "UP" key; it has 1 2 3 MENU 4 5 6 DOWN 7 8 9 CANCEL F1 0 CLEAR OK`, path: '$.keys' });
}

/** ECR sale: swipe on the serial reader, PIN on the serial pad; resolves with the ECR answer. */
export async function cardSale(c: SimClient, reference: string, amount: number): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const answer = c.api('POST', '/v1/transactions', { reference, type: 'sale', amount });
  await c.waitLcd(/^SWIPE CARD$/);
  expect((await c.swipe(TRACK2)).body).toEqual({ swiped: 'card', maskedPan: MASKED });
  expect((await c.pin('1234')).body).toEqual({ accepted: true });
  const r = await answer;
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ reference, type: 'sale', status: 'approved', amount, currency: 'CNY', responseCode: '00', maskedPan: MASKED });
  return r.body;
}

/** A full sale: both slips read back from the printer emulator, one approved ledger entry (the PIN block decrypted). */
export async function saleWithSlips(c: SimClient, adminUrl: string, reference: string): Promise<void> {
  const before = (await c.receipts()).length;
  const r = await cardSale(c, reference, 1234);
  const slips = await waitFor('two printed slips', async () => {
    const all = (await c.receipts()).slice(before);
    return all.length >= 2 ? all : undefined;
  });
  expect(slips.map((s) => s.complete)).toEqual([true, true]);
  expect(slips[0].text).toContain('MERCHANT COPY');
  expect(slips[1].text).toContain('CUSTOMER COPY');
  for (const s of slips) {
    expect(s.text).toContain(MASKED);
    expect(s.text).toContain('TYPE: SALE');
    expect(s.text).toContain('CNY 12.34');
    expect(s.text).toContain(r.rrn);
    expect(s.text).toContain(r.authCode);
    expect(s.text).toContain('SWIPE+PIN');
    expect(s.text).not.toContain(PAN);
    expect(s.text).not.toContain('DUPLICATE');
    // The bytes are the ESC/POS job as the printer got it: ESC @ first, the partial cut GS V 66 0 last.
    const bytes = Buffer.from(s.bytes, 'base64');
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0x1b, 0x40]));
    expect(bytes.subarray(-4)).toEqual(Buffer.from([0x1d, 0x56, 0x42, 0x00]));
  }
  // A wrong PIN would be declined 55: approval means the acquirer decrypted the emulated pad's DUKPT PIN block.
  const ledger = await call(adminUrl, 'GET', `/ledger?reference=${reference}`);
  expect(ledger.body.entries).toHaveLength(1);
  expect(ledger.body.entries[0]).toMatchObject({ reference, kind: 'sale', status: 'approved', amount: 1234, entryMode: '021', maskedPan: MASKED, rrn: r.rrn });
}

/**
 * A 10-row roll: the merchant slip runs out part-way, the serial driver's DLE EOT check stops the job, the LCD says
 * PAPER OUT; after the refill the cut-off slip comes out again marked DUPLICATE, then the customer slip.
 */
export async function paperOutMidSlip(c: SimClient, reference: string): Promise<void> {
  const before = (await c.receipts()).length;
  expect((await c.printer({ paper: 'ok', lines: 10 })).body).toEqual({ state: 'online', paperNearEnd: false });
  await cardSale(c, reference, 2000);
  expect(await c.waitLcd(/^PAPER OUT$/)).toEqual(['PAPER OUT', 'FIX THE PRINTER', 'PRINTING PAUSED', '']);
  const cut = (await c.receipts()).slice(before);
  expect(cut).toHaveLength(1);
  expect(cut[0].complete).toBe(false);
  expect(cut[0].text.split('\n')).toHaveLength(10);
  expect(cut[0].text).toContain('MERCHANT COPY');

  expect((await c.printer({ paper: 'ok' })).body).toEqual({ state: 'online', paperNearEnd: false });
  const slips = await waitFor('the reprint and the customer slip', async () => {
    const all = (await c.receipts()).slice(before);
    return all.length >= 3 ? all : undefined;
  });
  expect(slips.map((s) => s.complete)).toEqual([false, true, true]);
  expect(slips[1].text).toContain('MERCHANT COPY');
  expect(slips[1].text).toContain('DUPLICATE');
  expect(slips[1].text).toContain('CNY 20.00');
  expect(slips[2].text).toContain('CUSTOMER COPY');
  expect(slips[2].text).not.toContain('DUPLICATE');
  // Printing resumed and finished: the terminal goes back to its idle screen.
  await c.waitLcd(/^SWIPE CARD OR MENU$/);
}
