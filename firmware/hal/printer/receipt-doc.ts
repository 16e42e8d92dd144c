// Receipt document model (printer commands as data) and its plain-text layout, shared by every printer driver.

export type Align = 'left' | 'center' | 'right';

export type ReceiptLine =
  | { type: 'text'; text: string; align?: Align; bold?: boolean; size?: 'normal' | 'double' | 'wide' | 'tall'; underline?: boolean }
  /** Label on the left, value on the right, filling the paper width. */
  | { type: 'pair'; left: string; right: string; bold?: boolean }
  | { type: 'rule'; char?: string }
  | { type: 'feed'; lines: number }
  | { type: 'qr'; data: string; size?: number }
  | { type: 'barcode'; data: string; symbology: 'code128' | 'ean13' | 'code39' }
  | { type: 'cut' };

export interface ReceiptDoc {
  lines: ReceiptLine[];
}

/** Display width in printer columns: CJK and other wide characters take two. */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6)
  );
}

/** Cuts text to at most `width` columns without splitting a wide character. */
export function clip(text: string, width: number): string {
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
    if (w + cw > width) break;
    out += ch;
    w += cw;
  }
  return out;
}

/** Pads or aligns `text` in a field of `width` columns. */
export function align(text: string, width: number, how: Align = 'left'): string {
  const t = clip(text, width);
  const gap = width - textWidth(t);
  if (how === 'right') return ' '.repeat(gap) + t;
  if (how === 'center') return ' '.repeat(Math.floor(gap / 2)) + t + ' '.repeat(gap - Math.floor(gap / 2));
  return t + ' '.repeat(gap);
}

/** Left and right text on one line of `width` columns; the left side is clipped when both do not fit. */
export function pairLine(left: string, right: string, width: number): string {
  const r = clip(right, width);
  const l = clip(left, Math.max(0, width - textWidth(r) - 1));
  return l + ' '.repeat(width - textWidth(l) - textWidth(r)) + r;
}

/** Lays one receipt line out as plain-text rows of `columns` width (no trailing spaces). */
export function layoutLine(line: ReceiptLine, columns: number): string[] {
  switch (line.type) {
    case 'text': {
      const wide = line.size === 'double' || line.size === 'wide';
      const width = wide ? Math.floor(columns / 2) : columns;
      return wrap(line.text, width).map((row) => align(row, width, line.align).trimEnd());
    }
    case 'pair':
      return [pairLine(line.left, line.right, columns)];
    case 'rule':
      return [(line.char ?? '-').repeat(columns)];
    case 'feed':
      return Array.from({ length: line.lines }, () => '');
    case 'qr':
      return [align(`[QR ${line.data}]`, columns, 'center').trimEnd()];
    case 'barcode':
      return [align(`[${line.symbology.toUpperCase()} ${line.data}]`, columns, 'center').trimEnd()];
    case 'cut':
      return [];
  }
}

/** Word-wraps text into rows of at most `width` columns; long words are broken. */
export function wrap(text: string, width: number): string[] {
  const rows: string[] = [];
  for (const para of text.split('\n')) {
    let row = '';
    for (const word of para.split(/(\s+)/)) {
      if (textWidth(row + word) <= width) {
        row += word;
        continue;
      }
      if (row.trim()) rows.push(row.trimEnd());
      row = word.trimStart();
      while (textWidth(row) > width) {
        const head = clip(row, width);
        rows.push(head);
        row = row.slice(head.length);
      }
    }
    rows.push(row.trimEnd());
  }
  return rows;
}

/** The whole receipt as plain text, one row per line, as a person would read the paper. */
export function renderText(doc: ReceiptDoc, columns: number): string {
  return doc.lines.flatMap((l) => layoutLine(l, columns)).join('\n');
}
