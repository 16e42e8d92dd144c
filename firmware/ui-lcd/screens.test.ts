// Every screen on 16x2, 20x4 and 128x64 (English and Chinese): exact lines for the key ones, and every line fits its panel.
import { createActor, fromPromise } from 'xstate';
import { FakeClock } from '../common/clock';
import type { Key } from '../common/keys';
import { layoutScreen } from '../hal/display/graphic-layout';
import { isWideChar } from '../hal/display/hd44780-commands';
import { textWidth } from '../hal/printer/receipt-doc';
import type { TxnRecord } from '../journal/types';
import type { Prompt } from '../flows/prompts';
import { displayLanguage } from './lcd-ui';
import { MENUS } from './menu-tree';
import type { BatchTotals, Found, KeypadStart, UiAction, UiNotice, UiOutcome } from './ports';
import { render, type DisplayShape } from './render';
import { stateName, uiMachine, type UiEvent } from './ui.machine';
import { viewOf } from './views';
import { noticeLines } from './notices';
import type { Lang } from './words';

const L16x2: DisplayShape = { cols: 16, rows: 2, graphic: false };
const L20x4: DisplayShape = { cols: 20, rows: 4, graphic: false };
const OLED_EN: DisplayShape = { cols: 21, rows: 8, graphic: true };
/** 128x64 with Chinese: 16 px glyphs, 8 px half-width: 16 columns, 4 rows (as LcdUi.shape lays it out). */
const OLED_ZH: DisplayShape = { cols: 16, rows: 4, graphic: true, narrowCols: 21 };
const PANELS: Array<[string, DisplayShape, Lang]> = [
  ['16x2', L16x2, 'en'],
  ['20x4', L20x4, 'en'],
  ['128x64 en', OLED_EN, 'en'],
  ['128x64 zh', OLED_ZH, 'zh'],
];

const FOUND: Found = { type: 'sale', amount: 1234, currency: 'CNY', stan: '000123', batch: '000001', maskedPan: '476173******0010', rrn: '000000000042', remaining: 1234, status: 'approved', operator: '01' };
const BATCH: BatchTotals = { batch: '000001', currency: 'CNY', debitCount: 3, debitAmount: 4500, creditCount: 1, creditAmount: 500, operators: [{ operator: '01', debitCount: 3, debitAmount: 4500, creditCount: 1, creditAmount: 500 }] };
const info = { merchantName: 'POSFW DEMO STORE', merchantNameZh: '演示商店', terminalId: 'SIM00001', currency: 'CNY', now: new Date(2026, 10, 30, 9, 5), failures: [] };
const txn = { type: 'sale' as const, amount: 1234, currency: 'CNY', reference: 'R' };

/** The screen after `events`, for `panel` in `lang` (the machine's own context, the views, the render). */
function screenAfter(events: Array<Key | UiEvent>, shape: DisplayShape, lang: Lang, answer: (a: UiAction) => UiOutcome = () => ({ ok: true })) {
  const clock = new FakeClock();
  const machine = uiMachine.provide({
    actors: { startTxn: fromPromise<void, KeypadStart>(async () => undefined), act: fromPromise<UiOutcome, UiAction>(async ({ input }) => answer(input)) },
  });
  const ui = createActor(machine, {
    clock,
    input: { faults: false, promptMs: 60_000, messageMs: 3_000, loginRequired: false, autoLogoutMs: 0, maxAmount: 99_999_999, supervisorFor: ['void', 'settlement', 'settings'], accepts: ['sale', 'void', 'refund'], lang },
  });
  ui.start();
  return (async () => {
    for (const e of events) {
      ui.send(typeof e === 'string' ? { type: 'KEY', key: e } : e);
      await clock.advance(0);
    }
    const snap = ui.getSnapshot();
    return render(viewOf(stateName(snap.value), snap.context, info, shape), shape);
  })();
}

const prompt = (p: Prompt): UiEvent => ({ type: 'PROMPT', prompt: p });
const rec = (r: Partial<TxnRecord>) => ({ type: 'sale', amount: 1234, currency: 'CNY', ...r }) as TxnRecord;
const notice = (n: UiNotice) => (): UiOutcome => ({ ok: false, notice: n });

