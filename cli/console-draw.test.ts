// Console panel drawing: HD44780 characters as the chip shows them, graphic pixels in braille and blocks that read back as the text.
import { readPanelText } from '../simulator/emulators/ssd1306-emul';
import { blockRows, brailleRows, drawPanel, drawPinPad, drawTextPanel, graphicFrame } from './console-draw';

/** Braille rows back to pixels (the inverse of brailleRows). */
function fromBraille(rows: string[]) {
  const bits = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]];
  const width = [...rows[0]].length * 2;
  const height = rows.length * 4;
  const chars = rows.map((r) => [...r].map((c) => c.codePointAt(0)! - 0x2800));
  return { width, height, get: (x: number, y: number) => ((chars[y >> 2]?.[x >> 1] ?? 0) & bits[y & 3][x & 1]) !== 0 };
}

describe('console panel drawing', () => {
  it('a character LCD shows what the HD44780 shows: symbols from CGRAM, Chinese as ??, the cursor on the highlighted row', () => {
    const rows = drawTextPanel({ lines: ['MENU ¥', '1 SALE', '消费'], highlight: 1 }, 16, 2);
    expect(rows).toEqual(['+----------------+', '|MENU ¥          |', '|\x1b[7m1\x1b[0m SALE          |', '+----------------+']);
    expect(drawTextPanel({ lines: ['消费 a\\b'] }, 8, 1)[1]).toBe('|???? a?b|');
  });

  it('a 128x64 panel in braille reads back as the lines it was given, Chinese included', () => {
    const screen = { lines: ['主菜单', '1 消费', '2 SALE', 'OK=CONFIRM'], highlight: 1 };
    const rows = brailleRows(graphicFrame(screen, 128, 64));
    expect(rows).toHaveLength(16);
    expect([...rows[0]]).toHaveLength(64);
    expect(readPanelText(fromBraille(rows))).toEqual({ lines: ['主菜单', '1 消费', '2 SALE', 'OK=CONFIRM', '', ''], inverted: [1] });
    const framed = drawPanel(screen, { kind: 'graphic', cols: 21, rows: 8, width: 128, height: 64 }, 'braille');
    expect(framed).toHaveLength(18);
    expect(framed[0]).toBe('+' + '-'.repeat(64) + '+');
  });

  it('blocks: one character per 2x2 pixels', () => {
    const fb = { width: 4, height: 2, get: (x: number, y: number) => (x === 0 && y === 0) || x === 3 };
    expect(blockRows(fb)).toEqual(['▘▐']);
    expect(brailleRows({ width: 2, height: 4, get: (x, y) => x === 1 && y === 3 })).toEqual(['⢀']);
  });

  it('the PIN pad prompt, boxed; nothing when it is not asking', () => {
    expect(drawPinPad({ prompting: false })).toEqual([]);
    const box = drawPinPad({ prompting: true, label: 'SALE', amount: 'CNY 12.34' });
    expect(box[1]).toContain('SALE CNY 12.34');
    expect(new Set(box.map((l) => l.length)).size).toBe(1);
  });
});
