// Unit tests for ISO 7813 track parsing: valid swipes and each kind of damage.
import { luhnValid, parseSwipe, parseTrack1, parseTrack2, parseTracks, splitTracks, trackLrc, TrackError } from './track';

const T2 = ';4111111111111111=25121010000000000?';
const T1 = '%B4111111111111111^DOE/JOHN^25121010000000000000?';
// LRCs computed independently (XOR of the 4-bit / 6-bit character values, sentinels included).
const T2_LRC = '8';
const T1_LRC = ';';

function reason(tracks: { track1?: string; track2?: string }): string {
  const ev = parseSwipe(tracks);
  if (ev.kind !== 'bad-read') throw new Error('expected a bad read');
  return ev.reason;
}

describe('luhnValid', () => {
  it.each(['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '79927398713'])('accepts %s', (pan) => {
    expect(luhnValid(pan)).toBe(true);
  });
  it.each(['4111111111111112', '79927398710', '41111111a1111111', ''])('refuses %p', (pan) => {
    expect(luhnValid(pan)).toBe(false);
  });
});

describe('trackLrc', () => {
  it('matches independently computed LRCs', () => {
    expect(trackLrc(T2, 2)).toBe(T2_LRC);
    expect(trackLrc(';5555555555554444=30122010000000000?', 2)).toBe(':');
    expect(trackLrc(T1, 1)).toBe(T1_LRC);
  });
});

describe('parseTrack2', () => {
  const expected = {
    pan: '4111111111111111',
    expiry: '2512',
    serviceCode: '101',
    discretionary: '0000000000',
    track2: '4111111111111111=25121010000000000',
  };
  it('parses a sentinelled track', () => expect(parseTrack2(T2)).toEqual(expected));
  it('parses without sentinels', () => expect(parseTrack2('4111111111111111=25121010000000000')).toEqual(expected));
  it('parses with a correct LRC', () => expect(parseTrack2(T2 + T2_LRC)).toEqual(expected));
  it('accepts D as separator and drops an F pad', () => {
    expect(parseTrack2('4111111111111111D25121010000000000F')).toEqual(expected);
  });
  it('ignores a trailing CR/LF', () => expect(parseTrack2(T2 + '\r\n').pan).toBe('4111111111111111'));
  it('accepts a 12-digit and a 19-digit PAN', () => {
    expect(parseTrack2(';123456789015=2512101?').pan).toBe('123456789015');
    expect(parseTrack2(';4000000000000000006=2512101?').pan).toBe('4000000000000000006');
  });
  it('keeps empty discretionary data', () => {
    expect(parseTrack2(';4111111111111111=2512101?')).toMatchObject({ discretionary: '', track2: '4111111111111111=2512101' });
  });

  const damaged: [string, string, string][] = [
    ['wrong LRC', T2 + '9', 'track 2: LRC mismatch'],
    ['missing end sentinel', ';4111111111111111=25121010000000000', 'track 2: end sentinel missing (partial read)'],
    ['missing start sentinel', '4111111111111111=25121010000000000?', 'track 2: start sentinel missing (partial read)'],
    ['garbage after end', T2 + 'xyz', 'track 2: data after the end sentinel'],
    ['no separator', ';411111111111111125121010000000000?', 'track 2: field separator missing'],
    ['Luhn failure', ';4111111111111112=25121010000000000?', 'track 2: PAN fails the Luhn check'],
    ['short PAN', ';41111111113=2512101?', 'track 2: PAN length 11 outside 12-19'],
    ['long PAN', ';41111111111111111113=2512101?', 'track 2: PAN length 20 outside 12-19'],
    ['non-numeric PAN', ';41111111111A1111=2512101?', 'track 2: PAN is not numeric'],
    ['month 13', ';4111111111111111=25131010000000000?', 'track 2: expiry month out of range'],
    ['month 00', ';4111111111111111=25001010000000000?', 'track 2: expiry month out of range'],
    ['truncated expiry', ';4111111111111111=251?', 'track 2: expiry date missing'],
    ['truncated service code', ';4111111111111111=251210?', 'track 2: service code missing'],
    ['non-numeric discretionary', ';4111111111111111=2512101000:000?', 'track 2: discretionary data is not numeric'],
    ['empty', '', 'track 2: empty read'],
    ['reader error marker', ';E?', 'track 2: reader reported a read error'],
    ['overlong', ';4111111111111111=2512101' + '0'.repeat(20) + '?', 'track 2: longer than ISO 7813 allows'],
  ];
  it.each(damaged)('refuses %s', (_name, raw, message) => {
    expect(() => parseTrack2(raw)).toThrow(new TrackError(message));
  });
  it('throws TypeError for a non-string', () => {
    expect(() => parseTrack2(42 as unknown as string)).toThrow(TypeError);
  });
});

