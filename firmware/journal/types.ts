// Journal record types: one record per transaction with an explicit state and everything a reversal, void or refund needs.

export const TXN_TYPES = ['sale', 'preauth', 'completion', 'void', 'refund', 'balance', 'qr-sale', 'qr-present'] as const;
export type TxnType = (typeof TXN_TYPES)[number];

/**
 * created → sending → approved | declined | failed | unknown → reversal-pending → reversed
 * approved | declined → completed;  created → cancelled.
 * `failed` = never reached the host (nothing to reverse). `unknown` is transient: it is written
 * together with its SAF entry as `reversal-pending`.
 * QR payments: sending → awaiting-customer (the customer is confirming, the order waits, or the answer was lost; a
 * `qr-watch` entry in the SAF queue asks the host) → approved | declined | cancelled (order closed) | reversal-pending
 * (revoked).
 */
export type TxnState = 'created' | 'sending' | 'awaiting-customer' | 'approved' | 'declined' | 'completed' | 'failed' | 'reversal-pending' | 'reversed' | 'cancelled';

export const ALLOWED: Record<TxnState, TxnState[]> = {
  created: ['sending', 'cancelled', 'failed'],
  sending: ['approved', 'declined', 'failed', 'reversal-pending', 'awaiting-customer'],
  'awaiting-customer': ['approved', 'declined', 'cancelled', 'reversal-pending'],
  approved: ['completed', 'reversal-pending'],
  declined: ['completed'],
  completed: ['reversal-pending'],
  failed: [],
  'reversal-pending': ['reversed'],
  reversed: [],
  cancelled: [],
};

/** The non-secret parts of the request as sent: a reversal, repeat or status query rebuilds from these. */
export interface SentRequest {
  mti: string;
  processingCode: string;
  conditionCode: string;
  entryMode: string;
  transmissionDateTime: string; // field 7 MMDDhhmmss
  localTime: string; // field 12
  localDate: string; // field 13
}

export interface OriginalRef {
  id: string;
  /** What the original is: a void of a pre-auth cancels the hold, a void of a completion restores it. */
  type?: TxnType;
  /** First 6 / last 4 of the original's card: a card presented again must match it. */
  maskedPan?: string;
  reference: string;
  stan: string;
  batch: string;
  localDate: string;
  rrn?: string;
  authCode?: string;
}

export type SlipState = 'pending' | 'printed' | 'cut-off' | 'skipped';

/** Printing progress per slip; a cut-off slip is printed again marked as a copy, never silently twice. */
export interface ReceiptState {
  merchant: SlipState;
  customer: SlipState;
  /** Copies printed by reprint (each marked DUPLICATE / 重打印). */
  reprints: number;
}

export interface TxnRecord {
  id: string;
  reference: string;
  origin: 'ecr' | 'keypad';
  /** Hash of the ECR request body (idempotency: same reference + different body = 409). */
  requestHash?: string;
  type: TxnType;
  state: TxnState;
  stan: string;
  batch: string;
  amount: number; // minor units
  currency: string; // ISO 4217 alpha
  currencyNumeric: string;
  operator: string;
  maskedPan?: string;
  /**
   * @deprecated Records written before issue 14 carried a keyed hash of the PAN here; none is written now (a hash
   * next to the masked PAN gives the PAN back to whoever holds the key) and the next write of such a record drops it.
   */
  cardTag?: string;
  /**
   * AES-GCM sealed { pan, expiry } under the batch's data key (`dk1:<key id>:<record id>:...`): what field 2/14 of a
   * reversal, void, refund or completion needs. Kept only while needed; unreadable once the batch closes.
   */
  sealed?: string;
  entryMode?: string;
  pinEntered?: boolean;
  request?: SentRequest;
  original?: OriginalRef;
  responseCode?: string;
  authCode?: string;
  rrn?: string;
  /** Field 54 as the host sent it (balance inquiry). */
  balance?: string;
  /** The available balance from field 54 in minor units (negative when in debit). */
  balanceMinor?: number;
  /** Loyalty points (积分) the host reported in field 48: earned by this transaction (negative when taken back) and the balance. */
  points?: { earned?: number; balance?: number };
  /** Why an outcome is failed/reversed: 'not-sent', 'timeout', 'disconnect', 'garbled', 'late-approval', 'crash'. */
  reason?: string;
  /** `in-doubt`: the host keeps refusing the reversal (12, 25) while the original may stand; still retried. */
  reversal: null | 'pending' | 'done' | 'in-doubt';
  /** Once the host answered the outcome was approved at some point (so a later reversal shows as `reversed`). */
  wasApproved?: boolean;
  /** On originals: totals of approved follow-ups (void, refunds, completions). */
  voidedBy?: string;
  refunded?: number;
  completed?: number;
  receipt: ReceiptState;
  /** QR payments: the wallet, the payer's code masked (first 4 / last 4), the presented payload, the wallet's order. */
  qr?: QrData;
  /** Completed at boot by recovery rather than by the flow that started it. */
  recovered?: boolean;
  createdAt: string;
  updatedAt: string;
  history: Array<{ state: TxnState; at: string }>;
}

