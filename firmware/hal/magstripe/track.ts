// ISO/IEC 7813 magnetic-stripe track parsing: track 1 and 2 strings in, a validated card or a "swipe again" reason out.
import type { SwipedCard, SwipeEvent } from './magstripe';

/** Why a track was refused. `message` never contains card data, so it is safe to log and show. */
export class TrackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrackError';
  }
}

/** Parsed track 2 (ISO 7813: `;` PAN `=` YYMM SSS discretionary `?` [LRC]). */
export interface Track2 {
  pan: string;
  expiry: string;
  serviceCode: string;
  discretionary: string;
  /** Normalised track 2 equivalent data: PAN=YYMMSSS+discretionary, no sentinels, no LRC, separator `=`. */
  track2: string;
}

/** Parsed track 1 format B (ISO 7813: `%B` PAN `^` NAME `^` YYMM SSS discretionary `?` [LRC]). */
export interface Track1 {
  formatCode: 'B';
  pan: string;
  /** Name field as encoded (SURNAME/GIVEN...), trailing spaces removed. */
  name: string;
  expiry: string;
  serviceCode: string;
  discretionary: string;
}

export interface ParsedTracks {
  card: SwipedCard;
}

/** ISO 7813 maximum characters per track, sentinels and LRC included. */
export const TRACK1_MAX = 79;
export const TRACK2_MAX = 40;

/** A card is valid through the last day of its expiry month (YYMM, years 20YY). Invalid months count as expired. */
export function isExpired(expiry: string, now: Date): boolean {
  if (!/^\d{4}$/.test(expiry)) return true;
  const year = 2000 + Number(expiry.slice(0, 2));
  const month = Number(expiry.slice(2, 4));
  if (month < 1 || month > 12) return true;
  return year * 12 + (month - 1) < now.getFullYear() * 12 + now.getMonth();
}

