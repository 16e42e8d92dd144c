// Pure render functions: the same views on 20x4, 16x2 and a 128x64 graphic panel, exact lines.
import type { TxnRecord } from '../journal/types';
import type { Prompt } from '../flows/prompts';
import { render, type DisplayShape, type UiView } from './render';

const L20x4: DisplayShape = { cols: 20, rows: 4, graphic: false };
const L16x2: DisplayShape = { cols: 16, rows: 2, graphic: false };
const OLED: DisplayShape = { cols: 21, rows: 8, graphic: true };
const txn = { type: 'sale' as const, amount: 1234, currency: 'CNY', reference: 'R' };
const prompt = (p: Prompt): UiView => ({ kind: 'prompt', prompt: p });

describe('render', () => {
  it('idle screen per panel size', () => {
    const view: UiView = { kind: 'idle', merchantName: 'SHOP', terminalId: 'SIM00001', now: new Date(2026, 10, 30, 9, 5), faults: ['printer'] };
    expect(render(view, L20x4).lines).toEqual(['SHOP', 'TID SIM00001 !PRN', '2026-11-30 09:05', 'SWIPE CARD OR MENU']);
    expect(render(view, L16x2).lines).toEqual(['SHOP', 'SWIPE/MENU 09:05 !PRN']);
  });

  it('prompts keep the lines that matter on two rows', () => {
    expect(render(prompt({ kind: 'present-card', txn }), L20x4).lines).toEqual(['SALE', 'CNY 12.34', 'SWIPE CARD', 'CANCEL=STOP']);
    // 16 columns: words wider than the panel use their short form instead of being cut off.
    expect(render(prompt({ kind: 'present-card', txn, retry: 'use-chip' }), L16x2).lines).toEqual(['CNY 12.34', 'INSERT CHIP CARD']);
    expect(render(prompt({ kind: 'enter-pin', txn, bypassAllowed: true }), L20x4).lines).toEqual(['SALE', 'CNY 12.34', 'ENTER PIN ON PAD', 'OK=NO PIN']);
    expect(render(prompt({ kind: 'enter-pin', txn: { ...txn, type: 'balance', amount: 0 }, bypassAllowed: false }), L20x4).lines).toEqual(['BALANCE INQUIRY', '', 'ENTER PIN ON PAD', 'PIN REQUIRED']);
    expect(render(prompt({ kind: 'confirm-duplicate', txn }), L20x4).lines).toEqual(['POSSIBLE DUPLICATE', 'SAME CARD & AMOUNT', 'OK=CONTINUE', 'CANCEL=STOP']);
    expect(render(prompt({ kind: 'confirm-duplicate', txn }), L16x2).lines).toEqual(['DUPLICATE SALE?', 'OK=CONTINUE']);
    expect(render(prompt({ kind: 'authorising', txn }), OLED).lines).toEqual(['SALE', 'CNY 12.34', 'PROCESSING...', 'PLEASE WAIT']);
  });

  it('outcomes from the record: approved, declined, timeout, reversal queued', () => {
    const rec = (r: Partial<TxnRecord>) => ({ type: 'sale', amount: 1234, currency: 'CNY', ...r }) as TxnRecord;
    expect(render(prompt({ kind: 'finished', txn, record: rec({ state: 'completed', wasApproved: true, authCode: 'AB12CD' }) }), L20x4).lines).toEqual(['APPROVED', 'AUTH AB12CD', 'CNY 12.34']);
    expect(render(prompt({ kind: 'printing', txn, record: rec({ state: 'approved', wasApproved: true, authCode: 'AB12CD' }) }), L20x4).lines).toEqual(['APPROVED', 'AUTH AB12CD', 'CNY 12.34', 'PRINTING...']);
    expect(render(prompt({ kind: 'finished', txn, record: rec({ state: 'completed', responseCode: '51' }) }), L20x4).lines).toEqual(['DECLINED 51', 'INSUFFICIENT FUNDS']);
    expect(render(prompt({ kind: 'finished', txn, record: rec({ state: 'cancelled', reason: 'timeout' }) }), L20x4).lines).toEqual(['CANCELLED', 'TIMED OUT']);
    expect(render(prompt({ kind: 'finished', txn, record: rec({ state: 'reversal-pending' }) }), L16x2).lines).toEqual(['NO HOST ANSWER', 'NOT CHARGED']);
    expect(render(prompt({ kind: 'finished', txn, record: rec({ type: 'balance', state: 'completed', wasApproved: true, balanceMinor: -5 }) }), L20x4).lines).toEqual(['BALANCE', '-0.05', 'APPROVED']);
  });

  it('amount entry right-aligned to the panel; menus scroll with the cursor', () => {
    expect(render({ kind: 'amount', title: 'SALE', digits: '5005', currency: 'CNY' }, L20x4).lines).toEqual(['SALE', 'ENTER AMOUNT', '           CNY 50.05', 'OK=CONFIRM']);
    expect(render({ kind: 'amount', title: 'SALE', digits: '5005', currency: 'CNY' }, L16x2).lines).toEqual(['SALE', '       CNY 50.05']);
    const items = ['SALE', 'PRE-AUTH', 'BALANCE', 'REPRINT LAST'];
    expect(render({ kind: 'menu', title: 'MENU', items, cursor: 0 }, L20x4)).toEqual({ lines: ['MENU', '1 SALE', '2 PRE-AUTH', '3 BALANCE'], highlight: 1 });
    expect(render({ kind: 'menu', title: 'MENU', items, cursor: 3 }, L20x4)).toEqual({ lines: ['MENU', '2 PRE-AUTH', '3 BALANCE', '4 REPRINT LAST'], highlight: 3 });
    expect(render({ kind: 'menu', title: 'MENU', items, cursor: 2 }, L16x2)).toEqual({ lines: ['MENU', '3 BALANCE'], highlight: 1 });
  });

  it('printer pause, refusal, reprint and device faults', () => {
    expect(render({ kind: 'paused', why: 'paper-out' }, L20x4).lines).toEqual(['PAPER OUT', 'FIX THE PRINTER', 'PRINTING PAUSED']);
    expect(render({ kind: 'paused', why: 'cover-open' }, L16x2).lines).toEqual(['COVER OPEN', 'PRINTING PAUSED']);
    expect(render({ kind: 'refused', message: 'terminal is busy' }, L20x4).lines).toEqual(['NOT STARTED', 'terminal is busy']);
    expect(render({ kind: 'reprint', failed: 'nothing to reprint' }, L20x4).lines).toEqual(['REPRINT FAILED', 'NOTHING TO REPRINT']);
    expect(render({ kind: 'faults', failures: [{ deviceClass: 'printer', code: 'ENODEV' }] }, L16x2).lines).toEqual(['DEVICE FAULT', 'PRINTER: ENODEV']);
  });
});
