// The ECR's view of a journal record and the canonical request hash behind idempotent references.
import type { TxnRecord } from '../journal/types';
import { requestHash } from './ecr-routes';
import { ecrStatus, ecrView } from './view';

const rec = (over: Partial<TxnRecord>): TxnRecord =>
  ({ id: '1', reference: 'R', type: 'sale', state: 'created', stan: '000001', batch: '000001', amount: 100, currency: 'CNY', reversal: null, ...over }) as TxnRecord;

describe('ecr view', () => {
  it('maps every journal state to what the ECR acts on', () => {
    expect(ecrStatus(rec({ state: 'created' }))).toBe('in-progress');
    expect(ecrStatus(rec({ state: 'sending' }))).toBe('in-progress');
    expect(ecrStatus(rec({ state: 'completed', wasApproved: true }))).toBe('approved');
    expect(ecrStatus(rec({ state: 'completed', wasApproved: true, voidedBy: '2' }))).toBe('voided');
    expect(ecrStatus(rec({ state: 'completed' }))).toBe('declined');
    expect(ecrStatus(rec({ state: 'declined' }))).toBe('declined');
    expect(ecrStatus(rec({ state: 'reversal-pending' }))).toBe('failed');
    expect(ecrStatus(rec({ state: 'reversed', wasApproved: true }))).toBe('reversed');
    expect(ecrStatus(rec({ state: 'failed' }))).toBe('failed');
    expect(ecrStatus(rec({ state: 'cancelled' }))).toBe('cancelled');
  });

  it('carries the balance, the original and the reason only when there are any; never the sealed card data', () => {
    const v = ecrView(rec({ type: 'balance', state: 'completed', wasApproved: true, balanceMinor: 99998766, sealed: 'SECRET', cardTag: 'TAG' }));
    expect(v.balance).toBe('999987.66');
    expect(JSON.stringify(v)).not.toMatch(/SECRET|TAG/);
    expect(ecrView(rec({ state: 'cancelled', reason: 'timeout' }))).toMatchObject({ status: 'cancelled', reason: 'timeout' });
    expect(ecrView(rec({ original: { reference: 'O-1' } as TxnRecord['original'] })).original).toBe('O-1');
    expect(Object.keys(ecrView(rec({})))).not.toContain('balance');
  });
});

describe('requestHash', () => {
  it('is independent of key order and of wait, and changes with anything the ECR asked for', () => {
    const a = requestHash({ reference: 'R', type: 'refund', amount: 5, original: { reference: 'O', stan: '1' }, wait: 3 });
    const b = requestHash({ original: { stan: '1', reference: 'O' }, amount: 5, type: 'refund', reference: 'R' });
    expect(a).toBe(b);
    expect(requestHash({ reference: 'R', type: 'refund', amount: 6, original: { reference: 'O', stan: '1' } })).not.toBe(a);
  });
});
