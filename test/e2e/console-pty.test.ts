// The console simulator on a real pseudo terminal (Python's pty): keystrokes in, the drawn panel out, read back as text.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { readPanelText } from '../../simulator/emulators/ssd1306-emul';
import { ROOT } from '../helpers/cli';
import { freePort, http, until } from '../helpers/procs';

const CLEAR = '\x1b[2J\x1b[H';
const ESC = '\x1b';
const BRAILLE = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]];
const QUADRANTS = [' ', '▘', '▝', '▀', '▖', '▌', '▞', '▛', '▗', '▚', '▐', '▜', '▄', '▙', '▟', '█'];

interface Console {
  child: ChildProcess;
  api: string;
  dir: string;
  /** Keystrokes as a terminal sends them. */
  type(keys: string): void;
  /** The last complete frame's panel rows (between the borders), once `ok` holds for it. */
  panel(ok: (rows: string[], frame: string) => boolean, what: string): Promise<{ rows: string[]; frame: string }>;
  exited: Promise<number | null>;
}

async function startConsole(board: (b: Record<string, any>) => void, style: 'braille' | 'blocks' = 'braille'): Promise<Console> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const dir = mkdtempSync(join(tmpdir(), 'posfw-pty-'));
  const b = JSON.parse(readFileSync(join(ROOT, 'board-configs', 'sim.json'), 'utf8'));
  board(b);
  writeFileSync(join(dir, 'board.json'), JSON.stringify(b));
  const [port, acq, adm] = [await freePort(), await freePort(), await freePort()];
  const args = [join(__dirname, 'pty-bridge.py'), process.execPath, join(ROOT, 'bin', 'posfw.js'), 'sim', '--board', join(dir, 'board.json'), '--data', join(dir, 'data')];
  args.push('--port', String(port), '--acquirer-port', String(acq), '--acquirer-admin-port', String(adm), '--lcd-style', style);
  const child = spawn('python3', args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PTY_ROWS: '60', PTY_COLS: '160' } });
  const decoder = new StringDecoder('utf8');
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += decoder.write(d)));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const frames = () => out.split(CLEAR).filter((f) => f.includes('Ctrl-C=quit'));
  return {
    child,
    api: `http://127.0.0.1:${port}`,
    dir,
    type: (keys) => child.stdin!.write(keys),
    exited,
    panel: (ok, what) =>
      until(async () => {
        const frame = frames().at(-1);
        if (!frame) return undefined;
        const lines = frame.replace(/\r/g, '').split('\n');
        const top = lines.findIndex((l) => l.startsWith('+-'));
        const bottom = lines.findIndex((l, i) => i > top && l.startsWith('+-'));
        if (top < 0 || bottom < 0) return undefined;
        const rows = lines.slice(top + 1, bottom).map((l) => l.slice(1, -1));
        return ok(rows, frame) ? { rows, frame } : undefined;
      }, `${what} on the console (last frame:\n${frames().at(-1) ?? out.slice(-2000)})`, 20_000),
  };
}

/** Braille or quadrant characters back to pixels. */
function pixels(rows: string[], style: 'braille' | 'blocks') {
  const cells = rows.map((r) => [...r]);
  const h = style === 'braille' ? 4 : 2;
  return {
    width: cells[0].length * 2,
    height: cells.length * h,
    get(x: number, y: number): boolean {
      const ch = cells[Math.floor(y / h)]?.[x >> 1];
      if (ch === undefined) return false;
      if (style === 'braille') return ((ch.codePointAt(0)! - 0x2800) & BRAILLE[y & 3][x & 1]) !== 0;
      return (QUADRANTS.indexOf(ch) & [[1, 2], [4, 8]][y & 1][x & 1]) !== 0;
    },
  };
}

const textOf = (rows: string[], style: 'braille' | 'blocks') => readPanelText(pixels(rows, style)).lines.filter(Boolean);
const lcdLines = async (c: Console) => (await http<{ lines: string[] }>(`${c.api}/sim/lcd`)).body.lines.map((l) => l.trimEnd()).filter(Boolean);

