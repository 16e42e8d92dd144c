// Card checks before anything is sent: Luhn, expiry, and the service-code rule for chip cards swiped (fallback).
import type { SwipedCard } from '../hal/magstripe/magstripe';
import { isExpired, luhnValid } from '../hal/magstripe/track';

export type CardCheck = { ok: true; fallback: boolean } | { ok: false; reason: 'invalid-card' | 'expired' | 'use-chip'; message: string };


/** Service code first digit 2 or 6: the card has a chip. */
export function hasChip(serviceCode: string): boolean {
  return serviceCode[0] === '2' || serviceCode[0] === '6';
}

export function checkCard(card: SwipedCard, now: Date, chipCardSwiped: 'fallback' | 'refuse'): CardCheck {
  if (!luhnValid(card.pan)) return { ok: false, reason: 'invalid-card', message: 'INVALID CARD' };
  if (isExpired(card.expiry, now)) return { ok: false, reason: 'expired', message: 'CARD EXPIRED' };
  if (hasChip(card.serviceCode)) {
    if (chipCardSwiped === 'refuse') return { ok: false, reason: 'use-chip', message: 'CHIP CARD: INSERT' };
    return { ok: true, fallback: true };
  }
  return { ok: true, fallback: false };
}

/** What the LCD says after a swipe the reader refused: a PAN failing Luhn is an invalid card, anything else a misread. */
export function badReadMessage(reason: string): string {
  return /luhn/i.test(reason) ? 'INVALID CARD' : 'SWIPE AGAIN';
}
