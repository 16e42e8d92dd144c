// Chinese and English at the terminal: per board, switched in the settings menu; Chinese on graphic panels only; receipts follow.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Harness } from './harness';

const OLED = { driver: 'sim', cols: 21, rows: 8, graphic: true };
const digits = (s: string) => [...s];
const trimmed = (lines: string[]) => lines.map((l) => l.trimEnd()).filter(Boolean);

describe('languages and panel sizes', () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  test('128x64 with a Chinese board: Chinese screens and slips; the settings menu switches both to English and keeps it', async () => {
    h = await Harness.start({ terminal: { language: 'zh' }, display: OLED });
    expect(trimmed(await h.waitLcd(/^请刷卡或按菜单$/))).toEqual(['演示商店', '终端 SIM00001', expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/), '请刷卡或按菜单']);
    await h.keys('MENU');
    expect(trimmed(await h.waitLcd(/^主菜单$/))).toEqual(['主菜单', '1 消费', '2 扫码收款', '3 二维码收款']);
    await h.keys('1', 'OK', '8', '8', '8');
    expect(trimmed(await h.waitLcd(/^请输入金额$/))).toEqual(['消费', '请输入金额', '             CNY 8.88', '确认键确认']);
    await h.keys('OK');
    await h.waitLcd(/^请刷卡$/);
    await h.swipe();
    expect(trimmed(await h.waitLcd(/^请在密码键盘输密$/))).toEqual(['消费', 'CNY 8.88', '请在密码键盘输密', '确认键免密']);
    await h.pin();
    expect(trimmed(await h.waitLcd(/^交易成功$/)).slice(0, 1)).toEqual(['交易成功']);
    await h.waitIdle();
    const [merchant] = await h.receipts();
    expect(merchant.text).toContain('消费 SALE');
    expect(merchant.text).toContain('商户存根');

    // Settings (supervisor) > Language > English.
    await h.keys('MENU', '1', '3', ...digits('123456'), 'OK');
    expect(trimmed(await h.waitLcd(/^3 通讯测试$/))).toEqual(['系统设置', '1 语言 >', '2 日期时间', '3 通讯测试']);
    await h.keys('1', '2');
    expect(trimmed(await h.waitLcd(/^LANGUAGE SET$/))).toEqual(['LANGUAGE SET', 'ENGLISH']);
    await h.keys('OK');
    expect(trimmed(await h.waitLcd(/^SWIPE CARD OR MENU$/))[0]).toBe('POSFW DEMO STORE');
    expect(JSON.parse(readFileSync(join(h.dataDir, 'settings.json'), 'utf8'))).toEqual({ language: 'en' });
    await h.cardTxn({ reference: 'LANG-EN', type: 'sale', amount: 100 });
    const last = (await h.receipts()).at(-2)!;
    expect(last.text).toContain('MERCHANT COPY');
    expect(last.text).not.toContain('商户存根');
  });

  test('20x4 character LCD with a Chinese board: English screens (no CJK font), Chinese slips', async () => {
    h = await Harness.start({ terminal: { language: 'zh' } });
    expect((await h.waitLcd(/^SWIPE CARD OR MENU$/))[0]).toBe('POSFW DEMO STORE');
    await h.keys('MENU');
    expect(await h.waitLcd(/^MENU$/)).toEqual(['MENU', '1 SALE', '2 QR SALE', '3 QR PRESENT']);
    await h.keys('CANCEL');
    await h.cardTxn({ reference: 'ZH-20', type: 'sale', amount: 100 });
    expect((await h.receipts())[0].text).toContain('消费 SALE');
  });

  test('16x2: a keypad sale and a void confirmation in two lines', async () => {
    h = await Harness.start({ display: { driver: 'sim', cols: 16, rows: 2 } });
    expect(await h.waitLcd(/^SWIPE\/MENU/)).toEqual(['POSFW DEMO STORE', expect.stringMatching(/^SWIPE\/MENU \d\d:\d\d$/)]);
    await h.keys('F1', '5', '0', '0');
    expect(await h.waitLcd(/CNY 5\.00$/)).toEqual(['SALE', '        CNY 5.00']);
    await h.keys('OK');
    expect(await h.waitLcd(/^SWIPE CARD$/)).toEqual(['CNY 5.00', 'SWIPE CARD']);
    await h.swipe();
    await h.pin();
    expect(await h.waitLcd(/^APPROVED$/)).toEqual(['APPROVED', expect.stringMatching(/^AUTH [0-9A-Z]{6}$/)]);
    await h.waitIdle();
    const sale = (await h.terminal.money.journal.list({ limit: 1 }))[0];
    await h.keys('MENU', '5', ...digits('123456'), 'OK');
    await h.waitLcd(/^TRACE NO\.$/);
    await h.keys(...digits(String(Number(sale.stan))), 'OK');
    expect(await h.waitLcd(/^VOID/)).toEqual(['VOID CNY 5.00', `TRACE ${sale.stan}?`]);
    await h.keys('CANCEL');
    expect(await h.waitLcd(/^SWIPE\/MENU/)).toHaveLength(2);
  });
});
