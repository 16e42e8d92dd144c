// The ECR's view of a journal record (the public transaction shape of the ECR API).
import type { TxnRecord } from '../journal/types';
import type { ReceiptTexts } from '../receipts/receipt-service';


export type EcrStatus = 'in-progress' | 'approved' | 'declined' | 'failed' | 'reversed' | 'voided' | 'cancelled';

export interface EcrTransaction {
  reference: string;
  type: TxnRecord['type'];
  status: EcrStatus;
  amount: number;
  currency: string;
  responseCode: string | null;
  authCode: string | null;
  rrn: string | null;
  stan: string;
  batch: string;
  maskedPan: string | null;
  reversal: TxnRecord['reversal'];
  balance?: string;
  original?: string;
  reason?: string;
  recovered?: boolean;
  receipt?: ReceiptTexts;
  /** QR payments: wallet, the payer's code masked, the wallet's order; `payload` of a presented QR (for a customer display). */
  qr?: { wallet: string; maskedCode?: string; order?: string; payload?: string; deadline?: string; latePayment?: { refund: string | null } };
}

export function ecrStatus(rec: TxnRecord): EcrStatus {
  // Paid just as the order was closed, and refunded at once: for the shop, the sale did not happen.
  if (rec.qr?.latePayment) return 'cancelled';
  switch (rec.state) {
    case 'created':
    case 'sending':
    case 'awaiting-customer':
      return 'in-progress';
    case 'approved':
    case 'completed':
      if (!rec.wasApproved) return 'declined';
      return rec.voidedBy ? 'voided' : 'approved';
    case 'declined':
      return 'declined';
    case 'failed':
      return 'failed';
    case 'reversal-pending':
    case 'reversed':
      return rec.wasApproved ? 'reversed' : 'failed';
    case 'cancelled':
      return 'cancelled';
  }
}

/** A balance as `999987.66` (minus sign when in debit). */
function balanceText(minor?: number): string | undefined {
  if (minor === undefined) return undefined;
  const abs = Math.abs(minor);
  return `${minor < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function ecrView(rec: TxnRecord, receipt?: ReceiptTexts): EcrTransaction {
  return {
    reference: rec.reference,
    type: rec.type,
    status: ecrStatus(rec),
    amount: rec.amount,
    currency: rec.currency,
    responseCode: rec.responseCode ?? null,
    authCode: rec.authCode ?? null,
    rrn: rec.rrn ?? null,
    stan: rec.stan,
    batch: rec.batch,
    maskedPan: rec.maskedPan ?? null,
    reversal: rec.reversal,
    ...(rec.type === 'balance' && rec.balanceMinor !== undefined ? { balance: balanceText(rec.balanceMinor) } : {}),
    ...(rec.original ? { original: rec.original.reference } : {}),
    ...(rec.reason ? { reason: rec.reason } : {}),
    ...(rec.recovered ? { recovered: true } : {}),
    ...(receipt ? { receipt } : {}),
    ...(rec.qr ? { qr: qrView(rec) } : {}),
    ...(rec.qr?.latePayment ? { reason: 'paid as the order closed; refunded' } : {}),
  };
}

function qrView(rec: TxnRecord): NonNullable<EcrTransaction['qr']> {
  const q = rec.qr!;
  return {
    wallet: q.wallet,
    ...(q.maskedCode ? { maskedCode: q.maskedCode } : {}),
    ...(q.order ? { order: q.order } : {}),
    // The QR to show a customer only while its order waits to be paid.
    ...(q.payload && rec.state === 'awaiting-customer' ? { payload: q.payload } : {}),
    ...(q.deadline ? { deadline: q.deadline } : {}),
    ...(q.latePayment ? { latePayment: { refund: q.lateRefund ?? null } } : {}),
  };
}