describe('console simulator on a pseudo terminal', () => {
  let c: Console | undefined;
  afterEach(async () => {
    if (c && c.child.exitCode === null) {
      c.child.kill('SIGTERM');
      await c.exited;
    }
    if (c) rmSync(c.dir, { recursive: true, force: true });
    c = undefined;
  });

  test('128x64 graphic panel in braille, Chinese board: the drawing reads back as the LCD; MENU and CANCEL from the keyboard; Ctrl-C quits', async () => {
    c = await startConsole((b) => ((b.terminal.language = 'zh'), (b.devices.display = { driver: 'sim', cols: 21, rows: 8, graphic: true })));
    const idle = await c.panel((rows) => rows.length === 16 && textOf(rows, 'braille').includes('请刷卡或按菜单'), 'the Chinese idle screen');
    expect(textOf(idle.rows, 'braille')).toEqual(await lcdLines(c));
    expect(textOf(idle.rows, 'braille')[0]).toBe('演示商店');
    c.type('m');
    const menu = await c.panel((rows) => textOf(rows, 'braille')[0] === '主菜单', 'the main menu');
    expect(textOf(menu.rows, 'braille')).toEqual(['主菜单', '1 消费', '2 扫码收款', '3 二维码收款']);
    expect(readPanelText(pixels(menu.rows, 'braille')).inverted).toEqual([1]);
    c.type(ESC);
    await c.panel((rows) => textOf(rows, 'braille').includes('请刷卡或按菜单'), 'idle again');
    c.type('\x03');
    expect(await c.exited).toBe(0);
  });

  test('128x64 in block characters: a keypad sale typed on the keyboard, the PIN pad prompt, the approval', async () => {
    c = await startConsole((b) => (b.devices.display = { driver: 'sim', cols: 21, rows: 8, graphic: true }), 'blocks');
    await c.panel((rows) => rows.length === 32 && textOf(rows, 'blocks').includes('SWIPE CARD OR MENU'), 'the idle screen in blocks');
    c.type('s');
    await c.panel((rows) => textOf(rows, 'blocks').includes('ENTER AMOUNT'), 'amount entry after the swipe');
    c.type('250\r');
    const pin = await c.panel((_, frame) => frame.includes('PIN PAD'), 'the PIN pad prompt');
    expect(pin.frame).toMatch(/\| SALE CNY 2\.50 +\|/);
    expect(textOf(pin.rows, 'blocks')).toEqual(['SALE', 'CNY 2.50', 'ENTER PIN ON PAD', 'OK=NO PIN']);
    c.type('p');
    const done = await c.panel((rows) => textOf(rows, 'blocks')[0] === 'APPROVED', 'the approval');
    expect(done.frame).not.toContain('PIN PAD');
    c.type('r');
    await c.panel((_, frame) => frame.includes('---- last receipt ----') && frame.includes('CUSTOMER COPY'), 'the last receipt');
  });

  test('16x2 character LCD: drawn as the HD44780 shows it; typed keys reach the keypad', async () => {
    c = await startConsole((b) => (b.devices.display = { driver: 'sim', cols: 16, rows: 2 }));
    const idle = await c.panel((rows) => rows.length === 2 && rows[1].startsWith('SWIPE/MENU'), 'the 16x2 idle screen');
    expect(idle.rows[0]).toBe('POSFW DEMO STORE');
    expect(idle.frame).toContain('+----------------+');
    c.type('m');
    const menu = await c.panel((rows) => rows[0].startsWith('MENU'), 'the menu');
    // The cursor row's first cell is drawn in reverse video, where the HD44780 blinks its block cursor.
    expect(menu.rows).toEqual(['MENU            ', '\x1b[7m1\x1b[0m SALE          ']);
    c.type('\x1b[B');
    const down = await c.panel((rows) => rows[1].replace(/\x1b\[\d+m/g, '') === '2 QR SALE       ', 'DOWN');
    expect(down.rows[1]).toBe('\x1b[7m2\x1b[0m QR SALE       ');
    c.type(ESC + ESC);
  });
});
