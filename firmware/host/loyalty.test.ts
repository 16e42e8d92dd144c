// Field 48 loyalty points: earned (signed) and balance; other keys and junk ignored.
import { parsePoints } from './loyalty';

describe('parsePoints', () => {
  it('reads earned and balance, signed', () => {
    expect(parsePoints('points=+12;points-balance=345')).toEqual({ earned: 12, balance: 345 });
    expect(parsePoints('points=-6;points-balance=6')).toEqual({ earned: -6, balance: 6 });
    expect(parsePoints('points-balance=7')).toEqual({ balance: 7 });
  });

  it('ignores what is not points', () => {
    expect(parsePoints(undefined)).toBeUndefined();
    expect(parsePoints('status=approved')).toBeUndefined();
    expect(parsePoints('points=lots;points-balance=')).toBeUndefined();
    expect(parsePoints('status=approved;points=+1')).toEqual({ earned: 1 });
  });
});
