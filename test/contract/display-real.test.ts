// Real display drivers (HD44780 via PCF8574, SSD1306) through the display contract, on emulated I2C buses.
import QRCode from 'qrcode';
import { makeHd44780Rig } from '../../simulator/emulators/hd44780-emul';
import { makeSsd1306Rig, readPanelQr, readPanelText } from '../../simulator/emulators/ssd1306-emul';
import { displayContract } from './display.contract';

displayContract('hd44780-pcf8574 20x4 (emulated I2C)', async () => makeHd44780Rig({ cols: 20, rows: 4 }));
displayContract('hd44780-pcf8574 16x2 (emulated I2C)', async () => makeHd44780Rig({ cols: 16, rows: 2 }));
displayContract('ssd1306 128x64 (emulated I2C)', async () => makeSsd1306Rig({ height: 64 }));
displayContract('ssd1306 128x32 (emulated I2C)', async () => makeSsd1306Rig({ height: 32 }));

const IDLE = ['POSFW DEMO STORE', 'TID SIM00001', '2024-05-01 09:30:15', 'SWIPE CARD OR MENU'];

describe('idle screen on real display drivers', () => {
  it('20x4 HD44780 shows every idle line in full', async () => {
    const rig = makeHd44780Rig({ cols: 20, rows: 4 });
    await rig.device.open();
    await rig.device.render({ lines: IDLE });
    expect(rig.screenText()).toEqual(IDLE);
    expect(rig.emulator.violations).toEqual([]);
    await rig.teardown();
  });

  it('16x2 HD44780 shows the first two lines, clipped to 16 columns', async () => {
    const rig = makeHd44780Rig({ cols: 16, rows: 2 });
    await rig.device.open();
    await rig.device.render({ lines: IDLE });
    expect(rig.screenText()).toEqual(['POSFW DEMO STORE', 'TID SIM00001']);
    await rig.device.render({ lines: [IDLE[3], IDLE[2]] });
    expect(rig.screenText()).toEqual(['SWIPE CARD OR ME', '2024-05-01 09:30']);
    await rig.teardown();
  });

  it('SSD1306 shows the idle screen with the Chinese store name and a pay-by-QR code', async () => {
    const rig = makeSsd1306Rig({ height: 64 });
    const payload = 'https://pay.example.com/q/SIM00001/000123';
    await rig.device.open();
    await rig.device.render({ lines: ['演示商店', 'TID SIM00001', '09:30:15', 'SCAN TO PAY'], qr: payload });
    const { lines } = readPanelText(rig.emulator);
    expect(lines.slice(0, 4)).toEqual(['演示商店', 'TID SIM00001', '09:30:15', 'SCAN TO PAY']);
    const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'M' });
    const qr = readPanelQr(rig.emulator, modules.size);
    expect(qr?.dark.map((row) => row.map(Number).join(''))).toEqual(
      Array.from({ length: modules.size }, (_, r) => Array.from({ length: modules.size }, (_, c) => Number(Boolean(modules.get(r, c)))).join('')),
    );
    expect(rig.emulator.violations).toEqual([]);
    await rig.teardown();
  });
});
