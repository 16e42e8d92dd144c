// Contract suite for Keypad drivers: one event per press, in order, no events after close.
import type { KeyEvent } from '../../firmware/hal/keypad/keypad';
import type { KeypadHarness } from './harness';
import { lifecycleCases } from './lifecycle';
import { collect, settle } from './wait';

export function keypadContract(name: string, makeHarness: () => Promise<KeypadHarness>): void {
  describe(`Keypad contract: ${name}`, () => {
    lifecycleCases('keypad', makeHarness);
    let h: KeypadHarness;
    beforeEach(async () => {
      h = await makeHarness();
      await h.device.open();
    });
    afterEach(async () => {
      await h.device.close();
      await h.teardown();
    });

    it('reports each press once, in order', async () => {
      const keys = collect<KeyEvent>((l) => h.device.onKey(l));
      for (const k of ['1', '2', 'OK', 'CANCEL'] as const) await h.press(k);
      const got = await keys.waitFor(4);
      expect(got.map((e) => e.key)).toEqual(['1', '2', 'OK', 'CANCEL']);
      expect(got.every((e) => e.repeat === false)).toBe(true);
      await settle();
      expect(keys.events).toHaveLength(4);
    });

    it('sends nothing after close', async () => {
      const keys = collect<KeyEvent>((l) => h.device.onKey(l));
      await h.device.close();
      await h.press('5').catch(() => undefined);
      await settle();
      expect(keys.events).toHaveLength(0);
    });
  });
}
