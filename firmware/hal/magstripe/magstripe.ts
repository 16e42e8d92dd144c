// MagstripeReader: the card-swipe contract (parsed card or "swipe again", never raw tracks to storage).
import type { Unsubscribe } from '../../common/listeners';
import type { Device } from '../device';

/** A card read from track 2 (and track 1 when present). Held in memory only; never journaled or logged. */
export interface SwipedCard {
  pan: string;
  /** YYMM as on the track. */
  expiry: string;
  /** Three-digit ISO 7813 service code. */
  serviceCode: string;
  cardholderName?: string;
  /** Track 2 equivalent data (PAN=YYMMSSS...): sent to the host in field 35, never stored. */
  track2: string;
}

export type SwipeEvent =
  | { kind: 'card'; card: SwipedCard }
  | { kind: 'bad-read'; reason: string };

export interface MagstripeReader extends Device {
  readonly deviceClass: 'magstripe';
  /** One event per swipe: a parsed card, or a bad read that the UI shows as "swipe again". */
  onSwipe(listener: (swipe: SwipeEvent) => void): Unsubscribe;
}
