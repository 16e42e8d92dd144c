// Unit tests for keyboard-wedge layouts: exact boot reports per layout, dead keys, AltGr, Ctrl controls, round trips.
import { KeyboardDecoder, WedgeLineAssembler, type KeyEvent } from './keyboard-decoder';
import { encodeText } from './keyboard-encoder';
import { composeDead, getLayout, type LayoutName } from './keyboard-layouts';

const rep = (mods: number, ...keys: number[]) => Buffer.from([mods, 0, ...keys, ...Array(6 - keys.length).fill(0)]);
const UP = rep(0);
const hexes = (bufs: Buffer[]) => bufs.map((b) => b.toString('hex'));

function typed(layout: LayoutName, reports: Buffer[]): string {
  const d = new KeyboardDecoder(layout);
  return reports
    .flatMap((r) => d.push(r))
    .map((e: KeyEvent) => (e.kind === 'text' ? e.text : e.kind === 'enter' ? '\n' : `<${e.detail}>`))
    .join('');
}

describe('encodeText exact reports', () => {
  it.each<[LayoutName, string, Buffer[]]>([
    ['us', 'A', [rep(0x02, 0x04), UP]],
    ['us', '1]', [rep(0, 0x1e), UP, rep(0, 0x30), UP]],
    ['us', '\x1d', [rep(0x01, 0x30), UP]],
    ['us', '\n', [rep(0, 0x28), UP]],
    ['de', 'zy', [rep(0, 0x1c), UP, rep(0, 0x1d), UP]],
    ['de', '@', [rep(0x40, 0x14), UP]],
    ['de', '^', [rep(0, 0x35), UP, rep(0, 0x2c), UP]],
    ['de', '?=', [rep(0x02, 0x2d), UP, rep(0x02, 0x27), UP]],
    ['de', 'ü', [rep(0, 0x2f), UP]],
    ['fr', '1', [rep(0x02, 0x1e), UP]],
    ['fr', 'aqm', [rep(0, 0x14), UP, rep(0, 0x04), UP, rep(0, 0x33), UP]],
    ['fr', '?', [rep(0x02, 0x10), UP]],
    ['fr', '^', [rep(0x40, 0x26), UP]],
    ['fr', 'é', [rep(0, 0x1f), UP]],
    ['fr', '\x1d', [rep(0x41, 0x2d), UP]],
  ])('%s %j', (layout, text, reports) => {
    expect(hexes(encodeText(text, layout))).toEqual(hexes(reports));
  });
  it('throws for a character the layout cannot type', () => {
    expect(() => encodeText('ü', 'us')).toThrow('cannot type "ü" on layout us');
  });
});

describe('KeyboardDecoder', () => {
  it('types each key once, on press, and handles several keys in one report', () => {
    expect(typed('us', [rep(0, 0x04), rep(0, 0x04, 0x05), rep(0, 0x05), UP, rep(0, 0x04)])).toBe('aba');
  });
  it('composes dead keys (FR ^ + e), and types the accent before a non-letter (DE ^ + 1)', () => {
    expect(typed('fr', [rep(0, 0x2f), UP, rep(0, 0x08), UP])).toBe('ê');
    expect(typed('de', [rep(0, 0x35), UP, rep(0, 0x1e), UP])).toBe('^1');
    expect(typed('de', [rep(0, 0x35), UP, rep(0, 0x35), UP, rep(0, 0x2c)])).toBe('^^');
  });
  it('takes Ctrl+Left Alt as AltGr', () => {
    expect(typed('de', [rep(0x05, 0x14), UP])).toBe('@');
  });
  it('types C0 controls with Ctrl (GS, RS, EOT)', () => {
    expect(typed('us', [rep(0x01, 0x30), UP, rep(0x03, 0x23), UP, rep(0x01, 0x07), UP])).toBe('\x1d\x1e\x04');
  });
  it('ignores rollover-error reports and accepts a report ID before the boot report', () => {
    expect(typed('us', [rep(0, 0x04), rep(0, 1, 1, 1, 1, 1, 1), UP, Buffer.concat([Buffer.from([1]), rep(0, 0x05)])])).toBe('ab');
  });
  it('reports keys without a character and reports of the wrong size', () => {
    expect(typed('us', [rep(0, 0x3a), Buffer.from([1, 2, 3])])).toBe('<usage 0x3a has no plain character in this layout><keyboard report of 3 bytes (expected 8)>');
  });
  it('throws for an unknown layout', () => {
    expect(() => new KeyboardDecoder('jp' as LayoutName)).toThrow('expected one of us, de, fr, got "jp"');
    expect(() => getLayout('xx')).toThrow();
  });
});

describe('round trip: every printable ASCII character on every layout', () => {
  const ascii = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
  it.each<LayoutName>(['us', 'de', 'fr'])('%s', (layout) => {
    const text = `${ascii}\x1d\x1e\x04\n%B4111111111111111^DOE/JOHN^2512101?;4111111111111111=2512101?\n`;
    expect(typed(layout, encodeText(text, layout))).toBe(text);
  });
  it('types the German and French letters', () => {
    expect(typed('de', encodeText('äöüÄÖÜß€µ°§²³', 'de'))).toBe('äöüÄÖÜß€µ°§²³');
    expect(typed('fr', encodeText('éèçàù£µ§¤²¨', 'fr'))).toBe('éèçàù£µ§¤²¨');
  });
});

describe('composeDead', () => {
  it.each([
    ['^', ' ', '^'],
    ['^', 'a', 'â'],
    ['´', 'e', 'é'],
    ['`', 'A', 'À'],
    ['~', 'n', 'ñ'],
    ['¨', 'u', 'ü'],
    ['^', 'x', '^x'],
  ])('%s + %j = %j', (accent, next, out) => expect(composeDead(accent, next)).toBe(out));
});

describe('WedgeLineAssembler', () => {
  it('splits on Enter, caps the length and collects problems', () => {
    const a = new WedgeLineAssembler(3);
    const t = (text: string): KeyEvent => ({ kind: 'text', text });
    expect(
      a.push([t('a'), t('b'), { kind: 'enter' }, t('1'), t('2'), t('3'), t('4'), t('5'), { kind: 'enter' }, { kind: 'unknown', detail: 'x' }, t('z'), { kind: 'enter' }]),
    ).toEqual([
      { text: 'ab', overflow: false, problems: [] },
      { text: '123', overflow: true, problems: [] },
      { text: 'z', overflow: false, problems: ['x'] },
    ]);
  });
});
