// The ECR's view of a journal record (the public transaction shape of the ECR API), with the live step of a running one.
import type { z } from 'zod';
import type { TxnRecord } from '../journal/types';
import type { PromptKind } from '../flows/prompts';
import type { ReceiptTexts } from '../receipts/receipt-service';
import { declineReason } from './decline-reasons';
import type { ECR_STATES, ECR_STATUSES, transactionSchema } from './schemas';

export type EcrStatus = (typeof ECR_STATUSES)[number];
export type EcrState = (typeof ECR_STATES)[number];
export type EcrTransaction = z.infer<typeof transactionSchema>;

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

const STEP_STATE: Partial<Record<PromptKind, EcrState>> = {
  'present-card': 'awaiting-card',
  'enter-pin': 'awaiting-pin',
  'confirm-duplicate': 'awaiting-confirmation',
  authorising: 'authorising',
  'scan-code': 'awaiting-card',
  'awaiting-customer': 'awaiting-customer',
};

/**
 * What an ECR acts on: while running, what the terminal waits for (from the flow's last prompt, `step`); once the
 * outcome is journaled and slips print, `printing`; then the final status.
 */
export function ecrState(rec: TxnRecord, step?: PromptKind): EcrState {
  const status = ecrStatus(rec);
  if (step === 'printing' && status !== 'in-progress') return 'printing';
  if (status !== 'in-progress') return status;
  const live = step && STEP_STATE[step];
  if (live) return live;
  // Not running here (a restart) or not prompted yet: a sent request is with the host; a referenced one goes there next.
  return rec.state === 'sending' || rec.original ? 'authorising' : 'awaiting-card';
}

/** A balance as `999987.66` (minus sign when in debit). */
function balanceText(minor?: number): string | undefined {
  if (minor === undefined) return undefined;
  const abs = Math.abs(minor);
  return `${minor < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The public shape of `rec`; `step` is the running flow's last prompt (undefined when it is not running). */
export function ecrView(rec: TxnRecord, receipt?: ReceiptTexts, step?: PromptKind): EcrTransaction {
  const status = ecrStatus(rec);
  const state = ecrState(rec, step);
  const decline = status === 'declined' ? declineReason(rec.responseCode) : undefined;
  return {
    reference: rec.reference,
    type: rec.type,
    status,
    state,
    amount: rec.amount,
    currency: rec.currency,
    responseCode: rec.responseCode ?? null,
    ...(decline ? { declineReason: decline } : {}),
    authCode: rec.authCode ?? null,
    rrn: rec.rrn ?? null,
    stan: rec.stan,
    batch: rec.batch,
    maskedPan: rec.maskedPan ?? null,
    reversal: rec.reversal,
    ...(rec.type === 'balance' && rec.balanceMinor !== undefined ? { balance: balanceText(rec.balanceMinor), balanceMinor: rec.balanceMinor } : {}),
    ...(rec.original ? { original: rec.original.reference } : {}),
    ...(rec.reason ? { reason: rec.reason } : {}),
    ...(state === 'awaiting-confirmation' ? { confirmation: { reason: 'possible-duplicate' as const } } : {}),
    ...(rec.recovered ? { recovered: true } : {}),
    createdAt: rec.createdAt,
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
