// Amount text for the emulated PIN pad's screen: minor units shown with the currency's ISO 4217 decimals.

/** ISO 4217 minor-unit exponents that are not 2 (the common ones a terminal meets). */
const EXPONENT: Record<string, number> = { JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3 };

/** "CNY 123.45" for (12345, "CNY"); "JPY 500" for (500, "JPY"). */
export function formatAmount(minor: number, currency: string): string {
  const exp = EXPONENT[currency] ?? 2;
  if (exp === 0) return `${currency} ${minor}`;
  const digits = String(minor).padStart(exp + 1, '0');
  return `${currency} ${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}
