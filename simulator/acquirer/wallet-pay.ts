// The customer's side of a presented QR (C扫B): the payload is read like a wallet app would, and the open order paid.
import { amountToMinor, parseMerchantQr } from '../../firmware/qr/emvco';
import type { Ledger } from './ledger';
import type { LedgerEntry } from './types';
import { paid } from './wallet';

export type PayResult = { entry: LedgerEntry } | { error: string; status: number; message: string };

/**
 * Finds the open order of `payload` (tag 62: bill number = the terminal's reference, terminal label = its id; tag 54
 * the amount) and pays it, or marks it to be paid when the terminal closes it (`atClose`).
 */
export function payPresented(ledger: Ledger, payload: string, atClose: boolean, now: Date): PayResult {
  let qr;
  try {
    qr = parseMerchantQr(payload);
  } catch (err) {
    return { error: 'bad-qr', status: 400, message: `$.payload: ${(err as Error).message}` };
  }
  const reference = qr.additionalData?.billNumber;
  const terminalId = qr.additionalData?.terminalLabel;
  if (!reference || !terminalId) return { error: 'bad-qr', status: 400, message: '$.payload: no bill number (62.01) or terminal label (62.07): not a posfw order' };
  const entry = ledger.find((e) => e.kind === 'qr-present' && e.reference === reference && e.terminalId === terminalId);
  if (!entry) return { error: 'not-found', status: 404, message: `no order ${reference} of terminal ${terminalId}` };
  if (entry.status !== 'pending') return { error: 'order-not-open', status: 409, message: `order ${reference} is ${entry.status}` };
  const amount = qr.amount === undefined ? undefined : amountToMinor(qr.amount, 2);
  if (amount !== entry.amount) return { error: 'amount-mismatch', status: 409, message: `the QR says ${qr.amount ?? 'no amount'}, the order is ${entry.amount} minor units` };
  return { entry: atClose ? { ...entry, qr: { ...entry.qr!, payAtClose: true } } : paid(entry, now) };
}
