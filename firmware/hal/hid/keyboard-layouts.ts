// Keyboard-wedge layouts: HID keyboard usage IDs (HID Usage Tables, page 0x07) to characters for US, German and French.

export type LayoutName = 'us' | 'de' | 'fr';
export type Level = 'plain' | 'shift' | 'altgr';

/** What one key produces at each level. A dead key (accent) combines with the next key. */
export interface KeyEntry {
  plain?: string;
  shift?: string;
  altgr?: string;
  /** Levels at which this key is a dead key. */
  dead?: Level[];
}

export type Layout = ReadonlyMap<number, KeyEntry>;

/** Usages every layout shares. */
export const USAGE = {
  ENTER: 0x28,
  ESCAPE: 0x29,
  BACKSPACE: 0x2a,
  TAB: 0x2b,
  SPACE: 0x2c,
  KEYPAD_ENTER: 0x58,
  ERROR_ROLLOVER: 0x01,
} as const;

/** Modifier byte bits of a boot keyboard report. */
export const MOD = { LCTRL: 0x01, LSHIFT: 0x02, LALT: 0x04, LGUI: 0x08, RCTRL: 0x10, RSHIFT: 0x20, RALT: 0x40, RGUI: 0x80 } as const;

const LETTER_A = 0x04; // a..z are 0x04..0x1d
const DIGIT_1 = 0x1e; // 1..9, 0 are 0x1e..0x27

function base(letters: string, digitsPlain: string, digitsShift: string): Map<number, KeyEntry> {
  const m = new Map<number, KeyEntry>();
  for (let i = 0; i < 26; i++) {
    const c = letters[i] as string;
    m.set(LETTER_A + i, { plain: c, shift: c.toUpperCase() });
  }
  for (let i = 0; i < 10; i++) m.set(DIGIT_1 + i, { plain: digitsPlain[i], shift: digitsShift[i] });
  m.set(USAGE.SPACE, { plain: ' ', shift: ' ', altgr: ' ' });
  m.set(USAGE.TAB, { plain: '\t', shift: '\t' });
  // keypad with Num Lock on: / * - + 1..9 0 .
  m.set(0x54, { plain: '/', shift: '/' });
  m.set(0x55, { plain: '*', shift: '*' });
  m.set(0x56, { plain: '-', shift: '-' });
  m.set(0x57, { plain: '+', shift: '+' });
  for (let i = 0; i < 9; i++) m.set(0x59 + i, { plain: String(i + 1) });
  m.set(0x62, { plain: '0' });
  m.set(0x63, { plain: '.' });
  return m;
}

function set(m: Map<number, KeyEntry>, usage: number, entry: KeyEntry): void {
  m.set(usage, { ...m.get(usage), ...entry });
}

function us(): Layout {
  const m = base('abcdefghijklmnopqrstuvwxyz', '1234567890', '!@#$%^&*()');
  const punct: [number, string, string][] = [
    [0x2d, '-', '_'], [0x2e, '=', '+'], [0x2f, '[', '{'], [0x30, ']', '}'], [0x31, '\\', '|'], [0x32, '\\', '|'],
    [0x33, ';', ':'], [0x34, "'", '"'], [0x35, '`', '~'], [0x36, ',', '<'], [0x37, '.', '>'], [0x38, '/', '?'], [0x64, '\\', '|'],
  ];
  for (const [u, plain, shift] of punct) m.set(u, { plain, shift });
  return m;
}

