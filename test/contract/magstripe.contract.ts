// Contract suite for MagstripeReader drivers: parsed cards for good swipes, "swipe again" for damaged ones.
import type { SwipeEvent } from '../../firmware/hal/magstripe/magstripe';
import type { MagstripeHarness } from './harness';
import { lifecycleCases, openEach } from './lifecycle';
import { collect } from './wait';

export const TEST_TRACK1 = '%B4761739001010010^CARDHOLDER/TEST^3012201000000000000000000000000?';
export const TEST_TRACK2 = ';4761739001010010=30122010000000000000?';

export function magstripeContract(name: string, makeHarness: () => Promise<MagstripeHarness>): void {
  describe(`MagstripeReader contract: ${name}`, () => {
    lifecycleCases('magstripe', makeHarness);
    const ctx = openEach(makeHarness);

    it('reports a card from tracks 1 and 2', async () => {
      const swipes = collect<SwipeEvent>((l) => ctx.h.device.onSwipe(l));
      await ctx.h.swipe({ track1: TEST_TRACK1, track2: TEST_TRACK2 });
      const [s] = await swipes.waitFor(1);
      expect(s.kind).toBe('card');
      if (s.kind !== 'card') return;
      expect(s.card.pan).toBe('4761739001010010');
      expect(s.card.expiry).toBe('3012');
      expect(s.card.serviceCode).toBe('201');
      expect(s.card.cardholderName).toBe('CARDHOLDER/TEST');
      expect(s.card.track2).toBe('4761739001010010=30122010000000000000');
    });

    it('reports a card from track 2 alone', async () => {
      const swipes = collect<SwipeEvent>((l) => ctx.h.device.onSwipe(l));
      await ctx.h.swipe({ track2: TEST_TRACK2 });
      const [s] = await swipes.waitFor(1);
      expect(s).toMatchObject({ kind: 'card', card: { pan: '4761739001010010', expiry: '3012' } });
    });

    it('reports a damaged swipe as a bad read, never as a card', async () => {
      const swipes = collect<SwipeEvent>((l) => ctx.h.device.onSwipe(l));
      await ctx.h.swipeDamaged();
      const [s] = await swipes.waitFor(1);
      expect(s.kind).toBe('bad-read');
    });
  });
}
