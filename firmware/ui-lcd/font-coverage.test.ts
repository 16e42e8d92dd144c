// The generated 16-px font holds every Chinese character the UI can show (make build regenerates it from the texts).
import { tallGlyph } from '../hal/display/font';
import { TYPE_WORDS } from '../receipts/labels';
import { allWords } from './words';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { uiCharacters } = require('../../scripts/gen-display-fonts.js') as { uiCharacters(): Set<string> };

describe('display font coverage', () => {
  it('every Chinese character of the words, the type names and the UI sources has a glyph', () => {
    const chars = new Set<string>([...uiCharacters()]);
    for (const w of allWords()) for (const ch of w.zh) chars.add(ch);
    for (const t of Object.values(TYPE_WORDS)) for (const ch of t.zh) chars.add(ch);
    const missing = [...chars].filter((ch) => ch.codePointAt(0)! > 0x7e && !tallGlyph(ch));
    expect(missing).toEqual([]);
    expect(chars.size).toBeGreaterThan(150);
  });
});
