// Contract suite for Keypad drivers: one event per press, in order, no events after close.
import type { KeyEvent } from '../../firmware/common/keys';
import type { KeypadHarness } from './harness';
import { lifecycleCases, openEach } from './lifecycle';
import { collect, settle } from './wait';

export function keypadContract(name: string, makeHarness: () => Promise<KeypadHarness>): void {
  describe(`Keypad contract: ${name}`, () => {
    lifecycleCases('keypad', makeHarness);
    const ctx = openEach(makeHarness);

    it('reports each press once, in order', async () => {
      const keys = collect<KeyEvent>((l) => ctx.h.device.onKey(l));
      for (const k of ['1', '2', 'OK', 'CANCEL'] as const) await ctx.h.press(k);
      const got = await keys.waitFor(4);
      expect(got.map((e) => e.key)).toEqual(['1', '2', 'OK', 'CANCEL']);
      expect(got.every((e) => e.repeat === false)).toBe(true);
      await settle();
      expect(keys.events).toHaveLength(4);
    });

    it('sends nothing after close', async () => {
      const keys = collect<KeyEvent>((l) => ctx.h.device.onKey(l));
      await ctx.h.device.close();
      await ctx.h.press('5').catch(() => undefined);
      await settle();
      expect(keys.events).toHaveLength(0);
    });
  });
}
