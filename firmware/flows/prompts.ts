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

export type Prompt =
  | { kind: 'present-card'; txn: TxnSummary; retry?: CardRetry; readerMissing?: boolean }
  | { kind: 'confirm-duplicate'; txn: TxnSummary }
  | { kind: 'enter-pin'; txn: TxnSummary; bypassAllowed: boolean; retry?: 'pin-required' }
  | { kind: 'authorising'; txn: TxnSummary }
  /** The outcome is journaled; slips are printing. */
  | { kind: 'printing'; txn: TxnSummary; record: TxnRecord }
  /** The flow is over: the record as it ends. */
  | { kind: 'finished'; txn: TxnSummary; record: TxnRecord };

export type PromptKind = Prompt['kind'];

/** Why a transaction was cancelled before anything was sent. */
export type CancelReason = 'operator' | 'ecr' | 'timeout' | 'pin-cancelled' | 'pinpad-fault' | 'journal-fault' | 'duplicate-declined';

export function summaryOf(rec: TxnRecord): TxnSummary {
  return { type: rec.type, amount: rec.amount, currency: rec.currency, reference: rec.reference };
}
