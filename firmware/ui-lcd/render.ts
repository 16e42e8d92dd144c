// Pure render functions: what the LCD shows for a view of the UI, laid out for the display's capabilities.
import type { Screen } from '../hal/display/display';
import type { DeviceClass } from '../hal/device';
import type { Prompt } from '../flows/prompts';
import { formatMinor } from './amount';
import { pausedLines, promptLines, type PrinterPause } from './texts';

/** The panel: text grid size and whether it draws graphics (QR codes). */
export interface DisplayShape {
  cols: number;
  rows: number;
  graphic: boolean;
}

/** Everything the screen can show, as data. */
export type UiView =
  | { kind: 'idle'; merchantName: string; terminalId: string; now: Date; faults: DeviceClass[] }
  | { kind: 'faults'; failures: Array<{ deviceClass: DeviceClass; code: string }> }
  | { kind: 'menu'; title: string; items: readonly string[]; cursor: number }
  | { kind: 'amount'; title: string; digits: string; currency: string }
  | { kind: 'prompt'; prompt: Prompt; now?: number }
  | { kind: 'paused'; why: PrinterPause }
  | { kind: 'resumed' }
  | { kind: 'refused'; message: string }
  | { kind: 'reprint'; failed?: string };

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

export function render(view: UiView, shape: DisplayShape): Screen {
  switch (view.kind) {
    case 'idle':
      return idle(view, shape.rows);
    case 'faults':
      return { lines: ['DEVICE FAULT', ...view.failures.map((f) => `${f.deviceClass.toUpperCase()}: ${f.code}`)].slice(0, shape.rows) };
    case 'menu':
      return menu(view, shape.rows);
    case 'amount':
      return compact([view.title, 'ENTER AMOUNT', `${view.currency} ${formatMinor(view.digits)}`.padStart(shape.cols), 'OK=CONFIRM'], shape.rows, [0, 2]);
    case 'prompt': {
      const p = view.prompt;
      const screen = compact(promptLines(p, view.now), shape.rows, p.kind === 'present-card' || p.kind === 'enter-pin' || p.kind === 'authorising' || p.kind === 'scan-code' || p.kind === 'awaiting-customer' ? [1, 2] : [0, 1]);
      // C扫B on a graphic panel: the QR itself (a text-only panel's terminal prints it on a slip).
      return p.kind === 'awaiting-customer' && p.payload && shape.graphic ? { ...screen, qr: p.payload } : screen;
    }
    case 'paused':
      return compact(pausedLines(view.why), shape.rows, [0, 2]);
    case 'resumed':
      return { lines: ['PRINTING...'] };
    case 'refused':
      return { lines: ['NOT STARTED', view.message.slice(0, 40)] };
    case 'reprint':
      return view.failed === undefined ? { lines: ['REPRINT', 'PRINTING...'] } : { lines: ['REPRINT FAILED', view.failed.toUpperCase().slice(0, 40)] };
  }
}

/** The idle screen: merchant, terminal id, date and time, and the prompt to swipe or press MENU. */
function idle(info: Extract<UiView, { kind: 'idle' }>, rows: number): Screen {
  const fault = info.faults.length ? ` !${info.faults.map((f) => FAULT_CODES[f]).join(',')}` : '';
  const when = formatDateTime(info.now);
  if (rows >= 4) return { lines: [info.merchantName, `TID ${info.terminalId}${fault}`, when, 'SWIPE CARD OR MENU'] };
  if (rows === 3) return { lines: [info.merchantName, `${info.terminalId} ${when.slice(5)}${fault}`, 'SWIPE CARD OR MENU'] };
  return { lines: [`${info.merchantName}`, `SWIPE/MENU ${when.slice(11)}${fault}`] };
}

/** A numbered list under its title, scrolled so the cursor row is visible. */
function menu(view: Extract<UiView, { kind: 'menu' }>, rows: number): Screen {
  const visible = Math.max(1, rows - 1);
  const { items, cursor } = view;
  const top = Math.min(Math.max(0, cursor - visible + 1), Math.max(0, items.length - visible));
  const shown = items.slice(top, top + visible).map((it, i) => `${top + i + 1} ${it}`);
  return { lines: [view.title, ...shown], highlight: cursor - top + 1 };
}

/** On panels with fewer rows than the layout, keep the rows that matter (`keep`, in order). */
function compact(lines: string[], rows: number, keep: [number, number]): Screen {
  if (rows >= lines.length) return { lines };
  if (rows === 1) return { lines: [lines[keep[1]] ?? lines[0]] };
  if (rows === 2) return { lines: keep.map((i) => lines[i] ?? '') };
  return { lines: lines.slice(0, rows) };
}
