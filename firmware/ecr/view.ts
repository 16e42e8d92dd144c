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
}

export function ecrStatus(rec: TxnRecord): EcrStatus {
  switch (rec.state) {
    case 'created':
    case 'sending':
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
  };
}
