// Test cards of the acquirer simulator: track 2 parsing, special cards, PINs, balances and magic amounts.
import { isExpired, luhnValid } from '../../firmware/hal/magstripe/track';

export { isExpired, luhnValid };

/** How the host treats a card beyond the PIN and the funds checks. */
export type CardBehaviour = 'normal' | 'decline' | 'stolen';

export interface TestCard {
  pan: string;
  pin: string;
  behaviour: CardBehaviour;
  /** Opening balance in minor units; approved debits, holds and credits move it. */
  openingBalance: number;
  note: string;
}

/** The PIN of every card not in the special list. */
export const DEFAULT_PIN = '1234';
/** Opening balance of every card not in the special list: 1,000,000.00. */
export const DEFAULT_OPENING_BALANCE = 100_000_000;

/** Cards with a behaviour of their own (all Luhn-valid). Any other Luhn-valid PAN is a good card with PIN 1234. */
export const SPECIAL_CARDS: readonly TestCard[] = Object.freeze([
  { pan: '4000000000000002', pin: DEFAULT_PIN, behaviour: 'decline', openingBalance: DEFAULT_OPENING_BALANCE, note: 'always declined: 05 do not honour' },
  { pan: '4000000000000010', pin: DEFAULT_PIN, behaviour: 'stolen', openingBalance: DEFAULT_OPENING_BALANCE, note: 'lost/stolen: 43 pick up card' },
  { pan: '4000000000000036', pin: '4321', behaviour: 'normal', openingBalance: DEFAULT_OPENING_BALANCE, note: 'good card whose PIN is 4321 (1234 gives 55)' },
  { pan: '4000000000000044', pin: DEFAULT_PIN, behaviour: 'normal', openingBalance: 1_000, note: 'low balance: 10.00 available, more gives 51' },
] as TestCard[]);

/**
 * Magic amounts: the last two digits of the amount in minor units decide the answer to a sale or a
 * pre-authorisation (after the card and PIN checks). Anything else is approved.
 */
export const MAGIC_AMOUNTS: Readonly<Record<string, string>> = Object.freeze({ '51': '51', '55': '55', '05': '05', '96': '96', '13': '13' });

/** Response code for a magic amount, or undefined. */
export function magicResponse(amount: number): string | undefined {
  return MAGIC_AMOUNTS[String(amount % 100).padStart(2, '0')];
}

/** The card's profile: a special card, or a good card with PIN 1234. */
export function cardProfile(pan: string): TestCard {
  return SPECIAL_CARDS.find((c) => c.pan === pan) ?? { pan, pin: DEFAULT_PIN, behaviour: 'normal', openingBalance: DEFAULT_OPENING_BALANCE, note: 'good card' };
}

/** What the host reads from a card: the PAN and the expiry (YYMM). */
export interface CardData {
  pan: string;
  expiry: string;
}

/** Track 2 equivalent (field 35): `PAN` `D`|`=` `YYMM` service code and discretionary data. Undefined when malformed. */
export function parseTrack2(track2: string): CardData | undefined {
  const m = /^(\d{12,19})[D=](\d{4})\d*F?$/i.exec(track2);
  return m ? { pan: m[1], expiry: m[2] } : undefined;
}

