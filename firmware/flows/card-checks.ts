// Card checks before anything is sent: Luhn, expiry, and the service-code rule for chip cards swiped (fallback).
import type { SwipedCard } from '../hal/magstripe/magstripe';
import { isExpired, luhnValid } from '../hal/magstripe/track';
import type { CardRetry } from './prompts';

export type CardCheck = { ok: true; fallback: boolean } | { ok: false; reason: Exclude<CardRetry, 'bad-read' | 'wrong-card'> };

/** Service code first digit 2 or 6: the card has a chip. */
export function hasChip(serviceCode: string): boolean {
  return serviceCode[0] === '2' || serviceCode[0] === '6';
}

export function checkCard(card: SwipedCard, now: Date, chipCardSwiped: 'fallback' | 'refuse'): CardCheck {
  if (!luhnValid(card.pan)) return { ok: false, reason: 'invalid-card' };
  if (isExpired(card.expiry, now)) return { ok: false, reason: 'expired' };
  if (hasChip(card.serviceCode)) {
    if (chipCardSwiped === 'refuse') return { ok: false, reason: 'use-chip' };
    return { ok: true, fallback: true };
  }
  return { ok: true, fallback: false };
}

/** Why a swipe the reader refused is asked again: a PAN failing Luhn is an invalid card, anything else a misread. */
export function badReadRetry(readerReason: string): CardRetry {
  return /luhn/i.test(readerReason) ? 'invalid-card' : 'bad-read';
}