describe('parseTrack1', () => {
  it('parses format B', () => {
    expect(parseTrack1(T1)).toEqual({
      formatCode: 'B',
      pan: '4111111111111111',
      name: 'DOE/JOHN',
      expiry: '2512',
      serviceCode: '101',
      discretionary: '0000000000000',
    });
  });
  it('trims trailing name padding and checks the LRC', () => {
    const t = '%B4111111111111111^DOE/JOHN        ^2512101?';
    expect(parseTrack1(t + trackLrc(t, 1)).name).toBe('DOE/JOHN');
  });
  const damaged: [string, string, string][] = [
    ['wrong LRC', T1 + 'A', 'track 1: LRC mismatch'],
    ['format code A', '%A4111111111111111^DOE/JOHN^2512101?', 'track 1: format code is not B'],
    ['one separator', '%B4111111111111111^DOE/JOHN2512101?', 'track 1: expected two ^ field separators'],
    ['Luhn failure', '%B4111111111111121^DOE/JOHN^2512101?', 'track 1: PAN fails the Luhn check'],
    ['one-letter name', '%B4111111111111111^D^2512101?', 'track 1: name field length outside 2-26'],
    ['lower case (not 6-bit)', '%B4111111111111111^doe/john^2512101?', 'track 1: characters outside the ISO 7811 6-bit set'],
    ['missing end sentinel', '%B4111111111111111^DOE/JOHN^2512', 'track 1: end sentinel missing (partial read)'],
    ['bad expiry month', '%B4111111111111111^DOE/JOHN^2599101?', 'track 1: expiry month out of range'],
    ['reader error marker', '%E?', 'track 1: reader reported a read error'],
  ];
  it.each(damaged)('refuses %s', (_name, raw, message) => {
    expect(() => parseTrack1(raw)).toThrow(new TrackError(message));
  });
});

describe('splitTracks', () => {
  it('splits a keyboard-wedge swipe with CR', () => {
    expect(splitTracks(`${T1}${T2}\r`)).toEqual({ track1: T1, track2: T2 });
  });
  it('keeps LRCs with their tracks, including an LRC equal to ;', () => {
    expect(splitTracks(T1 + T1_LRC + T2 + T2_LRC)).toEqual({ track1: T1 + T1_LRC, track2: T2 + T2_LRC });
  });
  it('takes a third track as track 3', () => {
    expect(splitTracks(`${T1}${T2};011234567890?`)).toEqual({ track1: T1, track2: T2, track3: ';011234567890?' });
  });
  it('cuts a partial track at the next start sentinel', () => {
    expect(splitTracks('%B4111111111111111^DOE/JO' + T2)).toEqual({ track1: '%B4111111111111111^DOE/JO', track2: T2 });
  });
  it('classifies unsentinelled text', () => {
    expect(splitTracks('4111111111111111=2512101')).toEqual({ track2: '4111111111111111=2512101' });
    expect(splitTracks('B4111111111111111^DOE/JOHN^2512101')).toEqual({ track1: 'B4111111111111111^DOE/JOHN^2512101' });
  });
  it('returns nothing for an empty string', () => expect(splitTracks('\r\n')).toEqual({}));
});

describe('parseSwipe', () => {
  it('returns the card from both tracks', () => {
    expect(parseSwipe({ track1: T1, track2: T2 })).toEqual({
      kind: 'card',
      card: {
        pan: '4111111111111111',
        expiry: '2512',
        serviceCode: '101',
        cardholderName: 'DOE/JOHN',
        track2: '4111111111111111=25121010000000000',
      },
    });
  });
  it('returns the card from track 2 alone, without a name', () => {
    const ev = parseSwipe({ track2: T2 });
    expect(ev).toEqual({ kind: 'card', card: { pan: '4111111111111111', expiry: '2512', serviceCode: '101', track2: '4111111111111111=25121010000000000' } });
  });
  it('refuses tracks whose PANs differ', () => {
    expect(reason({ track1: '%B5555555555554444^DOE/JOHN^2512101?', track2: T2 })).toBe('track 1 and track 2 PANs differ');
  });
  it('refuses tracks whose expiry differs', () => {
    expect(reason({ track1: '%B4111111111111111^DOE/JOHN^2612101?', track2: T2 })).toBe('track 1 and track 2 expiry or service code differ');
  });
  it('refuses a damaged track 1 next to a good track 2', () => {
    expect(reason({ track1: '%B4111111111111111^DOE/JO', track2: T2 })).toBe('track 1: end sentinel missing (partial read)');
  });
  it('refuses track 1 alone', () => expect(reason({ track1: T1 })).toBe('track 2: no data (partial read)'));
  it('refuses an empty swipe', () => expect(reason({})).toBe('no track data'));
  it('never puts card data in a reason', () => {
    const r = reason({ track2: ';4111111111111112=25121010000000000?' });
    expect(r).not.toMatch(/\d{6}/);
  });
  it('parseTracks throws the TrackError and TypeError for bad arguments', () => {
    expect(() => parseTracks({ track2: ';E?' })).toThrow(TrackError);
    expect(() => parseSwipe(null as unknown as object)).toThrow(TypeError);
  });
});
