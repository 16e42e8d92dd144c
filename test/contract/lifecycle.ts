// Lifecycle cases every device contract suite runs: open, double close, class name.
import type { Device } from '../../firmware/hal/device';
import type { BaseHarness } from './harness';

export function lifecycleCases<D extends Device>(deviceClass: string, make: () => Promise<BaseHarness<D>>): void {
  describe('lifecycle', () => {
    it(`reports device class ${deviceClass}`, async () => {
      const h = await make();
      try {
        expect(h.device.deviceClass).toBe(deviceClass);
        expect(typeof h.device.driver).toBe('string');
      } finally {
        await h.teardown();
      }
    });

    it('opens, closes, and tolerates a second close', async () => {
      const h = await make();
      try {
        await h.device.open();
        await h.device.close();
        await expect(h.device.close()).resolves.toBeUndefined();
      } finally {
        await h.teardown();
      }
    });
  });
}

/** Opens a fresh harness before each case and closes it after; cases read the live one as `ctx.h`. */
export function openEach<H extends BaseHarness<Device>>(make: () => Promise<H>): { h: H } {
  const ctx = {} as { h: H };
  beforeEach(async () => {
    ctx.h = await make();
    await ctx.h.device.open();
  });
  afterEach(async () => {
    await ctx.h.device.close();
    await ctx.h.teardown();
  });
  return ctx;
}
