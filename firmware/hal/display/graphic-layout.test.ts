// Graphic layout rules: text grid, 8/16-px line stacking, unknown characters, QR fitting.
import { layoutScreen, prepareQr, textGrid } from './graphic-layout';
import { placeQr } from './qr-draw';
import { asciiArt } from './framebuffer';

describe('graphic layout', () => {
  it('derives the text grid from the 6x8 font', () => {
    expect(textGrid(128, 64)).toEqual({ cols: 21, rows: 8 });
    expect(textGrid(128, 32)).toEqual({ cols: 21, rows: 4 });
  });

  it('stacks 8-px and 16-px lines and reports what it drew', () => {
    const { lines } = layoutScreen({ lines: ['ABC', '消费', 'x'.repeat(30), 'é'] }, 128, 64);
    expect(lines).toEqual([
      { index: 0, y: 0, height: 8, text: 'ABC' },
      { index: 1, y: 8, height: 16, text: '消费' },
      { index: 2, y: 24, height: 8, text: 'x'.repeat(21) },
      { index: 3, y: 32, height: 8, text: '?' },
    ]);
  });

  it('draws a box for a Chinese character outside the generated subset', () => {
    const { fb, lines } = layoutScreen({ lines: ['龘'] }, 128, 64);
    expect(lines[0].text).toBe('\uFFFD');
    expect(asciiArt(fb, { x: 0, y: 0, w: 16, h: 3 })).toEqual(['................', '.##############.', '.#............#.']);
  });

  it('fits QR codes at 2 px, then 1 px per module, and refuses what cannot fit', () => {
    expect(placeQr(21, 128, 64)).toEqual({ x: 128 - 50, y: 7, scale: 2, quiet: 2, side: 50 });
    expect(placeQr(45, 128, 64)).toEqual({ x: 128 - 49, y: 7, scale: 1, quiet: 2, side: 49 });
    expect(placeQr(61, 128, 64)).toMatchObject({ scale: 1, quiet: 1, side: 63 });
    expect(() => placeQr(65, 128, 64)).toThrow('at most 62 modules');
    expect(() => prepareQr('X'.repeat(300), 128, 32)).toThrow(RangeError);
  });

  it('clips text beside a QR code', () => {
    const qr = prepareQr('HELLO', 128, 64);
    // 21 modules at 2 px + quiet zone = 50 px at x = 78; 2 px gap; 76 px = 12 cells of text
    const { lines } = layoutScreen({ lines: ['SCAN THE CODE TO PAY NOW'] }, 128, 64, qr);
    expect(lines[0].text).toBe('SCAN THE COD');
  });
});
