// The ECR's view of a journal record and the canonical request hash behind idempotent references.
import type { TxnRecord } from '../journal/types';
import { requestHash } from './ecr-routes';
import { ecrState, ecrStatus, ecrView } from './view';
import { declineReason } from './decline-reasons';
import { transactionSchema } from './schemas';

const rec = (over: Partial<TxnRecord>): TxnRecord =>
  ({ id: '1', reference: 'R', type: 'sale', state: 'created', stan: '000001', batch: '000001', amount: 100, currency: 'CNY', reversal: null, createdAt: '2026-11-30T00:00:00.000Z', ...over }) as TxnRecord;

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

describe('ECR states and decline reasons', () => {
  it('says what a running transaction waits for, then repeats the final status', () => {
    const created = rec({ state: 'created' });
    expect(ecrState(created, 'present-card')).toBe('awaiting-card');
    expect(ecrState(created, 'enter-pin')).toBe('awaiting-pin');
    expect(ecrState(created, 'confirm-duplicate')).toBe('awaiting-confirmation');
    expect(ecrState(created, 'authorising')).toBe('authorising');
    expect(ecrState(created)).toBe('awaiting-card');
    expect(ecrState(rec({ state: 'created', original: { reference: 'O' } as TxnRecord['original'] }))).toBe('authorising');
    expect(ecrState(rec({ state: 'sending' }))).toBe('authorising');
    expect(ecrState(rec({ state: 'approved', wasApproved: true }), 'printing')).toBe('printing');
    expect(ecrState(rec({ state: 'completed', wasApproved: true }))).toBe('approved');
    expect(ecrState(rec({ state: 'cancelled' }), 'present-card')).toBe('cancelled');
    expect(ecrView(created, undefined, 'confirm-duplicate')).toMatchObject({ status: 'in-progress', state: 'awaiting-confirmation', confirmation: { reason: 'possible-duplicate' } });
    expect(ecrView(created, undefined, 'enter-pin').confirmation).toBeUndefined();
  });

  it('normalises declines beside the host code, only for declines', () => {
    expect(ecrView(rec({ state: 'completed', responseCode: '51' })).declineReason).toBe('insufficient-funds');
    expect(ecrView(rec({ state: 'declined', responseCode: '55' })).declineReason).toBe('wrong-pin');
    expect(ecrView(rec({ state: 'declined', responseCode: 'Q7' })).declineReason).toBe('other');
    expect(ecrView(rec({ state: 'completed', wasApproved: true, responseCode: '00' })).declineReason).toBeUndefined();
    expect(declineReason('54')).toBe('expired-card');
    expect(declineReason(undefined)).toBeUndefined();
  });

  it('gives balances in minor units beside the old text, and validates against the published schema', () => {
    const v = ecrView(rec({ type: 'balance', state: 'completed', wasApproved: true, balanceMinor: -1205 }));
    expect(v).toMatchObject({ balance: '-12.05', balanceMinor: -1205 });
    expect(transactionSchema.safeParse(v).success).toBe(true);
    expect(transactionSchema.safeParse(ecrView(rec({ state: 'declined', responseCode: '05' }), { merchant: 'M' })).success).toBe(true);
  });
});
