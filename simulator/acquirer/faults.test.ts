// Unit tests of fault decisions: seeded reproducibility, precedence, onlyMti, validation.
import { Faults, faultConfigSchema } from './faults';
import { mulberry32 } from '../../firmware/common/prng';

test('mulberry32 is deterministic per seed and in [0, 1)', () => {
  const a = mulberry32(1);
  const b = mulberry32(1);
  const xs = Array.from({ length: 5 }, () => a());
  expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
  for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  expect(mulberry32(2)()).not.toBe(xs[0]);
});

test('the same seed gives the same decisions; set() restarts the sequence', () => {
  const faults = new Faults();
  const run = () => {
    faults.set({ seed: 77, dropRequest: 0.3, dropResponse: 0.3, garbleReply: 0.3, delayResponse: 0.5, delayMs: 10 });
    return Array.from({ length: 30 }, (_, i) => faults.decide('0200', String(i).padStart(6, '0')));
  };
  const first = run();
  expect(run()).toEqual(first);
  expect(first.some((d) => d.dropRequest)).toBe(true);
  expect(first.some((d) => !d.dropRequest && !d.dropResponse)).toBe(true);
});

test('precedence: a dropped request has no answer faults; a dropped response has no delay or disconnect', () => {
  const faults = new Faults();
  faults.set({ seed: 1, dropRequest: 1, dropResponse: 1, disconnectMidReply: 1, garbleReply: 1, delayResponse: 1, delayMs: 5, forceResponseCode: { code: '91', probability: 1 } });
  expect(faults.decide('0200', '000001')).toEqual({ dropRequest: true, forceCode: undefined, dropResponse: false, disconnectMidReply: false, garbleReply: false, delayMs: 0 });
  faults.set({ seed: 1, dropResponse: 1, disconnectMidReply: 1, delayResponse: 1 });
  expect(faults.decide('0200', '000002')).toMatchObject({ dropResponse: true, disconnectMidReply: false, delayMs: 0 });
  faults.set({ seed: 1, delayResponse: 1 });
  expect(faults.decide('0200', '000003').delayMs).toBe(2000);
});

test('onlyMti: other MTIs draw nothing, so they do not shift the schedule', () => {
  const a = new Faults();
  const b = new Faults();
  a.set({ seed: 5, dropRequest: 0.5, onlyMti: ['0200'] });
  b.set({ seed: 5, dropRequest: 0.5, onlyMti: ['0200'] });
  const seqA = [0, 1, 2, 3, 4, 5].map(() => a.decide('0200', '000001').dropRequest);
  const seqB = [0, 1, 2, 3, 4, 5].map(() => (b.decide('0800', '000009'), b.decide('0200', '000001').dropRequest));
  expect(seqB).toEqual(seqA);
  expect(b.view().history.every((e) => e.mti === '0200')).toBe(true);
});

test('clear() turns everything off; view() reports config, seed and history', () => {
  const faults = new Faults();
  faults.set({ seed: 3, forceResponseCode: { code: '05', probability: 1 } });
  expect(faults.decide('0100', '000123').forceCode).toBe('05');
  expect(faults.view()).toMatchObject({ active: true, seed: 3, decided: 1, history: [{ n: 1, mti: '0100', stan: '000123', faults: ['forceResponseCode:05'] }] });
  faults.clear();
  expect(faults.view().active).toBe(false);
  expect(faults.decide('0100', '000124').forceCode).toBeUndefined();
});

test('schema refuses unknown fields, probabilities outside 0..1, bad codes and MTIs', () => {
  expect(faultConfigSchema.safeParse({ dropRequest: 1.01 }).success).toBe(false);
  expect(faultConfigSchema.safeParse({ drop: 1 }).success).toBe(false);
  expect(faultConfigSchema.safeParse({ forceResponseCode: { code: '5', probability: 1 } }).success).toBe(false);
  expect(faultConfigSchema.safeParse({ onlyMti: ['02000'] }).success).toBe(false);
  expect(faultConfigSchema.safeParse({ seed: -1 }).success).toBe(false);
  expect(faultConfigSchema.safeParse({ seed: 1, dropRequest: 0, delayMs: 600, onlyMti: ['0200', '0400'] }).success).toBe(true);
});
