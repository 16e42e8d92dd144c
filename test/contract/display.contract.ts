// Contract suite for Display drivers: what is rendered is what the panel shows, clipped to its grid.
import type { DisplayHarness } from './harness';
import { lifecycleCases, openEach } from './lifecycle';

export function displayContract(name: string, makeHarness: () => Promise<DisplayHarness>): void {
  describe(`Display contract: ${name}`, () => {
    lifecycleCases('display', makeHarness);
    const ctx = openEach(makeHarness);

    it('shows the rendered lines', async () => {
      await ctx.h.device.render({ lines: ['POSFW DEMO', 'TID SIM00001'] });
      const rows = ctx.h.screenText();
      expect(rows[0]).toBe('POSFW DEMO');
      expect(rows[1]).toBe('TID SIM00001');
      expect(rows.length).toBeGreaterThanOrEqual(2);
    });

    it('clips long lines to the grid and drops extra rows', async () => {
      const { cols, rows } = ctx.h.device.caps;
      await ctx.h.device.render({ lines: Array.from({ length: rows + 2 }, (_, i) => `${i}`.repeat(cols + 5)) });
      const shown = ctx.h.screenText();
      expect(shown.slice(0, rows)).toEqual(Array.from({ length: rows }, (_, i) => `${i}`.repeat(cols)));
    });

    it('replaces the whole screen on each render', async () => {
      await ctx.h.device.render({ lines: ['FIRST', 'SECOND'] });
      await ctx.h.device.render({ lines: ['ONLY'] });
      const rows = ctx.h.screenText();
      expect(rows[0]).toBe('ONLY');
      expect(rows.slice(1).every((r) => r === '')).toBe(true);
    });
  });
}
