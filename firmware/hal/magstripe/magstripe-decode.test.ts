// Unit tests for magstripe reader protocols: serial lines, per-track joining and MagTek-layout HID reports.
import { MAX_SWIPE_LINE, SwipeJoiner, SwipeLineFramer, swipeFromText } from './magstripe-decode';
import { MAGTEK_REPORT_SIZE, MagtekReportAssembler, decodeMagtekReport, encodeMagtekReport } from './magstripe-decode-magtek';

const T1 = '%B4761739001010010^CARDHOLDER/TEST^3012201000000000000000000000000?';
const T2 = ';4761739001010010=30122010000000000000?';
const CARD = {
  kind: 'card',
  card: { pan: '4761739001010010', expiry: '3012', serviceCode: '201', cardholderName: 'CARDHOLDER/TEST', track2: '4761739001010010=30122010000000000000' },
};
const bad = (reason: string) => ({ kind: 'bad-read', reason });

describe('swipeFromText', () => {
  it('parses both tracks as one line', () => expect(swipeFromText(T1 + T2)).toEqual(CARD));
  it('refuses non-printable characters and overlong lines', () => {
    expect(swipeFromText(T1 + '\x00' + T2)).toEqual(bad('swipe data contains non-printable characters'));
    expect(swipeFromText('9'.repeat(MAX_SWIPE_LINE + 1))).toEqual(bad('swipe data longer than 512 characters'));
  });
});

describe('SwipeJoiner', () => {
  it('joins a track 1 line with the track 2 line after it', () => {
    const j = new SwipeJoiner();
    expect(j.push(T1)).toEqual([]);
    expect(j.waiting).toBe(true);
    expect(j.push(T2)).toEqual([CARD]);
    expect(j.waiting).toBe(false);
  });
  it('reports a lone track 1 as a bad read when something else follows or on flush', () => {
    const j = new SwipeJoiner();
    j.push(T1);
    expect(j.push(T1 + T2)).toEqual([bad('track 2: no data (partial read)'), CARD]);
    j.push(T1);
    expect(j.flush()).toEqual([bad('track 2: no data (partial read)')]);
    expect(j.flush()).toEqual([]);
  });
  it('ignores empty lines', () => expect(new SwipeJoiner().push('')).toEqual([]));
});

describe('SwipeLineFramer', () => {
  it('splits on CR, ignores LF, across chunks', () => {
    const f = new SwipeLineFramer();
    expect(f.push(Buffer.from(T1.slice(0, 10)))).toEqual([]);
    expect(f.push(Buffer.from(T1.slice(10) + T2 + '\r\n;1\r'))).toEqual([
      { kind: 'line', line: T1 + T2 },
      { kind: 'line', line: ';1' },
    ]);
  });
  it('bounds a line and reports it once as a bad read', () => {
    const f = new SwipeLineFramer();
    expect(f.push(Buffer.alloc(5000, 0x39))).toEqual([]);
    expect(f.push(Buffer.from('\rOK\r'))).toEqual([
      { kind: 'swipe', swipe: bad('swipe data longer than 512 characters') },
      { kind: 'line', line: 'OK' },
    ]);
  });
});

describe('MagTek HID report', () => {
  it('has the documented layout', () => {
    const r = encodeMagtekReport({ track1: '%B1?', track2: ';12?' }, { errors: [3] });
    expect(r.length).toBe(MAGTEK_REPORT_SIZE);
    expect([...r.subarray(0, 7)]).toEqual([0, 0, 1, 4, 4, 0, 0]);
    expect(r.subarray(7, 11).toString()).toBe('%B1?');
    expect(r.subarray(117, 121).toString()).toBe(';12?');
  });
  it('decodes a good swipe, with or without track 1', () => {
    expect(decodeMagtekReport(encodeMagtekReport({ track1: T1, track2: T2 }))).toEqual(CARD);
    expect(decodeMagtekReport(encodeMagtekReport({ track2: T2 }, { errors: [1] }))).toMatchObject({ kind: 'card' });
  });
  it.each([
    ['track 2 error', encodeMagtekReport({ track1: T1, track2: T2 }, { errors: [2] }), 'track 2: reader reported a read error'],
    ['track 1 error with data', encodeMagtekReport({ track1: '%B47', track2: T2 }, { errors: [1] }), 'track 1: reader reported a read error'],
    ['no track 2', encodeMagtekReport({ track1: T1 }), 'track 2: no data (partial read)'],
    ['blank', encodeMagtekReport({}, { encodeType: 3 }), 'no card data (blank stripe)'],
    ['AAMVA', encodeMagtekReport({ track1: T1, track2: T2 }, { encodeType: 1 }), 'not a payment card (AAMVA encoding)'],
    ['short', Buffer.alloc(64), 'swipe report of 64 bytes (expected 337)'],
    ['bad header', Buffer.alloc(337, 0x41), 'swipe report header is not valid'],
    ['damaged track 2', encodeMagtekReport({ track2: ';4761739001010011=3012201?' }), 'track 2: PAN fails the Luhn check'],
  ])('%s is a bad read', (_n, report, reason) => {
    expect(decodeMagtekReport(report)).toEqual(bad(reason));
  });
  it('reassembles 64-byte pieces and skips pieces before a header', () => {
    const a = new MagtekReportAssembler();
    const whole = encodeMagtekReport({ track1: T1, track2: T2 });
    expect(a.push(Buffer.alloc(64, 0x41))).toEqual([]);
    const out = [];
    for (let off = 0; off < whole.length; off += 64) out.push(...a.push(whole.subarray(off, off + 64)));
    expect(out).toEqual([CARD]);
    expect(a.push(whole)).toEqual([CARD]);
  });
});