/** Debit and credit counts and amounts of a batch (field 63). */
export interface BatchTotals {
  debitCount: number;
  debitAmount: number;
  creditCount: number;
  creditAmount: number;
}

/**
 * A settlement in progress: journaled (synced) before the 0500 leaves, with the totals it sends. While it exists
 * nothing new enters the batch; after a lost answer or a restart the same totals are sent again (0501) until the
 * host answers.
 */
export interface SettlingState {
  batch: string;
  totals: BatchTotals;
  /** True once a 0500 may have reached the host (written before it leaves): later sends are repeats (0501). */
  sent: boolean;
  attempts: number;
  startedAt: string;
  lastError?: string;
}

/** A closed batch, kept for reports, reprints and idempotent repeats of POST /v1/settlement. */
export interface SettlementRecord {
  batch: string;
  nextBatch: string;
  totals: BatchTotals;
  /** The host disagreed at first and the batch was uploaded (0320) before it was closed. */
  uploaded: boolean;
  responseCode: string;
  settledAt: string;
  /** Totals per transaction type and per card scheme, computed from the journal when the batch closed. */
  byType: Record<string, { count: number; amount: number }>;
  byScheme: Record<string, { count: number; amount: number }>;
}

/** What a QR payment carries besides the common record. Never the payer's code in clear (a bearer credential). */
export interface QrData {
  wallet: 'wechat' | 'alipay' | 'unionpay';
  /** B扫C: the customer's payment code, first 4 / last 4. */
  maskedCode?: string;
  /** C扫B: the EMVCo merchant-presented payload shown to the customer. */
  payload?: string;
  /** The wallet's order number, once the host gave one. */
  order?: string;
  /** When the terminal stops waiting for the customer (B扫C: revoke; C扫B: close the order). ISO time. */
  deadline?: string;
  /** C扫B: the customer paid just as the order was closed: paid, then refunded by `lateRefund`. */
  latePayment?: boolean;
  lateRefund?: string;
}

export interface SafEntry {
  seq: number;
  txnId: string;
  /** `reversal`: 0400/0401 until acknowledged; `qr-watch`: ask the host about a QR payment until it is final. */
  kind: 'reversal' | 'qr-watch';
  /** qr-watch: stop waiting at this time (epoch ms): revoke (B扫C) or close (C扫B). */
  deadline?: number;
  /** qr-watch: the operator or the ECR asked to stop waiting now. */
  cancel?: 'operator' | 'ecr';
  attempts: number;
  /** True once an attempt may have reached the host (written before it leaves): every later send is a repeat (0401). */
  sent?: boolean;
  /** Host answers that did not acknowledge the reversal (12, 25, 96 ...), as opposed to no answer at all. */
  unacknowledged?: number;
  nextAttemptAt: number; // epoch ms
  lastError?: string;
}
