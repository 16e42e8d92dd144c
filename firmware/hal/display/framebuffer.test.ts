// Framebuffer in SSD1306 page layout: bit order, clipping and the per-page dirty spans the driver sends.
import { Framebuffer, asciiArt } from './framebuffer';

describe('Framebuffer', () => {
  it('stores 8 vertical pixels per byte, bit 0 on top', () => {
    const fb = new Framebuffer(128, 64);
    fb.set(3, 0, true);
    fb.set(3, 7, true);
    fb.set(5, 9, true);
    expect(fb.bytes[3]).toBe(0x81);
    expect(fb.bytes[128 + 5]).toBe(0x02);
    expect(fb.get(5, 9)).toBe(true);
    fb.set(3, 0, false);
    expect(fb.bytes[3]).toBe(0x80);
  });

  it('clips drawing outside the buffer and rejects impossible sizes', () => {
    const fb = new Framebuffer(16, 8);
    fb.fillRect(14, 6, 10, 10, true);
    expect(asciiArt(fb, { x: 12, y: 4, w: 4, h: 4 })).toEqual(['....', '....', '..##', '..##']);
    expect(() => new Framebuffer(128, 60)).toThrow('multiple of 8');
  });

  it('reports only the changed column span of each changed page', () => {
    const a = new Framebuffer(128, 64);
    const b = a.clone();
    b.set(10, 20, true);
    b.set(40, 22, true);
    b.set(127, 63, true);
    expect(b.diff(a)).toEqual([
      { page: 2, from: 10, to: 41 },
      { page: 7, from: 127, to: 128 },
    ]);
    expect(b.diff(b.clone())).toEqual([]);
    expect(b.diff(null)).toHaveLength(8);
  });
});