/** Screens worth checking on every panel: name → events (and the act answer). */
const SCREENS: Record<string, [Array<Key | UiEvent>, ((a: UiAction) => UiOutcome)?]> = {
  idle: [[]],
  'logged in': [['MENU', '1', '2', '1', '0', '1', 'OK', '4', '7', '1', '1', 'OK', 'OK'], (a) => (a.kind === 'login' ? { ok: true, session: { id: '01', role: 'cashier' } } : { ok: true })],
  ...Object.fromEntries(Object.keys(MENUS).map((m) => [`menu ${m}`, [['MENU', ...({ main: [], preauth: ['4'], reprint: ['8'], operator: ['1', '2'], settings: ['1', '3', '1', '2', '3', '4', '5', '6', 'OK'], language: ['1', '3', '1', '2', '3', '4', '5', '6', 'OK', '1'] } as Record<string, Key[]>)[m]], (a: UiAction): UiOutcome => ({ ok: a.kind === 'authorise' })]])),
  amount: [['F1', '5', '0', '0', '5']],
  'supervisor password': [['MENU', '5', '1', '2', '3']],
  'trace number': [['MENU', '5', '1', '2', '3', '4', '5', '6', 'OK', '1', '2', '3'], () => ({ ok: true })],
  'void confirmation': [['MENU', '5', '1', '2', '3', '4', '5', '6', 'OK', '1', '2', '3', 'OK'], (a) => (a.kind === 'find-original' ? { ok: true, found: FOUND } : { ok: true })],
  'settle confirmation': [['MENU', '1', '0', '1', '2', '3', '4', '5', '6', 'OK'], (a) => (a.kind === 'batch' ? { ok: true, batch: BATCH } : { ok: true })],
  'date and time': [['MENU', '1', '3', '1', '2', '3', '4', '5', '6', 'OK', '2', '2', '0', '2', '6', '1'], () => ({ ok: true })],
  'wrong password': [['MENU', '5', '9', '9', '9', '9', 'OK'], notice({ kind: 'wrong-password', attemptsLeft: 2 })],
  'locked out': [['MENU', '5', '9', '9', '9', '9', 'OK'], notice({ kind: 'locked', forMs: 60_000 })],
  'not available': [['F2']],
  settled: [['MENU', '1', '0', '1', '2', '3', '4', '5', '6', 'OK', 'OK'], (a) => (a.kind === 'batch' ? { ok: true, batch: BATCH } : a.kind === 'settle' ? { ok: true, notice: { kind: 'settled', totals: BATCH } } : { ok: true })],
  'swipe card': [[prompt({ kind: 'present-card', txn })]],
  'scan payment code': [[prompt({ kind: 'scan-code', txn: { ...txn, type: 'qr-sale' } })]],
  'customer confirming': [[prompt({ kind: 'awaiting-customer', txn: { ...txn, type: 'qr-sale' }, mode: 'scan', wallet: 'wechat', deadline: new Date(Date.now() + 60_000).toISOString() })]],
  'scan to pay': [[prompt({ kind: 'awaiting-customer', txn: { ...txn, type: 'qr-present' }, mode: 'present', wallet: 'unionpay', deadline: new Date(Date.now() + 60_000).toISOString() })]],
  'enter PIN': [[prompt({ kind: 'enter-pin', txn, bypassAllowed: true })]],
  'possible duplicate': [[prompt({ kind: 'confirm-duplicate', txn })]],
  'approved with points': [[prompt({ kind: 'finished', txn, record: rec({ state: 'completed', wasApproved: true, authCode: 'AB12CD', points: { earned: 12, balance: 345 } }) })]],
  'host unreachable': [[prompt({ kind: 'finished', txn, record: rec({ state: 'failed', reason: 'not-sent (ECONNREFUSED)' }) })]],
  'timed out': [[prompt({ kind: 'finished', txn, record: rec({ state: 'cancelled', reason: 'timeout' }) })]],
  'paper out': [[prompt({ kind: 'printing', txn, record: rec({ state: 'approved', wasApproved: true }) }), { type: 'PRINTER_PAUSED', why: 'paper-out' }]],
};

