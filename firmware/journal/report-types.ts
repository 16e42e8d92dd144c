// The reports' data shapes: computed from the journal by money/reports.ts, printed by receipts, served by the ECR API.
import type { BatchTotals, TxnRecord } from './types';

export interface SettlementReport {
  kind: 'settlement';
  batch: string;
  /** `settled` once the host confirmed the batch; `open` for the current batch (a preview). */
  status: 'settled' | 'in-progress' | 'open';
  totals: BatchTotals;
  byType: Record<string, { count: number; amount: number }>;
  byScheme: Record<string, { count: number; amount: number }>;
  byOperator: Record<string, { count: number; amount: number }>;
  /** Host result: its response code, and whether the batch was uploaded and closed with adjusted totals. */
  host: { responseCode: string; uploaded: boolean; settledAt: string; nextBatch: string } | null;
}

export interface DetailLine {
  stan: string;
  reference: string;
  type: TxnRecord['type'];
  state: TxnRecord['state'];
  amount: number;
  currency: string;
  maskedPan: string | null;
  scheme: string;
  operator: string;
  responseCode: string | null;
  rrn: string | null;
  authCode: string | null;
  at: string;
  /** Counted in the settlement totals. */
  counted: boolean;
}

export interface DetailReport {
  kind: 'detail';
  batch: string;
  lines: DetailLine[];
  totals: BatchTotals;
}

export interface HoldLine {
  reference: string;
  stan: string;
  batch: string;
  maskedPan: string | null;
  amount: number;
  completed: number;
  remaining: number;
  currency: string;
  expiresAt: string;
}

export interface HoldsReport {
  kind: 'holds';
  holds: HoldLine[];
  total: number;
}

