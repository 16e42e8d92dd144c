// Real GPIO matrix keypad through the keypad contract, and a menu walk: emulated key presses drive a menu on real displays.
import type { Key, KeyEvent } from '../../firmware/common/keys';
import type { Display, Screen } from '../../firmware/hal/display/display';
import { FakeClock } from '../../firmware/common/clock';
import { makeGpioKeypadRig } from '../../simulator/emulators/keypad-matrix-emul';
import { makeHd44780Rig } from '../../simulator/emulators/hd44780-emul';
import { makeSsd1306Rig, readPanelText } from '../../simulator/emulators/ssd1306-emul';
import { keypadContract } from './keypad.contract';

keypadContract('gpio-matrix 4x4 (emulated GPIO)', async () => makeGpioKeypadRig());

/** A test-only menu: a title, a scrolling list with a cursor, and an amount entry screen per item. */
class TinyMenu {
  private cursor = 0;
  private top = 0;
  private selected: string | null = null;
  private digits = '';
  constructor(
    private readonly title: string,
    private readonly items: string[],
    private readonly visible: number,
  ) {}

  onKey(e: KeyEvent): void {
    if (this.selected) return this.amountKey(e.key);
    if (e.key === 'DOWN') this.cursor = Math.min(this.items.length - 1, this.cursor + 1);
    if (e.key === 'UP') this.cursor = Math.max(0, this.cursor - 1);
    if (e.key === 'OK') this.selected = this.items[this.cursor];
    this.top = Math.min(this.cursor, Math.max(this.top, this.cursor - this.visible + 1));
  }

  screen(): Screen {
    if (this.selected) {
      const cents = this.digits.padStart(3, '0');
      return { lines: [this.selected, 'ENTER AMOUNT', `CNY ${Number(cents.slice(0, -2))}.${cents.slice(-2)}`] };
    }
    const shown = this.items.slice(this.top, this.top + this.visible);
    return { lines: [this.title, ...shown.map((item, i) => (this.top + i === this.cursor ? '> ' : '  ') + item)], highlight: 1 + this.cursor - this.top };
  }

  private amountKey(key: Key): void {
    if (/^\d$/.test(key)) this.digits = (this.digits + key).slice(0, 9);
    if (key === 'CLEAR') this.digits = this.digits.slice(0, -1);
    if (key === 'CANCEL') [this.selected, this.digits] = [null, ''];
  }
}

const ITEMS = ['SALE', 'VOID', 'REFUND', 'BALANCE', 'SETTLEMENT', 'REPRINT'];

async function walkRig(display: { device: Display; screenText(): string[] }, clock: FakeClock, menu: TinyMenu) {
  const keypad = makeGpioKeypadRig({ clock });
  const events: KeyEvent[] = [];
  keypad.device.onKey((e) => {
    events.push(e);
    menu.onKey(e);
  });
  await keypad.device.open();
  await display.device.open();
  const show = () => display.device.render(menu.screen());
  await show();
  return {
    events,
    /** Presses a key on the emulated matrix, then renders what the menu shows. */
    step: async (key: Key, holdMs?: number) => {
      await keypad.press(key, holdMs);
      await show();
      return display.screenText();
    },
    teardown: async () => {
      await keypad.teardown();
      await display.device.close();
    },
  };
}

describe('menu walk: GPIO keypad -> menu -> HD44780 20x4 (all emulated)', () => {
  it('moves the cursor, scrolls, selects, types an amount, clears with auto-repeat and cancels', async () => {
    const clock = new FakeClock();
    const lcd = makeHd44780Rig({ cols: 20, rows: 4, clock });
    const walk = await walkRig(lcd, clock, new TinyMenu('MAIN MENU', ITEMS, 3));
    expect(lcd.screenText()).toEqual(['MAIN MENU', '> SALE', '  VOID', '  REFUND']);
    expect(lcd.emulator.state().cursorAt).toEqual({ row: 1, col: 0 });
    expect(await walk.step('DOWN')).toEqual(['MAIN MENU', '  SALE', '> VOID', '  REFUND']);
    expect(lcd.emulator.state()).toMatchObject({ blink: true, cursorAt: { row: 2, col: 0 } });
    expect(await walk.step('DOWN')).toEqual(['MAIN MENU', '  SALE', '  VOID', '> REFUND']);
    expect(await walk.step('DOWN')).toEqual(['MAIN MENU', '  VOID', '  REFUND', '> BALANCE']);
    expect(await walk.step('UP')).toEqual(['MAIN MENU', '  VOID', '> REFUND', '  BALANCE']);
    expect(await walk.step('OK')).toEqual(['REFUND', 'ENTER AMOUNT', 'CNY 0.00', '']);
    expect(lcd.emulator.state().blink).toBe(false);
    for (const d of ['1', '2', '5', '0'] as const) await walk.step(d);
    expect(lcd.screenText()[2]).toBe('CNY 12.50');
    // held 670 ms: press after the 20 ms debounce, repeats 500 and 600 ms later: three digits deleted
    expect(await walk.step('CLEAR', 670)).toEqual(['REFUND', 'ENTER AMOUNT', 'CNY 0.01', '']);
    expect(walk.events.filter((e) => e.key === 'CLEAR').map((e) => e.repeat)).toEqual([false, true, true]);
    expect(await walk.step('CANCEL')).toEqual(['MAIN MENU', '  VOID', '> REFUND', '  BALANCE']);
    expect(lcd.emulator.violations).toEqual([]);
    await walk.teardown();
  });
});

describe('menu walk: GPIO keypad -> menu -> SSD1306 with a Chinese title (all emulated)', () => {
  it('shows the cursor as an inverted line that follows DOWN/UP', async () => {
    const clock = new FakeClock();
    const oled = makeSsd1306Rig({ height: 64, clock });
    // The 16-px Chinese title takes two rows: six 8-px rows remain for the list.
    const walk = await walkRig(oled, clock, new TinyMenu('主菜单 MENU', ITEMS, 6));
    const read = () => readPanelText(oled.emulator);
    expect(read()).toEqual({ lines: ['主菜单 MENU', '> SALE', '  VOID', '  REFUND', '  BALANCE', '  SETTLEMENT', '  REPRINT'], inverted: [1] });
    await walk.step('DOWN');
    await walk.step('DOWN');
    expect(read().inverted).toEqual([3]);
    expect(read().lines[3]).toBe('> REFUND');
    await walk.step('UP');
    expect(read().inverted).toEqual([2]);
    expect(await walk.step('OK')).toEqual(['VOID', 'ENTER AMOUNT', 'CNY 0.00', '', '', '', '', '']);
    expect(oled.emulator.violations).toEqual([]);
    await walk.teardown();
  });
});
