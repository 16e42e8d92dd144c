// What card data looks like in a file: PAN-like digit runs (Luhn, card IIN), track 2, masked PANs, hash-like values.

/** Luhn (ISO/IEC 7812-1) check of a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** 13 to 19 digits not inside a longer digit run. */
const DIGIT_RUN = /(?<!\d)\d{13,19}(?!\d)/g;
/** Payment card IINs start 2 (Mastercard 2-series), 3 (Amex, JCB, Diners), 4 (Visa), 5 (Mastercard), 6 (UnionPay, Discover). */
const CARD_IIN = /^[2-6]/;
/** Track 2 (field 35 or ;...?): PAN, separator = or D, expiry YYMM. */
const TRACK2 = /(?<!\d)\d{12,19}[=D]\d{4}/g;
/** First 6 / last 4 with the middle starred, as the firmware masks. */
const MASKED = /(?<!\d)(\d{6})(\*{2,9})(\d{4})(?!\d)/g;
const HEX_RUN = /(?<![0-9A-Za-z])[0-9a-fA-F]{32,}(?![0-9A-Za-z])/g;
/** A lone base64 string of 32 bytes (a SHA-256 digest or HMAC in base64). */
const B64_32 = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{43}=(?![A-Za-z0-9+/=])/g;

/** PAN-like runs: Luhn-valid, 13-19 digits, starting like a payment card. */
export function panCandidatesIn(text: string): string[] {
  return [...text.matchAll(DIGIT_RUN)].map((m) => m[0]).filter((d) => CARD_IIN.test(d) && luhnValid(d));
}

/** Track-2-like data (a PAN with a separator and an expiry). */
export function trackDataIn(text: string): string[] {
  return [...text.matchAll(TRACK2)].map((m) => m[0]).filter((t) => luhnValid(t.slice(0, t.search(/[=D]/))));
}

/** Masked PANs (first 6, stars, last 4). */
export function maskedPansIn(text: string): string[] {
  return [...text.matchAll(MASKED)].map((m) => m[0]);
}

/**
 * Values that could be a hash or MAC of a PAN, as the lower-case hex of their first 16 bytes: hex runs of 32 digits
 * or more, and lone base64 strings of 32 bytes. A PAN tag is usually a digest truncated to 16 bytes or more.
 */
export function hashLikeIn(text: string): string[] {
  const out = [...text.matchAll(HEX_RUN)].map((m) => m[0].slice(0, 32).toLowerCase());
  for (const m of text.matchAll(B64_32)) out.push(Buffer.from(m[0], 'base64').subarray(0, 16).toString('hex'));
  return out;
}

/** The masked form of a PAN for reports: findings never carry a PAN. */
export function masked(pan: string): string {
  return pan.length < 10 ? '*'.repeat(pan.length) : pan.slice(0, 6) + '*'.repeat(pan.length - 10) + pan.slice(-4);
}
