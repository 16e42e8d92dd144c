// Pure render functions: what the LCD shows for a view of the UI, laid out for the display's capabilities and language.
import type { Screen } from '../hal/display/display';
import type { DeviceClass } from '../hal/device';
import { align, clip, textWidth } from '../hal/printer/receipt-doc';
import type { Prompt } from '../flows/prompts';
import { formatMinor } from './amount';
import { pausedLines, promptLines, type PrinterPause } from './texts';
import { word, type Lang } from './words';

/** The panel: text grid size (in half-width columns) and whether it draws graphics (QR codes, Chinese). */
export interface DisplayShape {
  cols: number;
  rows: number;
  graphic: boolean;
  /** Graphic panels laid out for Chinese: columns of a line without Chinese (drawn in the 6x8 font, 21 on 128 px). */
  narrowCols?: number;
}

/** Everything the screen can show, as data. Views without `lang` are English. */
export type UiView =
  | { kind: 'idle'; merchantName: string; terminalId: string; now: Date; faults: DeviceClass[]; operator?: string; loginNeeded?: boolean; lang?: Lang }
  | { kind: 'faults'; failures: Array<{ deviceClass: DeviceClass; code: string }>; lang?: Lang }
  | { kind: 'menu'; title: string; items: readonly string[]; cursor: number; pending?: string }
  | { kind: 'amount'; title: string; digits: string; currency: string; exponent?: number; label?: string; lang?: Lang }
  | { kind: 'input'; title: string; label: string; shown: string; lang?: Lang }
  | { kind: 'confirm'; lines: string[]; keep?: [number, number] }
  | { kind: 'prompt'; prompt: Prompt; lang?: Lang; /** Epoch ms, for a QR customer's countdown. */ now?: number }
  | { kind: 'paused'; why: PrinterPause; lang?: Lang }
  | { kind: 'resumed'; lang?: Lang }
  | { kind: 'refused'; message: string; lang?: Lang }
  | { kind: 'reprint'; failed?: string }
  | { kind: 'notice'; lines: string[]; scroll?: number }
  | { kind: 'working'; title: string; lang?: Lang };

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local date and time as `YYYY-MM-DD HH:MM`. */
export function formatDateTime(d: Date): string {
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

const FAULT_CODES: Record<DeviceClass, string> = {
  scanner: 'SCN',
  magstripe: 'MSR',
  pinpad: 'PIN',
  printer: 'PRN',
  display: 'LCD',
  keypad: 'KEY',
};

/** The two lines a 2-row panel keeps of each prompt: the amount and what to do, or the question and the key to press. */
const PROMPT_KEEP: Partial<Record<Prompt['kind'], [number, number]>> = {
  'present-card': [1, 2],
  'enter-pin': [1, 2],
  authorising: [1, 2],
  'scan-code': [1, 2],
  'awaiting-customer': [1, 2],
  'confirm-duplicate': [0, 2],
};

/** `text` right-aligned in `cols` half-width columns (a Chinese character counts two). */
const right = (text: string, cols: number) => align(text, cols, 'right');

export function render(view: UiView, shape: DisplayShape): Screen {
  const lang = ('lang' in view && view.lang) || 'en';
  const w = (k: Parameters<typeof word>[0]) => word(k, lang, shape.cols);
  switch (view.kind) {
    case 'idle':
      return idle(view, shape);
    case 'faults':
      return { lines: [w('deviceFault'), ...view.failures.map((f) => `${f.deviceClass.toUpperCase()}: ${f.code}`)].slice(0, shape.rows) };
    case 'menu':
      return menu(view, shape.rows);
    case 'amount':
      return compact([view.title, view.label ?? w('enterAmount'), right(`${view.currency} ${formatMinor(view.digits, view.exponent)}`, shape.narrowCols ?? shape.cols), w('okConfirm')], shape.rows, [0, 2]);
    case 'input':
      return compact([view.title, view.label, right(view.shown, shape.narrowCols ?? shape.cols), w('okConfirm')], shape.rows, [1, 2]);
    case 'confirm':
      return compact(view.lines, shape.rows, view.keep ?? [0, 1]);
    case 'prompt': {
      const p = view.prompt;
      const screen = compact(promptLines(p, lang, shape.cols, view.now), shape.rows, PROMPT_KEEP[p.kind] ?? [0, 1]);
      // C扫B on a graphic panel: the QR itself (a text-only panel's terminal prints it on a slip).
      return p.kind === 'awaiting-customer' && p.payload && shape.graphic ? { ...screen, qr: p.payload } : screen;
    }
    case 'paused':
      return compact(pausedLines(view.why, lang), shape.rows, [0, 2]);
    case 'resumed':
      return { lines: [w('printing')] };
    case 'refused':
      return { lines: [w('notStarted'), clip(view.message, 40)] };
    case 'reprint':
      return view.failed === undefined ? { lines: ['REPRINT', 'PRINTING...'] } : { lines: ['REPRINT FAILED', view.failed.toUpperCase().slice(0, 40)] };
    case 'notice':
      return scrolled(view.lines, shape.rows, view.scroll ?? 0);
    case 'working':
      return compact([view.title, w('pleaseWait')], shape.rows, [0, 1]);
  }
}

/** The idle screen: merchant, terminal id and operator, date and time, and the prompt to swipe, press MENU or log in. */
function idle(info: Extract<UiView, { kind: 'idle' }>, shape: DisplayShape): Screen {
  const lang = info.lang ?? 'en';
  const w = (k: Parameters<typeof word>[0]) => word(k, lang, shape.cols);
  const fault = info.faults.length ? ` !${info.faults.map((f) => FAULT_CODES[f]).join(',')}` : '';
  const when = formatDateTime(info.now);
  const call = info.loginNeeded ? w('pleaseLogIn') : w('swipeOrMenu');
  const op = info.operator ? `${w('op')} ${info.operator}` : '';
  const fits = (s: string) => textWidth(s) <= shape.cols;
  if (shape.rows >= 4) {
    const withTid = [`${w('tid')} ${info.terminalId}`, op].filter(Boolean).join(' ') + fault;
    return { lines: [info.merchantName, fits(withTid) ? withTid : `${op || `${w('tid')} ${info.terminalId}`}${fault}`, when, call] };
  }
  if (shape.rows === 3) return { lines: [info.merchantName, `${info.terminalId} ${when.slice(5)}${fault}`, op || call] };
  const short = info.loginNeeded ? `${w('login')}:OK` : w('swipeMenuShort');
  return { lines: [clip(info.operator ? `${info.operator} ${info.merchantName}` : info.merchantName, shape.cols), `${short} ${when.slice(11)}${fault}`] };
}

/** A numbered list under its title, scrolled so the cursor row is visible; a pending shortcut digit shows in the title. */
function menu(view: Extract<UiView, { kind: 'menu' }>, rows: number): Screen {
  const visible = Math.max(1, rows - 1);
  const { items, cursor } = view;
  const top = Math.min(Math.max(0, cursor - visible + 1), Math.max(0, items.length - visible));
  const shown = items.slice(top, top + visible).map((it, i) => `${top + i + 1} ${it}`);
  return { lines: [view.pending ? `${view.title} ${view.pending}_` : view.title, ...shown], highlight: cursor - top + 1 };
}

/** Lines longer than the panel scroll with UP/DOWN; the scroll position is clamped to the last full page. */
function scrolled(lines: string[], rows: number, scroll: number): Screen {
  const top = Math.min(scroll, Math.max(0, lines.length - rows));
  return { lines: lines.slice(top, top + rows) };
}

/** On panels with fewer rows than the layout, keep the rows that matter (`keep`, in order). */
function compact(lines: string[], rows: number, keep: [number, number]): Screen {
  if (rows >= lines.length) return { lines };
  if (rows === 1) return { lines: [lines[keep[1]] ?? lines[0]] };
  if (rows === 2) return { lines: keep.map((i) => lines[i] ?? '') };
  return { lines: lines.slice(0, rows) };
}
