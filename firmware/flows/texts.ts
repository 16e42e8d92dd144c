// Words the LCD shows for outcomes and response codes (docs/host-messages.md).
import type { TxnRecord } from '../journal/types';

export const RESPONSE_TEXT: Record<string, string> = {
  '00': 'APPROVED',
  '05': 'DECLINED',
  '12': 'INVALID TRANSACTION',
  '13': 'INVALID AMOUNT',
  '14': 'INVALID CARD',
  '25': 'ORIGINAL NOT FOUND',
  '51': 'INSUFFICIENT FUNDS',
  '54': 'EXPIRED CARD',
  '55': 'WRONG PIN',
  '57': 'NOT PERMITTED',
  '96': 'HOST ERROR',
};

export function money(minor: number, currency: string): string {
  return `${currency} ${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

/** The outcome screen lines for a finished authorisation. */
export function outcomeLines(rec: TxnRecord): string[] {
  switch (rec.state) {
    case 'approved':
    case 'completed':
      // A declined record is `completed` once the flow ends: only an approval shows APPROVED.
      if (!rec.wasApproved) return declinedLines(rec);
      if (rec.type === 'balance') return ['BALANCE', balanceText(rec.balance) ?? '-', 'APPROVED'];
      return ['APPROVED', `AUTH ${rec.authCode ?? '-'}`, money(rec.amount, rec.currency)];
    case 'declined':
      return declinedLines(rec);
    case 'reversal-pending':
    case 'reversed':
      return ['NO HOST ANSWER', 'NOT CHARGED', 'REVERSAL QUEUED'];
    case 'failed':
      // Failed after sending only happens to a balance inquiry with no answer (nothing to reverse).
      if (rec.reason && !rec.reason.startsWith('not-sent')) return ['NO HOST ANSWER', 'NOT CHARGED'];
      return ['NOT SENT', 'HOST UNREACHABLE', 'NOT CHARGED'];
    case 'cancelled':
      return ['CANCELLED'];
    default:
      return [rec.state.toUpperCase()];
  }
}

function declinedLines(rec: TxnRecord): string[] {
  return [`DECLINED ${rec.responseCode ?? ''}`.trim(), RESPONSE_TEXT[rec.responseCode ?? ''] ?? 'DECLINED'];
}

/** Field 54 `10 02 156 C 000000012345` → `C 123.45`-style text. */
export function balanceText(field54?: string): string | undefined {
  if (!field54 || field54.length < 20) return undefined;
  const sign = field54[7] === 'D' ? '-' : '';
  const minor = Number(field54.slice(8, 20));
  return `${sign}${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}