/** Luhn (mod 10) check over a digit string; false for anything that is not all digits. */
export function luhnValid(pan: string): boolean {
  if (!/^\d+$/.test(pan)) return false;
  let sum = 0;
  for (let i = 0; i < pan.length; i++) {
    let d = pan.charCodeAt(pan.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Longitudinal redundancy check character for a track (sentinels included), as the encoder writes it after the
 * end sentinel: XOR of the character values (track 1: ASCII - 0x20, 6 bits; track 2: ASCII - 0x30, 4 bits).
 */
export function trackLrc(track: string, kind: 1 | 2): string {
  const base = kind === 1 ? 0x20 : 0x30;
  let x = 0;
  for (const ch of track) x ^= ch.charCodeAt(0) - base;
  return String.fromCharCode(base + (x & (kind === 1 ? 0x3f : 0x0f)));
}

/** Splits off sentinels and checks an LRC character if one follows the end sentinel. */
function unwrap(raw: string, kind: 1 | 2): string {
  const start = kind === 1 ? '%' : ';';
  const label = `track ${kind}`;
  let s = raw.replace(/[\r\n]+$/, '');
  if (s.length === 0) throw new TrackError(`${label}: empty read`);
  if (s.length > (kind === 1 ? TRACK1_MAX : TRACK2_MAX)) throw new TrackError(`${label}: longer than ISO 7813 allows`);
  const hasStart = s.startsWith(start);
  const end = s.indexOf('?');
  if (hasStart && end < 0) throw new TrackError(`${label}: end sentinel missing (partial read)`);
  if (!hasStart && end >= 0) throw new TrackError(`${label}: start sentinel missing (partial read)`);
  if (end >= 0) {
    const after = s.slice(end + 1);
    if (after.length > 1) throw new TrackError(`${label}: data after the end sentinel`);
    if (after.length === 1 && trackLrc(s.slice(0, end + 1), kind) !== after) throw new TrackError(`${label}: LRC mismatch`);
    s = s.slice(1, end);
  }
  if (s === 'E') throw new TrackError(`${label}: reader reported a read error`);
  return s;
}

function checkPan(pan: string, label: string): void {
  if (!/^\d+$/.test(pan)) throw new TrackError(`${label}: PAN is not numeric`);
  if (pan.length < 12 || pan.length > 19) throw new TrackError(`${label}: PAN length ${pan.length} outside 12-19`);
  if (!luhnValid(pan)) throw new TrackError(`${label}: PAN fails the Luhn check`);
}

/** Expiry YYMM then a three-digit service code, at the start of `rest`. */
function expiryAndService(rest: string, label: string): { expiry: string; serviceCode: string; discretionary: string } {
  if (!/^\d{4}/.test(rest)) throw new TrackError(`${label}: expiry date missing`);
  const expiry = rest.slice(0, 4);
  const month = Number(expiry.slice(2));
  if (month < 1 || month > 12) throw new TrackError(`${label}: expiry month out of range`);
  if (!/^\d{3}$/.test(rest.slice(4, 7))) throw new TrackError(`${label}: service code missing`);
  return { expiry, serviceCode: rest.slice(4, 7), discretionary: rest.slice(7) };
}

/**
 * Parses track 2, with or without `;` `?` sentinels and an optional LRC after `?` (checked when present).
 * Also accepts track 2 equivalent data with `D` as separator and a trailing `F` pad (EMV tag 57 style).
 * @throws TrackError with a reason that contains no card data.
 */
export function parseTrack2(raw: string): Track2 {
  if (typeof raw !== 'string') throw new TypeError('parseTrack2: expected a string');
  let s = unwrap(raw, 2);
  const sep = s.search(/[=D]/);
  if (sep < 0) throw new TrackError('track 2: field separator missing');
  if (s[sep] === 'D') s = s.replace(/F$/, '');
  const pan = s.slice(0, sep);
  checkPan(pan, 'track 2');
  const fields = expiryAndService(s.slice(sep + 1), 'track 2');
  if (!/^\d*$/.test(fields.discretionary)) throw new TrackError('track 2: discretionary data is not numeric');
  return { pan, ...fields, track2: `${pan}=${fields.expiry}${fields.serviceCode}${fields.discretionary}` };
}

/**
 * Parses track 1 format B, with or without `%` `?` sentinels and an optional LRC after `?` (checked when present).
 * @throws TrackError with a reason that contains no card data.
 */
export function parseTrack1(raw: string): Track1 {
  if (typeof raw !== 'string') throw new TypeError('parseTrack1: expected a string');
  const s = unwrap(raw, 1);
  if (!/^[\x20-\x5f]*$/.test(s)) throw new TrackError('track 1: characters outside the ISO 7811 6-bit set');
  if (s[0] !== 'B') throw new TrackError('track 1: format code is not B');
  const parts = s.slice(1).split('^');
  if (parts.length !== 3) throw new TrackError('track 1: expected two ^ field separators');
  const [pan, rawName, rest] = parts as [string, string, string];
  checkPan(pan, 'track 1');
  const name = rawName.replace(/ +$/, '');
  if (rawName.length < 2 || rawName.length > 26) throw new TrackError('track 1: name field length outside 2-26');
  return { formatCode: 'B', pan, name, ...expiryAndService(rest, 'track 1') };
}

/**
 * Splits what a keyboard-wedge reader types for one swipe (`%B...?;...?`, maybe `;track3?`, CR/LF) into tracks.
 * A track runs from its start sentinel to the first `?` (plus one LRC character unless that character starts the
 * next track), or up to the next start sentinel when `?` is missing (a partial read, which parseTrack* refuses).
 * Text without sentinels counts as track 1 when it holds `^`, else as track 2.
 */
export function splitTracks(raw: string): { track1?: string; track2?: string; track3?: string } {
  if (typeof raw !== 'string') throw new TypeError('splitTracks: expected a string');
  const s = raw.replace(/[\r\n]+/g, '');
  const out: { track1?: string; track2?: string; track3?: string } = {};
  const isStart = (c: string | undefined) => c === '%' || c === ';';
  let i = 0;
  for (let guard = 0; i < s.length && guard < 16; guard++) {
    let j = i + 1;
    while (j < s.length && s[j] !== '?' && !isStart(s[j])) j++;
    if (s[j] === '?') {
      j++;
      // an LRC equal to ';' is recognised only when another ';' follows it
      if (j < s.length && (!isStart(s[j]) || (s[j] === ';' && s[j + 1] === ';'))) j++;
    }
    const track = s.slice(i, j);
    if (track[0] === '%' || (track[0] !== ';' && track.includes('^'))) out.track1 ??= track;
    else if (out.track2 === undefined) out.track2 = track;
    else out.track3 ??= track;
    i = j;
  }
  return out;
}

/**
 * One swipe to one event: a card when track 2 (and track 1, if present) parse and agree, else a bad read.
 * Strict on purpose: a damaged track 1 next to a good track 2 is still a bad read (partial swipe).
 */
export function parseSwipe(tracks: { track1?: string; track2?: string }): SwipeEvent {
  try {
    return { kind: 'card', card: parseTracks(tracks).card };
  } catch (err) {
    if (err instanceof TrackError) return { kind: 'bad-read', reason: err.message };
    throw err;
  }
}

/** Like parseSwipe but throws TrackError instead of returning a bad read. */
export function parseTracks(tracks: { track1?: string; track2?: string }): ParsedTracks {
  if (tracks === null || typeof tracks !== 'object') throw new TypeError('parseSwipe: expected { track1?, track2? }');
  const t1raw = tracks.track1 ?? '';
  const t2raw = tracks.track2 ?? '';
  if (t2raw === '') throw new TrackError(t1raw === '' ? 'no track data' : 'track 2: no data (partial read)');
  const t2 = parseTrack2(t2raw);
  const card: SwipedCard = { pan: t2.pan, expiry: t2.expiry, serviceCode: t2.serviceCode, track2: t2.track2 };
  if (t1raw !== '') {
    const t1 = parseTrack1(t1raw);
    if (t1.pan !== t2.pan) throw new TrackError('track 1 and track 2 PANs differ');
    if (t1.expiry !== t2.expiry || t1.serviceCode !== t2.serviceCode) throw new TrackError('track 1 and track 2 expiry or service code differ');
    if (t1.name !== '') card.cardholderName = t1.name;
  }
  return { card };
}
