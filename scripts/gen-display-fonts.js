// Generates the display font data modules (6x8 ASCII, 8x16 ASCII, 16x16 Chinese); the 16-px subset at every build, never at run time.
//
// Sources (generation only; nothing is read at run time):
//   - GNU Unifont hex: fonts/unifont/unifont-gb2312.hex in the repo (ASCII, symbols, GB 2312; OFL-1.1, see
//     fonts/unifont/OFL-1.1.txt), cut from Debian unifont's /usr/share/unifont/unifont.hex with --extract-gb2312.
//   - Schumacher Clean 6x8 PCF (X.Org font-schumacher-misc, Debian xfonts-base, /usr/share/fonts/X11/misc/clR6x8.pcf.gz),
//     only when --pcf is given (the 6x8 module is ASCII and does not follow the UI texts).
// The Chinese kept are those of the UI texts (firmware/ui-lcd/*.ts), the boards' merchantNameZh and PHRASES below.
// Usage: node scripts/gen-display-fonts.js [--hex FILE] [--pcf FILE]   (make build runs it with the defaults)
//        node scripts/gen-display-fonts.js --extract-gb2312 /usr/share/unifont/unifont.hex
//   writes firmware/hal/display/font-16.data.ts (and font-6x8.data.ts with --pcf) only when their content changes.
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

/** Chinese kept whatever the UI texts say (tests and docs use them); the UI's own strings are found in its sources. */
const PHRASES = [
  '演示商店', '欢迎使用', '主菜单', '菜单', '消费', '付款码', '扫一扫', '二维码收款', '预授权', '预授权完成', '撤销', '退货',
  '余额查询', '冲正', '重打印', '查询当前交易', '日终处理', '结算', '签到', '签退', '请刷卡', '请刷卡或按菜单', '请插卡', '请输入密码',
  '请输入金额', '金额', '元', '确认', '取消', '返回', '清除', '交易成功', '交易失败', '成功', '失败', '处理中', '请稍候', '正在连接',
  '连接失败', '超时', '网络错误', '打印中', '缺纸', '请取走凭条', '批次号', '凭证号', '参考号', '授权码', '终端号', '商户号', '卡号',
  '日期', '时间', '操作员', '收银员', '主管', '登录', '密码错误', '可能重复交易', '是否继续', '是', '否', '余额', '扫码支付', '微信',
  '支付宝', '银联', '请出示付款码', '请扫描二维码', '等待支付', '已支付', '已撤销', '已冲正', '设置', '管理', '系统', '版本', '语言',
  '中文', '英文', '第', '页', '共', '笔', '总计', '合计', '借记', '贷记', '上一页', '下一页', '上', '下', '左', '右', '请联系',
  '无效', '卡', '输入', '错误', '重试', '完成', '开始', '结束', '查询', '打印', '交易', '客户', '签名', '商户存根', '持卡人存根',
];

/** Symbols and full-width punctuation drawn in Chinese (16-px) rows. */
const EXTRA = ['¥', '←', '↑', '→', '↓', '▶', '✓', '✗', '，', '。', '：', '！', '？', '（', '）', '￥', '、'];

const ROOT = path.join(__dirname, '..');
const SOURCE_HEX = path.join(ROOT, 'fonts', 'unifont', 'unifont-gb2312.hex');

function parseArgs(argv) {
  const opts = { hex: SOURCE_HEX };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--pcf') opts.pcf = argv[i + 1];
    else if (argv[i] === '--hex') opts.hex = argv[i + 1];
    else if (argv[i] === '--extract-gb2312') opts.extract = argv[i + 1];
    else throw new Error(`unknown argument ${argv[i]} (expected --hex FILE, --pcf FILE or --extract-gb2312 FILE)`);
  }
  return opts;
}

const isCjk = (ch) => ch.codePointAt(0) > 0x7e;

/** Wide and symbol characters in the UI's sources (string literals of firmware/ui-lcd/*.ts, tests left out). */
function uiCharacters() {
  const dir = path.join(ROOT, 'firmware', 'ui-lcd');
  const chars = new Set();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8').replace(/^\s*(\/\/|\*|\/\*\*).*$/gm, '');
    for (const m of text.matchAll(/'([^'\\\n]*)'|`([^`\\]*)`/g)) for (const ch of m[1] ?? m[2] ?? '') if (ch.codePointAt(0) >= 0x2e80) chars.add(ch);
  }
  // Transaction type names come from the receipt labels (the screens show them as titles).
  const labels = fs.readFileSync(path.join(ROOT, 'firmware', 'receipts', 'labels.ts'), 'utf8');
  for (const ch of labels) if (ch.codePointAt(0) >= 0x2e80) chars.add(ch);
  const boards = path.join(ROOT, 'board-configs');
  for (const f of fs.readdirSync(boards).filter((n) => n.endsWith('.json'))) {
    const name = JSON.parse(fs.readFileSync(path.join(boards, f), 'utf8')).terminal?.merchantNameZh ?? '';
    for (const ch of name) if (isCjk(ch)) chars.add(ch);
  }
  return chars;
}

