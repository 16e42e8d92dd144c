// Loyalty points: one per whole yuan, double on the birthday card, refunds and voids take them back.
import type { LedgerEntry } from './types';
import { entryPoints, pointsBalance, pointsField } from './points';

let seq = 0;
const entry = (over: Partial<LedgerEntry>): LedgerEntry => ({ id: String(++seq), kind: 'sale', amount: 1234, status: 'approved', ...over }) as LedgerEntry;

describe('loyalty points', () => {
  it('one point per whole yuan of approved sales and completions, double on the birthday card', () => {
    expect(entryPoints(entry({ amount: 1299 }), false)).toBe(12);
    expect(entryPoints(entry({ amount: 1299 }), true)).toBe(24);
    expect(entryPoints(entry({ amount: 99 }), false)).toBe(0);
    expect(entryPoints(entry({ kind: 'completion', amount: 500 }), false)).toBe(5);
    expect(entryPoints(entry({ kind: 'preauth', amount: 5000 }), false)).toBe(0);
    expect(entryPoints(entry({ status: 'declined' }), false)).toBe(0);
    expect(entryPoints(entry({ kind: 'refund', amount: 550 }), false)).toBe(-5);
  });

  it('field 48 carries what this answer changes and the balance after it', () => {
    const sale = entry({ amount: 1234 });
    expect(pointsField([], sale, [], false)).toBe('points=+12;points-balance=12');
    const second = entry({ amount: 5000 });
    expect(pointsField([sale], second, [], true)).toBe('points=+100;points-balance=124');
    const voidOf = entry({ kind: 'void', amount: 1234 });
    expect(pointsField([sale], voidOf, [{ ...sale, status: 'voided' }], false)).toBe('points=-12;points-balance=0');
    expect(pointsField([sale], entry({ kind: 'refund', amount: 600 }), [], false)).toBe('points=-6;points-balance=6');
    expect(pointsField([sale], entry({ kind: 'preauth' }), [], false)).toBeUndefined();
    expect(pointsBalance([sale, { ...second, status: 'reversed' }], false)).toBe(12);
  });
});
