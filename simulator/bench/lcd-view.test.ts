// LCD views read from the emulated glass: the real HD44780 driver renders, the view reads DDRAM and the cursor back.
import { FakeClock } from '../../firmware/common/clock';
import { makeHd44780Rig } from '../emulators/hd44780-emul';
import { framePanel, hd44780View } from './lcd-view';

describe('LCD views', () => {
  it('frames lines like the console draws the simulated LCD, highlight marked', () => {
    expect(framePanel(['MENU', '1 SALE', '2 BALANCE'], 10, 1)).toBe(['+----------+', '|MENU      |', '>1 SALE    <', '|2 BALANCE |', '+----------+'].join('\n'));
    expect(framePanel(['A'], 3)).toBe('+---+\n|A  |\n+---+');
  });

  it('reads an HD44780 20x4 back: text from DDRAM, the blinking cursor row as the highlight', async () => {
    const clock = new FakeClock();
    const rig = makeHd44780Rig({ cols: 20, rows: 4, clock });
    const open = rig.device.open();
    await clock.advance(200);
    await open;
    const rendered = rig.device.render({ lines: ['MENU', '1 SALE', '2 PRE-AUTH', '3 BALANCE'], highlight: 2 });
    await clock.advance(50);
    await rendered;
    expect(hd44780View(rig.emulator)).toEqual({
      cols: 20,
      rows: 4,
      lines: ['MENU', '1 SALE', '2 PRE-AUTH', '3 BALANCE'],
      highlight: 2,
      text: ['+--------------------+', '|MENU                |', '|1 SALE              |', '>2 PRE-AUTH          <', '|3 BALANCE           |', '+--------------------+'].join('\n'),
    });
    const plain = rig.device.render({ lines: ['IDLE'] });
    await clock.advance(50);
    await plain;
    expect(hd44780View(rig.emulator)).toMatchObject({ lines: ['IDLE', '', '', ''] });
    expect(hd44780View(rig.emulator).highlight).toBeUndefined();
    expect(rig.emulator.violations).toEqual([]);
    const closed = rig.teardown();
    await clock.advance(10);
    await closed;
  });
});