/** Writes `file` unless it already holds `text` (so make sees no change and nothing rebuilds). */
function writeIfChanged(file, text) {
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return false;
  fs.writeFileSync(file, text);
  return true;
}

/** Cuts the repo's font source out of a full unifont.hex: ASCII, symbols, CJK punctuation, full-width forms, GB 2312. */
function extractGb2312(fullHex) {
  const iconv = require('iconv-lite');
  const want = new Set();
  for (let c = 0x20; c <= 0x7e; c++) want.add(c);
  for (const ch of EXTRA) want.add(ch.codePointAt(0));
  for (let c = 0x3000; c <= 0x303f; c++) want.add(c);
  for (let c = 0xff01; c <= 0xff5e; c++) want.add(c);
  for (const c of [0xffe0, 0xffe1, 0xffe5]) want.add(c);
  for (let b1 = 0xa1; b1 <= 0xf7; b1++) {
    for (let b2 = 0xa1; b2 <= 0xfe; b2++) {
      const s = iconv.decode(Buffer.from([b1, b2]), 'gb2312');
      if (s.length === 1 && s !== '\ufffd') want.add(s.codePointAt(0));
    }
  }
  const lines = fs.readFileSync(fullHex, 'latin1').split('\n').filter((l) => want.has(parseInt(l.split(':')[0], 16)));
  fs.writeFileSync(SOURCE_HEX, lines.join('\n') + '\n');
  process.stdout.write(`wrote ${path.relative(ROOT, SOURCE_HEX)} (${lines.length} glyphs)\n`);
}

// ---- PCF (X11 Portable Compiled Format) reader: metrics, bitmaps and encodings tables only ----
const PCF_METRICS = 1 << 2;
const PCF_BITMAPS = 1 << 3;
const PCF_BDF_ENCODINGS = 1 << 5;

