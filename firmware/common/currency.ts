// Minor units per currency (ISO 4217 exponent) and amounts in minor units formatted with the currency's decimals.

/** ISO 4217 minor-unit exponents that differ from 2, plus the usual 2-decimal ones for clarity. Unknown codes use 2. */
const EXPONENTS: Readonly<Record<string, number>> = {
  CNY: 2, HKD: 2, MOP: 2, TWD: 2, USD: 2, EUR: 2, GBP: 2, SGD: 2, AUD: 2, CAD: 2, CHF: 2, THB: 2, MYR: 2,
  JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, XAF: 0, XOF: 0, PYG: 0, UGX: 0,
  KWD: 3, BHD: 3, OMR: 3, JOD: 3, TND: 3, LYD: 3, IQD: 3,
};

/** Decimal places of `currency` (ISO 4217 exponent); 2 when the code is not listed. */
export function currencyExponent(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}

/** `1234` minor units as `12.34` (CNY), `1234` (JPY) or `1.234` (KWD); a minus sign when negative. */
export function formatMinorUnits(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(minor));
  if (exp === 0) return `${sign}${abs}`;
  const unit = 10 ** exp;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(exp, '0')}`;
}

/** `CNY 12.34` */
export function formatMoney(minor: number, currency: string): string {
  return `${currency} ${formatMinorUnits(minor, currency)}`;
}

/** Whole units of the currency in `minor` (loyalty points: one per whole yuan). */
export function wholeUnits(minor: number, currency: string): number {
  return Math.floor(Math.abs(minor) / 10 ** currencyExponent(currency));
}
