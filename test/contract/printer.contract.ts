// Contract suite for ReceiptPrinter drivers: printed text, paper out and cover open as typed errors and status.
import type { ReceiptDoc } from '../../firmware/hal/printer/receipt-doc';
import { DeviceError } from '../../firmware/hal/device';
import type { PrinterHarness } from './harness';
import { lifecycleCases } from './lifecycle';

export const CONTRACT_RECEIPT: ReceiptDoc = {
  lines: [
    { type: 'text', text: 'POSFW DEMO STORE', align: 'center', bold: true },
    { type: 'pair', left: 'TID', right: 'SIM00001' },
    { type: 'pair', left: 'AMOUNT', right: 'CNY 123.45' },
    { type: 'rule' },
    { type: 'text', text: 'THANK YOU' },
    { type: 'cut' },
  ],
};

export function printerContract(name: string, makeHarness: () => Promise<PrinterHarness>): void {
  describe(`ReceiptPrinter contract: ${name}`, () => {
    lifecycleCases('printer', makeHarness);
    let h: PrinterHarness;
    beforeEach(async () => {
      h = await makeHarness();
      await h.device.open();
    });
    afterEach(async () => {
      await h.device.close();
      await h.teardown();
    });

    it('prints a receipt that reads back as its text', async () => {
      await h.device.print(CONTRACT_RECEIPT);
      const text = h.printedText();
      expect(text).toContain('POSFW DEMO STORE');
      expect(text).toMatch(/TID\s+SIM00001/);
      expect(text).toMatch(/AMOUNT\s+CNY 123\.45/);
      expect(text).toContain('THANK YOU');
    });

    it('reports its status honestly', async () => {
      const s = await h.device.status();
      expect(s.state).toBe(h.twoWay ? 'online' : 'unknown');
    });

    it('refuses to print without paper, with EPAPER, and prints again once refilled', async () => {
      await h.setPaper('out');
      if (!h.twoWay) {
        // A one-way transport cannot hear the printer: the job is handed over, and status stays unknown.
        await expect(h.device.print(CONTRACT_RECEIPT)).resolves.toBeUndefined();
        expect((await h.device.status()).state).toBe('unknown');
        await h.setPaper('ok');
        return;
      }
      const err = await h.device.print(CONTRACT_RECEIPT).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeviceError);
      expect((err as DeviceError).code).toBe('EPAPER');
      expect((await h.device.status()).state).toBe('paper-out');
      await h.setPaper('ok');
      await h.device.print(CONTRACT_RECEIPT);
      expect(h.printedText()).toContain('THANK YOU');
    });

    it('refuses to print with the cover open, with ECOVER', async () => {
      await h.setCover('open');
      if (!h.twoWay) {
        await expect(h.device.print(CONTRACT_RECEIPT)).resolves.toBeUndefined();
        await h.setCover('closed');
        return;
      }
      const err = await h.device.print(CONTRACT_RECEIPT).catch((e: unknown) => e);
      expect((err as DeviceError).code).toBe('ECOVER');
      expect((await h.device.status()).state).toBe('cover-open');
      await h.setCover('closed');
    });
  });
}
