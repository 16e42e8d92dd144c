// A batch's totals overall and per operator, counted by the same rule as the settlement totals sent to the host.
import type { TxnRecord } from '../journal/types';
import { counted, totalsOf, type Totals } from '../money/settlement';

export interface OperatorTotals extends Totals {
  operator: string;
}

export interface BatchTotalsView extends Totals {
  batch: string;
  currency: string;
  operators: OperatorTotals[];
}

/**
 * Totals of `records` (one batch) and per operator, operators in id order. Each operator's totals are `totalsOf` over
 * their own records, so the per-operator lines always add up to the batch totals the host reconciles.
 */
export function batchTotals(records: TxnRecord[], batch: string, currency: string): BatchTotalsView {
  const ids = [...new Set(counted(records).map((r) => r.operator))].sort();
  return {
    batch,
    currency,
    ...totalsOf(records),
    operators: ids.map((operator) => ({ operator, ...totalsOf(records.filter((r) => r.operator === operator)) })),
  };
}
