// Runs every device contract suite against the simulated drivers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimScanner } from '../../firmware/hal/scanner/scanner.sim';
import { SimMagstripe } from '../../firmware/hal/magstripe/magstripe.sim';
import { createSimPinPad } from '../../firmware/hal/pinpad/pinpad.sim';
import { SimPrinter } from '../../firmware/hal/printer/printer.sim';
import { renderText } from '../../firmware/hal/printer/receipt-doc';
import { SimDisplay } from '../../firmware/hal/display/display.sim';
import { SimKeypad } from '../../firmware/hal/keypad/keypad.sim';
import { decryptPin } from '../../firmware/crypto/dukpt';
import { scannerContract } from './scanner.contract';
import { magstripeContract } from './magstripe.contract';
import { pinpadContract } from './pinpad.contract';
import { printerContract } from './printer.contract';
import { displayContract } from './display.contract';
import { keypadContract } from './keypad.contract';

const TEST_BDK = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');

scannerContract('sim', async () => {
  const device = new SimScanner();
  return { device, scan: async (d) => device.scan(d), scanOverlong: async () => device.scan('9'.repeat(5000)), teardown: async () => undefined };
});

magstripeContract('sim', async () => {
  const device = new SimMagstripe();
  return {
    device,
    swipe: async (t) => void device.swipe(t),
    swipeDamaged: async () => void device.swipe({ track2: ';47617390010100=3012?' }),
    teardown: async () => undefined,
  };
});

pinpadContract('sim', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'posfw-pinpad-'));
  const device = createSimPinPad(
    { driver: 'sim', scheme: 'tdes', initialKey: '6AC292FAA1315B4D858AB3A3D7D5933A', ksn: 'FFFF9876543210E00000' },
    { dataDir: dir },
  );
  const prompt = async () => {
    if (!(await device.waitForPrompt(5000))) throw new Error('PIN pad never prompted');
  };
  return {
    device,
    enterPin: async (pin) => (await prompt(), device.enterPin(pin)),
    bypass: async () => (await prompt(), device.bypass()),
    cancel: async () => (await prompt(), device.cancel()),
    decryptPin: (pinBlock, ksn, pan, format) => decryptPin({ bdk: TEST_BDK, ksn, pinBlock, pan, format }),
    teardown: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

printerContract('sim', async () => {
  const device = new SimPrinter({ driver: 'sim', columns: 32, chinese: true, codepage: 'cp437' });
  return {
    device,
    twoWay: true,
    printedText: () => device.receipts().map((r) => r.text).join('\n'),
    setPaper: async (s) => device.setPaper(s),
    setCover: async (s) => device.setCover(s),
    teardown: async () => undefined,
  };
});

displayContract('sim 20x4', async () => {
  const device = new SimDisplay(20, 4, false);
  return { device, screenText: () => device.snapshot().lines.map((l) => l.trimEnd()), teardown: async () => undefined };
});

keypadContract('sim', async () => {
  const device = new SimKeypad();
  return { device, press: async (k) => device.press(k), teardown: async () => undefined };
});

describe('sim printer extras', () => {
  it('keeps a receipt cut off by paper running out as incomplete, and its bytes', async () => {
    const p = new SimPrinter({ driver: 'sim', columns: 32, chinese: false, codepage: 'cp437' });
    await p.open();
    p.setPaper('ok', 2);
    const doc = { lines: [{ type: 'text' as const, text: 'A' }, { type: 'text' as const, text: 'B' }, { type: 'text' as const, text: 'C' }] };
    await expect(p.print(doc)).rejects.toMatchObject({ code: 'EPAPER' });
    expect(p.receipts()[0]).toMatchObject({ text: 'A\nB', complete: false });
    expect((await p.status()).state).toBe('paper-out');
    p.setPaper('ok');
    await p.print(doc);
    expect(p.receipts()[1]).toMatchObject({ text: renderText(doc, 32), complete: true });
    expect(p.receipts()[1].bytes.length).toBeGreaterThan(3);
  });
});