function readPcf(file) {
  let buf = fs.readFileSync(file);
  if (file.endsWith('.gz')) buf = zlib.gunzipSync(buf);
  if (buf.toString('latin1', 0, 4) !== '\x01fcp') throw new Error(`${file}: not a PCF file`);
  const count = buf.readInt32LE(4);
  const tables = {};
  for (let i = 0; i < count; i++) {
    const o = 8 + i * 16;
    tables[buf.readInt32LE(o)] = { format: buf.readInt32LE(o + 4), offset: buf.readInt32LE(o + 12) };
  }
  const reader = (t) => {
    const format = buf.readInt32LE(t.offset);
    const be = (format & 4) !== 0;
    return {
      format,
      i16: (o) => (be ? buf.readInt16BE(t.offset + o) : buf.readInt16LE(t.offset + o)),
      i32: (o) => (be ? buf.readInt32BE(t.offset + o) : buf.readInt32LE(t.offset + o)),
      u8: (o) => buf[t.offset + o],
      base: t.offset,
    };
  };
  // metrics
  const m = reader(tables[PCF_METRICS]);
  const metrics = [];
  if (m.format & 0x100) {
    const n = m.i16(4);
    for (let i = 0; i < n; i++) {
      const o = 6 + i * 5;
      metrics.push({ left: m.u8(o) - 0x80, right: m.u8(o + 1) - 0x80, width: m.u8(o + 2) - 0x80, ascent: m.u8(o + 3) - 0x80, descent: m.u8(o + 4) - 0x80 });
    }
  } else {
    const n = m.i32(4);
    for (let i = 0; i < n; i++) {
      const o = 8 + i * 12;
      metrics.push({ left: m.i16(o), right: m.i16(o + 2), width: m.i16(o + 4), ascent: m.i16(o + 6), descent: m.i16(o + 8) });
    }
  }
  // bitmaps
  const b = reader(tables[PCF_BITMAPS]);
  const glyphCount = b.i32(4);
  const offsets = [];
  for (let i = 0; i < glyphCount; i++) offsets.push(b.i32(8 + i * 4));
  const sizesAt = 8 + glyphCount * 4;
  const padIndex = b.format & 3;
  const dataStart = b.base + sizesAt + 16;
  const msbBitFirst = (b.format & 8) !== 0;
  const msbByteFirst = (b.format & 4) !== 0;
  const scanUnit = 1 << ((b.format >> 4) & 3);
  const padBytes = 1 << padIndex;
  // encodings
  const e = reader(tables[PCF_BDF_ENCODINGS]);
  const minB2 = e.i16(4), maxB2 = e.i16(6), minB1 = e.i16(8);
  const perRow = maxB2 - minB2 + 1;
  const glyphIndex = (code) => {
    const b1 = code >> 8, b2 = code & 0xff;
    if (b2 < minB2 || b2 > maxB2 || b1 < minB1) return -1;
    const idx = e.i16(14 + ((b1 - minB1) * perRow + (b2 - minB2)) * 2);
    return idx === -1 || idx === 0xffff ? -1 : idx;
  };
  return {
    ascent: Math.max(...metrics.map((x) => x.ascent)),
    /** Pixel rows of one glyph, each a string of '#' and '.', `cellW` wide, positioned on the font baseline. */
    glyph(code, cellW, cellH, baseline) {
      const idx = glyphIndex(code);
      if (idx < 0) return null;
      const g = metrics[idx];
      const w = g.right - g.left;
      const h = g.ascent + g.descent;
      const stride = Math.ceil(Math.ceil(w / 8) / padBytes) * padBytes;
      const rows = Array.from({ length: cellH }, () => Array(cellW).fill('.'));
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          let byteIdx = y * stride + (x >> 3);
          if (!msbByteFirst && scanUnit > 1) {
            const unitStart = byteIdx - (byteIdx % scanUnit);
            byteIdx = unitStart + (scanUnit - 1 - (byteIdx % scanUnit));
          }
          const byte = buf[dataStart + offsets[idx] + byteIdx];
          const bit = msbBitFirst ? (byte >> (7 - (x & 7))) & 1 : (byte >> (x & 7)) & 1;
          const px = x + g.left;
          const py = baseline - g.ascent + y;
          if (bit && px >= 0 && px < cellW && py >= 0 && py < cellH) rows[py][px] = '#';
        }
      }
      return rows.map((r) => r.join(''));
    },
  };
}

