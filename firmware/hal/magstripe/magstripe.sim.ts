// Simulated magstripe reader: swipes come from the console, /sim/card or tests, parsed like a real read.
import { Listeners, type Unsubscribe } from '../../common/listeners';
import { SimDevice } from '../sim-device';
import type { MagstripeReader, SwipeEvent } from './magstripe';
import { parseSwipe } from './track';

export class SimMagstripe extends SimDevice implements MagstripeReader {
  readonly deviceClass = 'magstripe';
  private readonly swipes = new Listeners<SwipeEvent>();

  onSwipe(listener: (swipe: SwipeEvent) => void): Unsubscribe {
    return this.swipes.add(listener);
  }

  /** Control surface: swipes a card with these tracks; returns what the reader reported. */
  swipe(tracks: { track1?: string; track2?: string }): SwipeEvent {
    this.requireOpen('swipe()');
    const event = parseSwipe(tracks);
    this.swipes.emit(event);
    return event;
  }
}

export function createSimMagstripe(): SimMagstripe {
  return new SimMagstripe();
}
