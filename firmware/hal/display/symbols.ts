// 5x8 symbol glyphs (currency, arrows, check marks) drawn for this project: HD44780 CGRAM and the 6x8 panel font share them.

/** A 5x8 symbol: eight rows, bit 4 = leftmost pixel (the HD44780 CGRAM row format). */
export interface Symbol5x8 {
  /** Characters shown with this glyph (first one is the canonical one). */
  chars: string[];
  rows: readonly number[];
}

const g = (...rows: string[]): number[] => rows.map((r) => parseInt(r.replace(/#/g, '1').replace(/\./g, '0'), 2));

/** Eight symbols: exactly the HD44780's eight CGRAM slots, in slot order. */
export const SYMBOLS: readonly Symbol5x8[] = [
  { chars: ['¥', '￥'], rows: g('#...#', '.#.#.', '#####', '..#..', '#####', '..#..', '..#..', '.....') },
  { chars: ['↑'], rows: g('..#..', '.###.', '#.#.#', '..#..', '..#..', '..#..', '..#..', '.....') },
  { chars: ['↓'], rows: g('..#..', '..#..', '..#..', '..#..', '#.#.#', '.###.', '..#..', '.....') },
  { chars: ['←'], rows: g('.....', '..#..', '.#...', '#####', '.#...', '..#..', '.....', '.....') },
  { chars: ['→'], rows: g('.....', '..#..', '...#.', '#####', '...#.', '..#..', '.....', '.....') },
  { chars: ['✓', '✔'], rows: g('.....', '....#', '...##', '#.##.', '###..', '.#...', '.....', '.....') },
  { chars: ['✗', '✘'], rows: g('.....', '#...#', '.#.#.', '..#..', '.#.#.', '#...#', '.....', '.....') },
  { chars: ['▶', '►'], rows: g('.#...', '.##..', '.###.', '.####', '.###.', '.##..', '.#...', '.....') },
];

/** Symbol index (= CGRAM slot) by character. */
export const SYMBOL_INDEX: ReadonlyMap<string, number> = new Map(SYMBOLS.flatMap((s, i) => s.chars.map((c) => [c, i] as const)));
