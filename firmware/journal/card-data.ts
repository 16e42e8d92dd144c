// How long a record keeps its sealed card data: only while a reversal, void, refund or completion may still need it.
import type { TxnRecord } from './types';

/**
 * Whether a record in this state keeps its sealed card data (PAN + expiry). A balance inquiry moves no money (an
 * unknown outcome is `failed`, never reversed) and keeps none once it is sent; declined, failed, cancelled and
 * reversed records need none. Approved money keeps it until its batch closes, when the batch's data key is
 * destroyed (voids, refunds and completions of the same batch, and reversals, use it until then).
 */
export function keepsCardData(r: Pick<TxnRecord, 'type' | 'state' | 'wasApproved'>): boolean {
  if (r.type === 'balance') return r.state === 'created';
  switch (r.state) {
    case 'created':
    case 'sending':
    case 'approved':
    case 'reversal-pending':
      return true;
    case 'completed':
      return r.wasApproved === true;
    default:
      return false;
  }
}

/** `r` as it is stored: sealed card data dropped when the state needs none, and no card tag (records before issue 14 had one). */
export function atRest(r: TxnRecord): TxnRecord {
  if (r.cardTag === undefined && (r.sealed === undefined || keepsCardData(r))) return r;
  const out = { ...r };
  delete out.cardTag;
  if (!keepsCardData(r)) delete out.sealed;
  return out;
}
