// Monochrome framebuffer in SSD1306 page layout (one byte = 8 vertical pixels, bit 0 on top), with page-level diffs.

/** A run of changed bytes in one page: columns `from` (inclusive) to `to` (exclusive). */
export interface DirtySpan {
  page: number;
  from: number;
  to: number;
}

export class Framebuffer {
  readonly width: number;
  readonly height: number;
  readonly pages: number;
  /** `pages * width` bytes; byte `page * width + x` holds pixels (x, page*8 .. page*8+7), bit 0 topmost. */
  readonly bytes: Uint8Array;

  constructor(width: number, height: number) {
    if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0 || height % 8 !== 0) {
      throw new RangeError(`Framebuffer: expected a positive width and a height that is a multiple of 8, got ${width}x${height}`);
    }
    this.width = width;
    this.height = height;
    this.pages = height / 8;
    this.bytes = new Uint8Array(this.pages * width);
  }

  /** Pixels outside the buffer are ignored (drawing clips). */
  set(x: number, y: number, on: boolean): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y >> 3) * this.width + x;
    const bit = 1 << (y & 7);
    this.bytes[i] = on ? this.bytes[i] | bit : this.bytes[i] & ~bit;
  }

  get(x: number, y: number): boolean {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return false;
    return (this.bytes[(y >> 3) * this.width + x] & (1 << (y & 7))) !== 0;
  }

  fillRect(x: number, y: number, w: number, h: number, on: boolean): void {
    for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) this.set(xx, yy, on);
  }

  /** The bytes of one page between two columns, as sent after an SSD1306 page address. */
  pageBytes(page: number, from = 0, to = this.width): Uint8Array {
    return this.bytes.subarray(page * this.width + from, page * this.width + to);
  }

  clone(): Framebuffer {
    const copy = new Framebuffer(this.width, this.height);
    copy.bytes.set(this.bytes);
    return copy;
  }

  /** Per page, the span of columns that differ from `before` (every page in full when `before` is null). */
  diff(before: Framebuffer | null): DirtySpan[] {
    const spans: DirtySpan[] = [];
    for (let page = 0; page < this.pages; page++) {
      if (!before) {
        spans.push({ page, from: 0, to: this.width });
        continue;
      }
      const base = page * this.width;
      let from = 0;
      while (from < this.width && this.bytes[base + from] === before.bytes[base + from]) from++;
      if (from === this.width) continue;
      let to = this.width;
      while (to > from && this.bytes[base + to - 1] === before.bytes[base + to - 1]) to--;
      spans.push({ page, from, to });
    }
    return spans;
  }
}

/** ASCII art of a pixel source: '#' lit, '.' dark, one string per row (for test failures and docs). */
export function asciiArt(source: { width: number; height: number; get(x: number, y: number): boolean }, area?: { x: number; y: number; w: number; h: number }): string[] {
  const { x, y, w, h } = area ?? { x: 0, y: 0, w: source.width, h: source.height };
  const rows: string[] = [];
  for (let yy = y; yy < y + h; yy++) {
    let row = '';
    for (let xx = x; xx < x + w; xx++) row += source.get(xx, yy) ? '#' : '.';
    rows.push(row);
  }
  return rows;
}
