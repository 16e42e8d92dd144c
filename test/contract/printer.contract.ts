// Contract suite for ReceiptPrinter drivers: printed text, paper out and cover open as typed errors and status.
import type { ReceiptDoc } from '../../firmware/hal/printer/receipt-doc';
import { DeviceError } from '../../firmware/hal/device';
import type { PrinterHarness } from './harness';
import { lifecycleCases, openEach } from './lifecycle';

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
    const ctx = openEach(makeHarness);

    it('prints a receipt that reads back as its text', async () => {
      await ctx.h.device.print(CONTRACT_RECEIPT);
      const text = ctx.h.printedText();
      expect(text).toContain('POSFW DEMO STORE');
      expect(text).toMatch(/TID\s+SIM00001/);
      expect(text).toMatch(/AMOUNT\s+CNY 123\.45/);
      expect(text).toContain('THANK YOU');
    });

    it('reports its status honestly', async () => {
      const s = await ctx.h.device.status();
      expect(s.state).toBe(ctx.h.twoWay ? 'online' : 'unknown');
    });

    it('refuses to print without paper, with EPAPER, and prints again once refilled', async () => {
      await ctx.h.setPaper('out');
      if (!ctx.h.twoWay) {
        // A one-way transport cannot hear the printer: the job is handed over, and status stays unknown.
        await expect(ctx.h.device.print(CONTRACT_RECEIPT)).resolves.toBeUndefined();
        expect((await ctx.h.device.status()).state).toBe('unknown');
        await ctx.h.setPaper('ok');
        return;
      }
      const err = await ctx.h.device.print(CONTRACT_RECEIPT).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeviceError);
      expect((err as DeviceError).code).toBe('EPAPER');
      expect((await ctx.h.device.status()).state).toBe('paper-out');
      await ctx.h.setPaper('ok');
      await ctx.h.device.print(CONTRACT_RECEIPT);
      expect(ctx.h.printedText()).toContain('THANK YOU');
    });

    it('refuses to print with the cover open, with ECOVER', async () => {
      await ctx.h.setCover('open');
      if (!ctx.h.twoWay) {
        await expect(ctx.h.device.print(CONTRACT_RECEIPT)).resolves.toBeUndefined();
        await ctx.h.setCover('closed');
        return;
      }
      const err = await ctx.h.device.print(CONTRACT_RECEIPT).catch((e: unknown) => e);
      expect((err as DeviceError).code).toBe('ECOVER');
      expect((await ctx.h.device.status()).state).toBe('cover-open');
      await ctx.h.setCover('closed');
    });
  });
}
