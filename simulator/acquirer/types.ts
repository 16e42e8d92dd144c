// Acquirer simulator data model: ledger entries, stored answers, settlement and batch-upload records, totals.

/** What a ledger entry is. Reversals are not entries: they mark the entry they undo `reversed`. */
export type EntryKind = 'sale' | 'preauth' | 'completion' | 'void' | 'refund' | 'balance' | 'qr-sale' | 'qr-present';

/** Host-side state of an entry. Only `approved` entries move money. */
export type EntryStatus = 'approved' | 'declined' | 'reversed' | 'voided' | 'pending' | 'closed';

/** One financial request the host answered (approved or declined). Never holds a clear PAN, track data or PIN block. */
export interface LedgerEntry {
  /** 12-digit sequence, in the order the host posted entries. */
  id: string;
  terminalId: string;
  merchantId: string;
  stan: string;
  mti: string;
  processingCode: string;
  /** Field 25. */
  posCondition: string;
  /** Field 22. */
  entryMode: string;
  kind: EntryKind;
  /** Minor units (0 for balance inquiries). */
  amount: number;
  /** ISO 4217 numeric (field 49). */
  currency: string;
  rrn: string;
  /** Only on approvals. */
  authCode: string | null;
  responseCode: string;
  /** Field 62, the merchant reference (ECR reference or `T<TID>-<batch>-<STAN>`). */
  reference: string | null;
  /** First 6 / last 4. */
  maskedPan: string | null;
  /**
   * The PAN encrypted under the host's card vault key (card-vault.ts): ties voids, refunds, completions and
   * balances to a card through an index built in memory. Never a hash of the PAN (a hash next to the masked PAN
   * gives it back to whoever holds the key); never shown by the admin API.
   */
  panSealed: string | null;
  /** Field 60. */
  batch: string;
  /** Field 13 (MMDD). */
  localDate: string;
  /** Field 7 (MMDDhhmmss UTC), as the terminal sent it. */
  transmissionDateTime: string | null;
  status: EntryStatus;
  /** For void, refund and completion: the id of the entry they refer to. */
  originalId: string | null;
  /** Sales and completions: sum of approved, unreversed refunds. */
  refundedAmount: number;
  /** Pre-authorisations: sum of approved, unreversed completions. */
  completedAmount: number;
  /** Sales and completions: the id of the approved void. */
  voidedBy: string | null;
  reversedAt: string | null;
  createdAt: string;
  /** QR payments: the wallet, the payer's code masked (first 4 / last 4), the wallet's order number, status queries so far. */
  qr?: { wallet: string; mode: 'scan' | 'present'; payer: string | null; orderNo: string; queries: number; payAtClose?: boolean; paidAt?: string };
}

/** A response as stored for duplicate requests (text fields only; responses never carry card data). */
export interface StoredResponse {
  mti: string;
  fields: Record<string, string>;
}

/** The first answer to a request, replayed for its duplicates and repeats. */
export interface StoredAnswer {
  /** Processing code, amount and reference of the first request: a "duplicate" with other content gets 94. */
  fingerprint: string;
  response: StoredResponse;
  entryId: string | null;
  at: string;
}

/** Debit/credit counts and amounts, as in field 63. */
export interface BatchTotals {
  debitCount: number;
  debitAmount: number;
  creditCount: number;
  creditAmount: number;
}

/** The last settlement attempt of one terminal's batch. */
export interface SettlementRecord {
  terminalId: string;
  batch: string;
  /** Field 70 of the request: 201 settlement, 202 settlement after batch upload. */
  code: '201' | '202';
  responseCode: string;
  /** What the terminal said (field 63). */
  terminalTotals: BatchTotals;
  /** What the host's own ledger says. */
  hostTotals: BatchTotals;
  /** Totals of the items uploaded in this round (202 only). */
  uploadedTotals: BatchTotals | null;
  /** True once the host accepted the batch (39 = 00). */
  closed: boolean;
  /** Accepted after upload with totals that differ from the host ledger. */
  adjusted: boolean;
  at: string;
}

/** One 0320 batch-upload item. */
export interface UploadRecord {
  terminalId: string;
  batch: string;
  /** The original transaction's STAN (field 61; field 11 when 61 does not parse). */
  stan: string;
  processingCode: string;
  amount: number;
  rrn: string;
  authCode: string;
  /** Id of the host entry it matched, or null. */
  matchedEntryId: string | null;
  /** Empty when it matches an approved entry of the same amount; else why not. */
  discrepancy: string | null;
  at: string;
}

/** One row of GET /totals. */
export interface TotalsRow extends BatchTotals {
  terminalId: string;
  batch: string;
  /** The wallet payments among the totals, per wallet (absent when there were none). */
  byWallet?: Record<string, BatchTotals>;
  settlement: SettlementRecord | null;
  /** Batch-upload items of the current settlement round. */
  uploads: UploadRecord[];
}

export const ZERO_TOTALS: Readonly<BatchTotals> = Object.freeze({ debitCount: 0, debitAmount: 0, creditCount: 0, creditAmount: 0 });
