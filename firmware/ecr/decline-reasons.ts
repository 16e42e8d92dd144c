// Normalised decline reasons: what an ECR can act on, beside the host's ISO 8583 response code (field 39).

/** Why the host declined, as a stable word; `other` for a code without a mapping (the ECR still has the code). */
export const DECLINE_REASONS = [
  'do-not-honour',
  'invalid-transaction',
  'invalid-amount',
  'invalid-card',
  'format-error',
  'lost-or-stolen-card',
  'insufficient-funds',
  'expired-card',
  'wrong-pin',
  'not-permitted',
  'exceeds-limit',
  'restricted-card',
  'pin-tries-exceeded',
  'original-not-found',
  'issuer-unavailable',
  'system-error',
  'other',
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

const BY_CODE: Readonly<Record<string, DeclineReason>> = Object.freeze({
  '01': 'do-not-honour', // refer to card issuer
  '04': 'lost-or-stolen-card', // pick up card
  '05': 'do-not-honour',
  '12': 'invalid-transaction',
  '13': 'invalid-amount',
  '14': 'invalid-card',
  '15': 'invalid-card', // no such issuer
  '25': 'original-not-found',
  '30': 'format-error',
  '33': 'expired-card',
  '41': 'lost-or-stolen-card',
  '43': 'lost-or-stolen-card',
  '51': 'insufficient-funds',
  '54': 'expired-card',
  '55': 'wrong-pin',
  '57': 'not-permitted', // not permitted to cardholder
  '58': 'not-permitted', // not permitted to terminal
  '61': 'exceeds-limit',
  '62': 'restricted-card',
  '65': 'exceeds-limit', // frequency limit
  '75': 'pin-tries-exceeded',
  '91': 'issuer-unavailable',
  '96': 'system-error',
});

/** The normalised reason for a host response code that is not an approval (`00`); undefined for an approval or no code. */
export function declineReason(responseCode: string | undefined | null): DeclineReason | undefined {
  if (!responseCode || responseCode === '00') return undefined;
  return BY_CODE[responseCode] ?? 'other';
}
