// What a running transaction asks of people, as data: the UI turns it into words, the ECR API into states. No text here.
import type { TxnRecord, TxnType } from '../journal/types';

/** The transaction a prompt is about. */
export interface TxnSummary {
  type: TxnType;
  amount: number;
  currency: string;
  reference: string;
}

/** Why the card prompt is shown again. */
export type CardRetry = 'bad-read' | 'invalid-card' | 'expired' | 'use-chip' | 'wrong-card';

/** Why the scan prompt is shown again: the scan was not a payment code (unreadable, or no wallet's). */
export type ScanRetry = 'unreadable' | 'not-a-payment-code';

export type Prompt =
  | { kind: 'present-card'; txn: TxnSummary; retry?: CardRetry; readerMissing?: boolean }
  /** B扫C: scan the customer's payment code. */
  | { kind: 'scan-code'; txn: TxnSummary; retry?: ScanRetry; scannerMissing?: boolean }
  /** The customer confirms on the phone (B扫C) or scans the QR shown (C扫B, `payload`); `deadline` ISO time. */
  | { kind: 'awaiting-customer'; txn: TxnSummary; mode: 'scan' | 'present'; wallet: string; payload?: string; deadline?: string }
  | { kind: 'confirm-duplicate'; txn: TxnSummary }
  | { kind: 'enter-pin'; txn: TxnSummary; bypassAllowed: boolean; retry?: 'pin-required' }
  | { kind: 'authorising'; txn: TxnSummary }
  /** The outcome is journaled; slips are printing. */
  | { kind: 'printing'; txn: TxnSummary; record: TxnRecord }
  /** The flow is over: the record as it ends. */
  | { kind: 'finished'; txn: TxnSummary; record: TxnRecord };

export type PromptKind = Prompt['kind'];

/** Why a transaction was cancelled before anything was sent. */
export type CancelReason = 'operator' | 'ecr' | 'timeout' | 'pin-cancelled' | 'pinpad-fault' | 'journal-fault' | 'duplicate-declined' | 'scanner-fault';

export function summaryOf(rec: TxnRecord): TxnSummary {
  return { type: rec.type, amount: rec.amount, currency: rec.currency, reference: rec.reference };
}