function rowsToHex(rows) {
  return rows.map((r) => parseInt(r.replace(/#/g, '1').replace(/\./g, '0'), 2).toString(16).padStart(Math.ceil(r.length / 4), '0')).join('');
}

function readHexFont(file, wanted) {
  const found = new Map();
  for (const line of fs.readFileSync(file, 'latin1').split('\n')) {
    const [cp, bits] = line.split(':');
    if (!bits) continue;
    const ch = String.fromCodePoint(parseInt(cp, 16));
    if (wanted.has(ch)) found.set(ch, bits.trim().toLowerCase());
  }
  return found;
}

/** Screen readers in tests map bitmaps back to text, so two characters must never share a bitmap. */
function assertUnique(name, pairs) {
  const seen = new Map();
  for (const [ch, hex] of pairs) {
    if (seen.has(hex)) throw new Error(`${name}: ${JSON.stringify(ch)} and ${JSON.stringify(seen.get(hex))} have the same bitmap`);
    seen.set(hex, ch);
  }
}

function header(tagline, license) {
  return `// ${tagline}\n// GENERATED by scripts/gen-display-fonts.js: do not edit by hand, add phrases there and re-run.\n${license.map((l) => `// ${l}`).join('\n')}\n`;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.extract) return extractGb2312(opts.extract);
  const outDir = path.join(ROOT, 'firmware', 'hal', 'display');
  const wrote = [];

  // 6x8 ASCII: Schumacher Clean 6x8 (5x7 glyphs drawn in columns 1-5, column 0 is the gap to the previous cell).
  if (opts.pcf) {
    const pcf = readPcf(opts.pcf);
    const small = [];
    for (let c = 0x20; c <= 0x7e; c++) {
      const rows = pcf.glyph(c, 6, 8, pcf.ascent);
      if (!rows) throw new Error(`${opts.pcf}: no glyph for 0x${c.toString(16)}`);
      small.push([String.fromCharCode(c), rowsToHex(rows.map((r) => r + '..'))]);
    }
    const smallTs =
      header('6x8 ASCII font for graphic panels (Schumacher Clean 6x8), rows top to bottom, bit 7 = leftmost pixel.', [
        'Source: clR6x8 from X.Org font-schumacher-misc (Debian xfonts-base). Its notice, kept as it requires:',
        '  Copyright 1989 Dale Schumacher, dal@syntel.mn.org, 399 Beacon Ave., St. Paul, MN 55104-3527',
        '  Permission to use, copy, modify, and distribute this software and its documentation for any purpose and',
        '  without fee is hereby granted, provided that the above copyright notice appear in all copies and that both',
        '  that copyright notice and this permission notice appear in supporting documentation, and that the name of',
        '  Dale Schumacher not be used in advertising or publicity pertaining to distribution of the software without',
        '  specific, written prior permission. Dale Schumacher makes no representations about the suitability of this',
        '  software for any purpose. It is provided "as is" without express or implied warranty.',
      ]) +
      `\n/** Eight hex bytes per glyph, one per pixel row (6 pixels used, bits 7..2); 0x20..0x7E. */\nexport const FONT_6X8_ROWS: Readonly<Record<string, string>> = {\n${small.map(([ch, hex]) => `  ${JSON.stringify(ch)}: '${hex}',`).join('\n')}\n};\n`;
    assertUnique('6x8', small);
    if (writeIfChanged(path.join(outDir, 'font-6x8.data.ts'), smallTs)) wrote.push('font-6x8.data.ts (95 glyphs)');
  }

  // 16-pixel fonts from GNU Unifont: ASCII and a few symbols at 8x16, the Chinese the UI uses at 16x16.
  const narrowWanted = new Set();
  for (let c = 0x20; c <= 0x7e; c++) narrowWanted.add(String.fromCharCode(c));
  const others = new Set([...PHRASES.join(''), ...EXTRA, ...uiCharacters()].filter(isCjk));
  const found = readHexFont(opts.hex, new Set([...narrowWanted, ...others]));
  const missing = [...narrowWanted, ...others].filter((ch) => !found.has(ch));
  if (missing.length) throw new Error(`${opts.hex}: no glyph for ${missing.join(' ')} (outside the font source: add it with --extract-gb2312 or change the text)`);
  const byCp = (a, b) => a.codePointAt(0) - b.codePointAt(0);
  const narrow = [...found.keys()].filter((ch) => found.get(ch).length === 32).sort(byCp);
  const wide = [...found.keys()].filter((ch) => found.get(ch).length === 64).sort(byCp);
  assertUnique('8x16', narrow.map((ch) => [ch, found.get(ch)]));
  assertUnique('16x16', wide.map((ch) => [ch, found.get(ch)]));
  const entry = (ch) => `  ${JSON.stringify(ch)}: '${found.get(ch)}',`;
  const wideTs =
    header('16-pixel-high fonts for graphic panels: ASCII 8x16 and the Chinese 16x16 glyphs the UI uses (GNU Unifont hex rows).', [
      'GENERATED at build time from fonts/unifont/unifont-gb2312.hex and the UI texts (firmware/ui-lcd/*.ts, board merchantNameZh).',
      'Source: GNU Unifont 15.0.01 glyphs (Debian package unifont). Copyright 1998-2019 Jungshik Shin, Roman Czyborra,',
      'Qianqian Fang, Luis Alejandro Gonzalez Miranda, Paul Hardy, Andrew Miller, David Corbett, Johnnie Weaver',
      '(per the Debian copyright file). Dual-licensed upstream (GNU GPL 2+ with the font embedding exception, or',
      'SIL Open Font License 1.1); posfw ships it under the OFL 1.1: fonts/unifont/OFL-1.1.txt.',
      'Only a subset of glyphs is kept; glyph bits are unchanged.',
    ]) +
    `\n/** ${narrow.length} glyphs 8x16 (ASCII and symbols): 16 hex bytes each, one per row, bit 7 = leftmost pixel. */\nexport const FONT_8X16_ROWS: Readonly<Record<string, string>> = {\n${narrow.map(entry).join('\n')}\n};\n` +
    `\n/** ${wide.length} glyphs 16x16 (Chinese and full-width): 32 hex bytes each, two per row (left byte first). */\nexport const FONT_16X16_ROWS: Readonly<Record<string, string>> = {\n${wide.map(entry).join('\n')}\n};\n`;
  if (writeIfChanged(path.join(outDir, 'font-16.data.ts'), wideTs)) wrote.push(`font-16.data.ts (${narrow.length} + ${wide.length} glyphs)`);
  process.stdout.write(wrote.length ? `wrote ${wrote.join(' and ')}\n` : 'display fonts up to date\n');
}

if (require.main === module) main();
else module.exports = { readPcf, uiCharacters };