describe('screens', () => {
  it('key screens, exact lines per panel and language', async () => {
    const s = (name: string, shape: DisplayShape, lang: Lang) => screenAfter(SCREENS[name][0], shape, lang, SCREENS[name][1]).then((x) => x.lines);
    expect(await s('logged in', L20x4, 'en')).toEqual(['POSFW DEMO STORE', 'TID SIM00001 OP 01', '2026-11-30 09:05', 'SWIPE CARD OR MENU']);
    expect(await s('logged in', L16x2, 'en')).toEqual(['01 POSFW DEMO ST', 'SWIPE/MENU 09:05']);
    expect(await s('logged in', OLED_ZH, 'zh')).toEqual(['演示商店', '操作员 01', '2026-11-30 09:05', '请刷卡或按菜单']);
    expect(await s('menu main', L20x4, 'en')).toEqual(['MENU', '1 SALE', '2 QR SALE', '3 QR PRESENT']);
    expect(await s('menu main', OLED_EN, 'en')).toEqual(['MENU', '1 SALE', '2 QR SALE', '3 QR PRESENT', '4 PRE-AUTH >', '5 VOID', '6 REFUND', '7 BALANCE']);
    expect(await s('menu main', OLED_ZH, 'zh')).toEqual(['主菜单', '1 消费', '2 扫码收款', '3 二维码收款']);
    expect(await s('supervisor password', L20x4, 'en')).toEqual(['VOID', 'SUPERVISOR PWD', '                 ***', 'OK=CONFIRM']);
    expect(await s('supervisor password', L16x2, 'en')).toEqual(['SUPERVISOR PWD', '             ***']);
    expect(await s('void confirmation', L20x4, 'en')).toEqual(['VOID CNY 12.34', 'TRACE 000123?', '476173******0010', 'OK=YES CANCEL=NO']);
    expect(await s('void confirmation', L16x2, 'en')).toEqual(['VOID CNY 12.34', 'TRACE 000123?']);
    expect(await s('void confirmation', OLED_ZH, 'zh')).toEqual(['撤销 CNY 12.34', '凭证号 000123?', '476173******0010', '确认/取消']);
    expect(await s('settle confirmation', L20x4, 'en')).toEqual(['SETTLE BATCH 000001?', 'DR 3 CNY 45.00', 'CR 1 CNY 5.00', 'OK=YES CANCEL=NO']);
    expect(await s('settle confirmation', L16x2, 'en')).toEqual(['SETTLE BATCH', '000001?']);
    expect(await s('date and time', L20x4, 'en')).toEqual(['DATE AND TIME', 'YYYYMMDDHHMM', '    2026-1_-__ __:__', 'OK=CONFIRM']);
    expect(await s('wrong password', L16x2, 'en')).toEqual(['WRONG PASSWORD', 'TRIES LEFT 2']);
    expect(await s('locked out', OLED_ZH, 'zh')).toEqual(['已锁定', '请等待 1 分钟']);
    expect(await s('not available', L20x4, 'en')).toEqual(['QR SALE', 'NOT AVAILABLE']);
    expect(await s('approved with points', L20x4, 'en')).toEqual(['APPROVED', 'AUTH AB12CD', 'CNY 12.34', 'POINTS +12 BAL 345']);
    expect(await s('approved with points', OLED_ZH, 'zh')).toEqual(['交易成功', '授权码 AB12CD', 'CNY 12.34', '积分 +12 余 345']);
    expect(await s('host unreachable', L16x2, 'en')).toEqual(['NOT SENT', 'HOST UNREACHABLE']);
    expect(await s('possible duplicate', OLED_ZH, 'zh')).toEqual(['可能重复交易', '同卡同金额', '确认键继续', '取消键退出']);
    expect(await s('paper out', L16x2, 'en')).toEqual(['PAPER OUT', 'PRINTING PAUSED']);
  });

  for (const [name, shape, lang] of PANELS) {
    it(`${name}: every screen fits the panel${shape.graphic ? ', draws every character and drops no line' : ''}`, async () => {
      for (const [screenName, [events, answer]] of Object.entries(SCREENS)) {
        const screen = await screenAfter(events, shape, lang, answer);
        const where = `${name} / ${screenName}: ${JSON.stringify(screen.lines)}`;
        expect([where, screen.lines.length <= shape.rows]).toEqual([where, true]);
        const fits = (line: string) => textWidth(line) <= ([...line].some((ch) => isWideChar(ch.codePointAt(0)!)) ? shape.cols : (shape.narrowCols ?? shape.cols));
        for (const line of screen.lines) expect([where, line, fits(line)]).toEqual([where, line, true]);
        if (!shape.graphic) expect([where, [...screen.lines.join('')].some((ch) => isWideChar(ch.codePointAt(0)!))]).toEqual([where, false]);
        if (shape.graphic) {
          const { lines } = layoutScreen(screen, 128, 64);
          expect([where, lines.map((l) => l.text)]).toEqual([where, screen.lines]);
        }
      }
    });
  }

  const MENU_KEYS: Record<string, Key[]> = { main: [], preauth: ['4'], reprint: ['8'], operator: ['1', '2'], settings: ['1', '3', '1', '2', '3', '4', '5', '6', 'OK'], language: ['1', '3', '1', '2', '3', '4', '5', '6', 'OK', '1'] };
  const NOTICES: UiNotice[] = [
    { kind: 'not-available' }, { kind: 'refused', code: 'original-not-allowed', message: 'original T-1 is already voided' }, { kind: 'refused', message: 'terminal is busy with transaction TSIM00001-000001-000042' },
    { kind: 'wrong-password', attemptsLeft: 2 }, { kind: 'locked', forMs: 3_600_000 }, { kind: 'unknown-operator' }, { kind: 'logged-in', id: '01' }, { kind: 'logged-out', id: '01', auto: true },
    { kind: 'logged-out' }, { kind: 'must-change' }, { kind: 'password-changed' }, { kind: 'password-weak', why: 'not one digit repeated' }, { kind: 'passwords-differ' }, { kind: 'not-found' },
    { kind: 'settled', totals: BATCH }, { kind: 'settle-failed', reason: 'saf-pending' }, { kind: 'report', totals: BATCH }, { kind: 'printed' }, { kind: 'reprint-failed', reason: 'nothing to reprint' },
    { kind: 'query', found: FOUND }, { kind: 'host', ok: true }, { kind: 'host', ok: false, error: 'connect ECONNREFUSED 127.0.0.1:5858' }, { kind: 'devices', devices: [{ name: 'magstripe', ok: true }, { name: 'printer', ok: false, code: 'ENODEV' }] },
    { kind: 'paper', state: 'cover-open' }, { kind: 'language', lang: 'zh' }, { kind: 'time-set', at: Date.UTC(2026, 10, 30) }, { kind: 'time-refused', reason: 'saf-pending' },
  ];

  for (const [name, shape, lang] of PANELS) {
    it(`${name}: every menu item, every notice and every procedure's input fits`, async () => {
      const check = (where: string, lines: string[]) => {
        const fits = (line: string) => textWidth(line) <= ([...line].some((ch) => isWideChar(ch.codePointAt(0)!)) ? shape.cols : (shape.narrowCols ?? shape.cols));
        for (const line of lines) expect([where, line, fits(line)]).toEqual([where, line, true]);
        if (shape.graphic) expect([where, layoutScreen({ lines: lines.slice(0, shape.rows) }, 128, 64).lines.map((l) => l.text)]).toEqual([where, lines.slice(0, shape.rows)]);
      };
      const authorised = (a: UiAction): UiOutcome => ({ ok: true, found: a.kind === 'find-original' ? FOUND : undefined, batch: a.kind === 'batch' ? BATCH : undefined });
      for (const [m, keys] of Object.entries(MENU_KEYS)) {
        for (let i = 0; i < MENUS[m as keyof typeof MENUS].items.length; i++) {
          const screen = await screenAfter(['MENU', ...keys, ...Array<Key>(i).fill('DOWN')], shape, lang, authorised);
          check(`menu ${m} item ${i + 1}`, screen.lines);
        }
      }
      for (const n of NOTICES) check(`notice ${n.kind}`, noticeLines(n, lang, 'CANCEL PRE-AUTH', shape.cols));
      // Each menu item's procedure, OK pressed with a plausible entry at each step, until it starts or ends.
      for (const [m, keys] of Object.entries(MENU_KEYS)) {
        for (let i = 0; i < MENUS[m as keyof typeof MENUS].items.length; i++) {
          if (!MENUS[m as keyof typeof MENUS].items[i].proc) continue;
          const path: Key[] = ['MENU', ...keys, ...Array<Key>(i).fill('DOWN'), 'OK'];
          for (let step = 0; step < 6; step++) {
            const screen = await screenAfter(path, shape, lang, authorised);
            check(`${m} item ${i + 1} step ${step}`, screen.lines);
            path.push('2', '0', '2', '6', '1', '1', '3', '0', '0', '9', '0', '5', 'OK');
          }
        }
      }
    });
  }

  it('Chinese shows only on graphic panels: character LCDs fall back to English', () => {
    expect(displayLanguage('zh', true)).toBe('zh');
    expect(displayLanguage('zh', false)).toBe('en');
    expect(displayLanguage('en', true)).toBe('en');
  });
});
