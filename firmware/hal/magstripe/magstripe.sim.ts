// Simulated magstripe reader: swipes come from the console, /sim/card or tests, parsed like a real read.
import { Listeners, type Unsubscribe } from '../../common/listeners';
import { SimDevice } from '../sim-device';
import type { MagstripeReader, SwipeEvent } from './magstripe';
import { parseSwipe } from './track';
import type { SimControllable, SimControls } from '../sim-controls';

export class SimMagstripe extends SimDevice implements MagstripeReader, SimControllable {
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

  simControls(): SimControls {
    return { swipe: (tracks) => this.swipe(tracks) };
  }
}

export function createSimMagstripe(): SimMagstripe {
  return new SimMagstripe();
}
