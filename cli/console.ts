// Interactive simulator console: draws the LCD, maps keyboard keys to terminal keys, swipes/scans test cards, shows receipts.
import type { Terminal } from '../firmware/main';
import type { Key } from '../firmware/common/keys';
import { drawPanel, drawPinPad, type GraphicStyle } from './console-draw';

/** The card the `s` key swipes: a Luhn-valid test Visa that the acquirer simulator approves with PIN 1234. */
export const TEST_CARD = {
  track1: '%B4761739001010010^TEST/CARDHOLDER^3012101000000000000000000000000?',
  track2: ';4761739001010010=30121010000000000000?',
};

const ESC_SEQUENCES: Record<string, Key> = {
  '\x1bOP': 'F1',
  '\x1bOQ': 'F2',
  '\x1bOR': 'F3',
  '\x1bOS': 'F4',
  '\x1b[11~': 'F1',
  '\x1b[12~': 'F2',
  '\x1b[13~': 'F3',
  '\x1b[14~': 'F4',
  '\x1b[A': 'UP',
  '\x1b[B': 'DOWN',
};

/** Splits raw terminal input into single keystrokes: escape sequences (CSI / SS3) stay whole. */
export function tokenize(chunk: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < chunk.length; ) {
    if (chunk[i] === '\x1b' && chunk[i + 1] === 'O' && i + 2 < chunk.length) {
      out.push(chunk.slice(i, i + 3));
      i += 3;
    } else if (chunk[i] === '\x1b' && chunk[i + 1] === '[') {
      let j = i + 2;
      while (j < chunk.length && !/[A-Za-z~]/.test(chunk[j])) j++;
      out.push(chunk.slice(i, j + 1));
      i = j + 1;
    } else {
      out.push(chunk[i]);
      i++;
    }
  }
  return out;
}

/** Maps one keystroke of raw terminal input to a terminal key, if it is one. */
export function mapInput(chunk: string): Key | undefined {
  if (ESC_SEQUENCES[chunk]) return ESC_SEQUENCES[chunk];
  if (chunk === '\x1b') return 'CANCEL';
  if (chunk === '\r' || chunk === '\n') return 'OK';
  if (chunk === '\x7f' || chunk === '\b') return 'CLEAR';
  if (/^[0-9]$/.test(chunk)) return chunk as Key;
  if (chunk === 'm' || chunk === 'M') return 'MENU';
  return undefined;
}

const HELP = [
  'keys: 0-9 digits  Enter=OK  Backspace=CLEAR  Esc=CANCEL  F1-F4  m=MENU  arrows=UP/DOWN',
  'sim:  s=swipe test card  c=scan test code  p=PIN 1234 on the pad  b=PIN bypass  n=cancel on the pad',
  '      r=show/hide last receipt  x=paper out/in  Ctrl-C=quit',
];

export interface ConsoleOptions {
  /** How a graphic panel is drawn (braille by default: 64x16 characters for 128x64 pixels). */
  graphicStyle?: GraphicStyle;
}

export function startConsole(terminal: Terminal, quit: () => void, opts: ConsoleOptions = {}): void {
  const out = process.stdout;
  let showReceipt = false;
  let note = '';
  const sim = terminal.controls;
  const caps = terminal.devices.display?.caps;
  /** The panel as configured (text LCD or graphic), drawn from what the display was last given. */
  const panel = (): string[] => {
    const view = sim.lcd?.();
    const screen = view ? { lines: view.lines, highlight: view.highlight, qr: view.qr } : terminal.ui.current();
    return caps ? drawPanel(screen, caps, opts.graphicStyle ?? 'braille') : screen.lines;
  };
  const draw = () => {
    const lines = ['\x1b[2J\x1b[H', `posfw simulator - ${terminal.board.terminal.merchantName} - API ${terminal.apiUrl}`, '', ...panel(), ''];
    lines.push(...drawPinPad(sim.pinScreen?.()));
    lines.push(...HELP, '', note);
    if (showReceipt) {
      const last = sim.receipts?.().at(-1);
      lines.push('', '---- last receipt ----', last ? last.text : '(nothing printed yet)');
    }
    out.write(lines.join('\n') + '\n');
  };
  sim.watchLcd?.(draw);
  const act = (fn: () => string) => {
    try {
      note = fn();
    } catch (err) {
      note = `! ${(err as Error).message}`;
    }
    draw();
  };

  process.stdin.setRawMode(true);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    for (const key of tokenize(chunk)) onKeystroke(key);
  });
  const onKeystroke = (chunk: string): void => {
    if (chunk === '\x03') return quit();
    const key = mapInput(chunk);
    if (key) return act(() => (void sim.keypad?.press(key), ''));
    switch (chunk) {
      case 's':
        return act(() => {
          const e = sim.swipe?.(TEST_CARD);
          if (e && 'then' in e) return (void e.then(draw), 'card swiped');
          return e?.kind === 'card' ? 'card swiped' : `swipe: ${e?.kind === 'bad-read' ? e.reason : 'no reader'}`;
        });
      case 'c':
        return act(() => (void sim.scan?.('134567890123456789'), 'code scanned'));
      case 'p':
        return act(() => (void sim.pin?.enterPin('1234'), 'PIN entered'));
      case 'b':
        return act(() => (void Promise.resolve(sim.pin?.bypass()).catch((e: Error) => ((note = `! ${e.message}`), draw())), 'PIN bypassed'));
      case 'n':
        return act(() => (void sim.pin?.cancel(), 'cancelled on the PIN pad'));
      case 'r':
        return act(() => ((showReceipt = !showReceipt), ''));
      case 'x':
        return act(() => {
          if (!sim.printer || !sim.paper) return 'no simulated printer';
          const next = sim.paper() === 'ok' ? 'out' : 'ok';
          void sim.printer({ paper: next }).then(draw);
          return next === 'out' ? 'paper taken out' : 'paper loaded';
        });
    }
  };
  draw();
}
