// Contract suite for BarcodeScanner drivers: the simulated head and every real driver run these same cases.
import type { ScanEvent, ScanReject } from '../../firmware/hal/scanner/scanner';
import type { ScannerHarness } from './harness';
import { lifecycleCases, openEach } from './lifecycle';
import { collect, settle } from './wait';

export function scannerContract(name: string, makeHarness: () => Promise<ScannerHarness>): void {
  describe(`BarcodeScanner contract: ${name}`, () => {
    lifecycleCases('scanner', makeHarness);
    const ctx = openEach(makeHarness);

    it('delivers each scanned code once, exactly', async () => {
      const scans = collect<ScanEvent>((l) => ctx.h.device.onScan(l));
      await ctx.h.scan('6901234567892');
      await ctx.h.scan('134567890123456789');
      const got = await scans.waitFor(2);
      expect(got.map((s) => s.data)).toEqual(['6901234567892', '134567890123456789']);
      await settle();
      expect(scans.events).toHaveLength(2);
    });

    it('keeps GS separators inside GS1 codes', async () => {
      const scans = collect<ScanEvent>((l) => ctx.h.device.onScan(l));
      await ctx.h.scan('0109501101530003\x1d10ABC123');
      const [s] = await scans.waitFor(1);
      expect(s.data).toBe('0109501101530003\x1d10ABC123');
    });

    it('rejects an overlong code and keeps reading', async () => {
      const scans = collect<ScanEvent>((l) => ctx.h.device.onScan(l));
      const rejects = collect<ScanReject>((l) => ctx.h.device.onReject(l));
      await ctx.h.scanOverlong();
      const [r] = await rejects.waitFor(1);
      expect(r.reason).toBe('overlong');
      await ctx.h.scan('AFTER-OVERLONG');
      const got = await scans.waitFor(1);
      expect(got.map((s) => s.data)).toEqual(['AFTER-OVERLONG']);
    });

    it('stops delivering to an unsubscribed listener', async () => {
      const first = collect<ScanEvent>((l) => ctx.h.device.onScan(l));
      const second = collect<ScanEvent>((l) => ctx.h.device.onScan(l));
      first.stop();
      await ctx.h.scan('ONLY-SECOND');
      await second.waitFor(1);
      await settle();
      expect(first.events).toHaveLength(0);
    });
  });
}
