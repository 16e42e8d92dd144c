// Contract suite for PinPad drivers: encrypted PIN blocks that decrypt at the host, bypass, cancel, timeout, KSN advance.
import type { PinResult } from '../../firmware/hal/pinpad/pinpad';
import type { PinPadHarness } from './harness';
import { lifecycleCases, openEach } from './lifecycle';

export const CONTRACT_PAN = '4761739001010010';

export function pinpadContract(name: string, makeHarness: () => Promise<PinPadHarness>): void {
  describe(`PinPad contract: ${name}`, () => {
    lifecycleCases('pinpad', makeHarness);
    const ctx = openEach(makeHarness);

    const ask = (extra: Partial<Parameters<PinPadHarness['device']['entry']['requestPin']>[0]> = {}) =>
      ctx.h.device.entry.requestPin({ pan: CONTRACT_PAN, amount: { minor: 12345, currency: 'CNY' }, label: 'SALE', allowBypass: true, timeoutMs: 10000, ...extra });

    it('returns an encrypted PIN block that the host decrypts to the PIN typed', async () => {
      const pending = ask();
      await ctx.h.enterPin('4321');
      const r = await pending;
      expect(r.kind).toBe('pin');
      if (r.kind !== 'pin') return;
      expect(r.pinBlock.toString('hex')).not.toContain('4321');
      expect(ctx.h.decryptPin(r.pinBlock, r.ksn, CONTRACT_PAN, r.format)).toBe('4321');
    });

    it('advances the KSN on every PIN entry', async () => {
      const first = ask();
      await ctx.h.enterPin('1234');
      const a = (await first) as Extract<PinResult, { kind: 'pin' }>;
      const second = ask();
      await ctx.h.enterPin('1234');
      const b = (await second) as Extract<PinResult, { kind: 'pin' }>;
      expect(a.ksn.equals(b.ksn)).toBe(false);
      expect(a.pinBlock.equals(b.pinBlock)).toBe(false);
      expect(ctx.h.decryptPin(b.pinBlock, b.ksn, CONTRACT_PAN, b.format)).toBe('1234');
    });

    it('returns bypass for OK with no digits when allowed', async () => {
      const pending = ask();
      await ctx.h.bypass();
      await expect(pending).resolves.toEqual({ kind: 'bypass' });
    });

    it('returns cancelled when the cardholder presses CANCEL', async () => {
      const pending = ask();
      await ctx.h.cancel();
      await expect(pending).resolves.toEqual({ kind: 'cancelled' });
    });

    it('returns cancelled when the caller aborts', async () => {
      const ac = new AbortController();
      const pending = ask({ signal: ac.signal });
      ac.abort();
      await expect(pending).resolves.toEqual({ kind: 'cancelled' });
    });

    it('returns timeout when nobody types', async () => {
      await expect(ask({ timeoutMs: 200 })).resolves.toEqual({ kind: 'timeout' });
    });

    it('gives flows PIN entry without any way to load keys', () => {
      expect(Object.keys(ctx.h.device.entry)).toEqual(['requestPin']);
      expect('loadInitialKey' in ctx.h.device.entry).toBe(false);
    });
  });
}
