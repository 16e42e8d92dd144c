// Card scheme from the first digits of a (masked) PAN, for settlement reports: never needs the full PAN.

import type { TxnRecord } from '../journal/types';

export type CardScheme = 'UNIONPAY' | 'VISA' | 'MASTERCARD' | 'AMEX' | 'JCB' | 'OTHER';

/** A record's scheme, a QR payment's wallet (WECHAT, ALIPAY, UNIONPAY-QR) for QR payments and their refunds. */
export function schemeOfRecord(r: Pick<TxnRecord, 'maskedPan' | 'qr'>): string {
  if (r.qr) return r.qr.wallet === 'unionpay' ? 'UNIONPAY-QR' : r.qr.wallet.toUpperCase();
  return schemeOf(r.maskedPan);
}

/** The scheme of a card from its BIN (the first six digits, which a masked PAN keeps). */
export function schemeOf(maskedPan: string | undefined): CardScheme {
  const bin = (maskedPan ?? '').slice(0, 6);
  if (!/^\d{6}$/.test(bin)) return 'OTHER';
  const two = Number(bin.slice(0, 2));
  const four = Number(bin.slice(0, 4));
  if (bin.startsWith('62')) return 'UNIONPAY';
  if (bin.startsWith('4')) return 'VISA';
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'MASTERCARD';
  if (two === 34 || two === 37) return 'AMEX';
  if (four >= 3528 && four <= 3589) return 'JCB';
  return 'OTHER';
}
