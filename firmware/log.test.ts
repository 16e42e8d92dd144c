// Redaction: a transaction-shaped object logged through pino leaves no card data in the output.
import { Writable } from 'node:stream';
import { createLogger, maskPan, redact, scrubText } from './log';

const PAN = '4761739001010010';
const TRACK2 = '4761739001010010=30122010000000000000';
const TRACK1 = '%B4761739001010010^TEST/CARDHOLDER^3012201000000000000000000000000?';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { log: createLogger({ level: 'debug', destination: stream }), text: () => lines.join('') };
}

describe('log redaction', () => {
  it('masks PANs to first 6 / last 4', () => {
    expect(maskPan(PAN)).toBe('476173******0010');
    expect(maskPan('6212345678901234567')).toBe('621234*********4567');
  });

  it('keeps no PAN, track, PIN block, KSN key material or password out of a logged transaction', () => {
    const { log, text } = capture();
    const child = log.child({ ns: 'flows.sale' });
    child.info(
      {
        txn: {
          reference: 'ECR-1',
          amount: 12345,
          card: { pan: PAN, expiry: '3012', serviceCode: '201', track2: TRACK2, cardholderName: 'TEST/CARDHOLDER' },
          pin: { pinBlock: Buffer.from('0123456789ABCDEF', 'hex'), ksn: 'FFFF9876543210E00001' },
          iso: { fields: { 2: PAN, 35: TRACK2, 52: 'A1B2C3D4E5F60718' } },
          cvv: '123',
          note: `customer swiped ${TRACK1} then ;${TRACK2}?`,
        },
        keys: { bdk: '0123456789ABCDEFFEDCBA9876543210', initialKey: '6AC292FAA1315B4D858AB3A3D7D5933A' },
        supervisorPassword: '123456',
      },
      `sale for card ${PAN}`,
    );
    child.error(new Error(`declined card ${PAN}`));
    const out = text();
    expect(out).not.toContain(PAN);
    expect(out).not.toContain('30122010000000000000');
    expect(out).not.toContain('0123456789ABCDEF');
    expect(out).not.toContain('A1B2C3D4E5F60718');
    expect(out).not.toContain('6AC292FAA1315B4D858AB3A3D7D5933A');
    expect(out).not.toContain('0123456789ABCDEFFEDCBA9876543210');
    expect(out).not.toContain('"123456"');
    expect(out).not.toContain('"cvv":"123"');
    expect(out).toContain('476173******0010');
    expect(out).toContain('ECR-1');
    expect(out).toContain('flows.sale');
  });

  it('scrubs PAN-like digit runs and track-like strings from free text', () => {
    expect(scrubText(`pan ${PAN} end`)).toBe('pan 476173******0010 end');
    expect(scrubText(TRACK1)).not.toContain('4761739001010010');
    expect(scrubText(`;${TRACK2}?`)).not.toContain('30122010000000000000');
  });

  it('leaves ordinary values alone', () => {
    expect(redact({ amount: 100, stan: '000123', rrn: '123456789012', status: 'approved' })).toEqual({ amount: 100, stan: '000123', rrn: '123456789012', status: 'approved' });
  });
});
