// Loyalty points (积分) in a host answer: field 48 `points=<earned>;points-balance=<balance>` (docs/host-messages.md).

export interface Points {
  /** Points this transaction earned (negative when a refund or void took them back). */
  earned?: number;
  balance?: number;
}

const INT = /^[+-]?\d{1,12}$/;

/** The points in field 48 of a financial answer, or undefined when it carries none. Unknown keys are ignored. */
export function parsePoints(field48?: string): Points | undefined {
  if (!field48) return undefined;
  const out: Points = {};
  for (const part of field48.split(';')) {
    const [key, value] = part.split('=').map((s) => s.trim());
    if (value === undefined || !INT.test(value)) continue;
    if (key === 'points') out.earned = Number(value);
    else if (key === 'points-balance') out.balance = Number(value);
  }
  return out.earned === undefined && out.balance === undefined ? undefined : out;
}