/** German T1 (QWERTZ): y/z swapped, umlauts, ß, dead ^ ´ `, AltGr for @ € { [ ] } \ ~ |. */
function de(): Layout {
  const m = base('abcdefghijklmnopqrstuvwxzy', '1234567890', '!"§$%&/()=');
  const altgrDigits: Record<number, string> = { 1: '²', 2: '³', 6: '{', 7: '[', 8: ']', 9: '}' };
  for (const [i, c] of Object.entries(altgrDigits)) set(m, DIGIT_1 + Number(i), { altgr: c });
  set(m, 0x14, { altgr: '@' }); // q
  set(m, 0x08, { altgr: '€' }); // e
  set(m, 0x10, { altgr: 'µ' }); // m
  m.set(0x2d, { plain: 'ß', shift: '?', altgr: '\\' });
  m.set(0x2e, { plain: '´', shift: '`', dead: ['plain', 'shift'] });
  m.set(0x2f, { plain: 'ü', shift: 'Ü' });
  m.set(0x30, { plain: '+', shift: '*', altgr: '~' });
  m.set(0x31, { plain: '#', shift: "'" });
  m.set(0x32, { plain: '#', shift: "'" });
  m.set(0x33, { plain: 'ö', shift: 'Ö' });
  m.set(0x34, { plain: 'ä', shift: 'Ä' });
  m.set(0x35, { plain: '^', shift: '°', dead: ['plain'] });
  m.set(0x36, { plain: ',', shift: ';' });
  m.set(0x37, { plain: '.', shift: ':' });
  m.set(0x38, { plain: '-', shift: '_' });
  m.set(0x64, { plain: '<', shift: '>', altgr: '|' });
  m.set(0x63, { plain: ',' }); // keypad decimal separator
  return m;
}

/** French AZERTY: a/q and z/w swapped, m on the ; key, digits need Shift, AltGr for ~ # { [ | ` \ ^ @ ] }. */
function fr(): Layout {
  const m = base('qbcdefghijkl,noparstuvzxyw', '&é"\'(-è_çà', '1234567890');
  m.set(0x10, { plain: ',', shift: '?' }); // the US "m" key
  const altgrDigits: Record<number, string> = { 1: '~', 2: '#', 3: '{', 4: '[', 5: '|', 6: '`', 7: '\\', 8: '^', 9: '@' };
  for (const [i, c] of Object.entries(altgrDigits)) set(m, DIGIT_1 + Number(i), { altgr: c });
  set(m, DIGIT_1 + 1, { dead: ['altgr'] }); // AltGr+2: dead ~
  set(m, DIGIT_1 + 6, { dead: ['altgr'] }); // AltGr+7: dead `
  set(m, 0x08, { altgr: '€' }); // e
  m.set(0x2d, { plain: ')', shift: '°', altgr: ']' });
  m.set(0x2e, { plain: '=', shift: '+', altgr: '}' });
  m.set(0x2f, { plain: '^', shift: '¨', dead: ['plain', 'shift'] });
  m.set(0x30, { plain: '$', shift: '£', altgr: '¤' });
  m.set(0x31, { plain: '*', shift: 'µ' });
  m.set(0x32, { plain: '*', shift: 'µ' });
  m.set(0x33, { plain: 'm', shift: 'M' });
  m.set(0x34, { plain: 'ù', shift: '%' });
  m.set(0x35, { plain: '²' });
  m.set(0x36, { plain: ';', shift: '.' });
  m.set(0x37, { plain: ':', shift: '/' });
  m.set(0x38, { plain: '!', shift: '§' });
  m.set(0x64, { plain: '<', shift: '>' });
  return m;
}

export const LAYOUTS: Record<LayoutName, Layout> = { us: us(), de: de(), fr: fr() };

/** The layout by name. @throws Error naming the accepted layouts. */
export function getLayout(name: string): Layout {
  const layout = (LAYOUTS as Record<string, Layout>)[name];
  if (!layout) throw new Error(`keyboard layout: expected one of ${Object.keys(LAYOUTS).join(', ')}, got ${JSON.stringify(name)}`);
  return layout;
}

/** Combining marks for the dead keys above; NFC composes accent + letter where Unicode has a precomposed form. */
const COMBINING: Record<string, string> = { '^': '\u0302', '´': '\u0301', '`': '\u0300', '~': '\u0303', '¨': '\u0308' };

/** What a dead key followed by `next` types: the accent alone before a space, a composed letter, or both characters. */
export function composeDead(accent: string, next: string): string {
  if (next === ' ') return accent;
  const mark = COMBINING[accent];
  if (mark) {
    const composed = (next + mark).normalize('NFC');
    if (composed.length === 1) return composed;
  }
  return accent + next;
}
