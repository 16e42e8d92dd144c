// Pure screen builders for the keypad LCD: idle, device faults, messages. Lines are laid out for the panel's grid.
import type { Screen } from '../hal/display/display';
import type { DeviceClass } from '../hal/device';

export interface IdleInfo {
  merchantName: string;
  terminalId: string;
  now: Date;
  /** Device classes that failed to open; shown as a fault marker. */
  faults: DeviceClass[];
}

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

/** The idle screen: merchant, terminal id, date and time, and the prompt to swipe or press MENU. */
export function idleScreen(info: IdleInfo, rows: number): Screen {
  const fault = info.faults.length ? ` !${info.faults.map((f) => FAULT_CODES[f]).join(',')}` : '';
  const tid = `TID ${info.terminalId}${fault}`;
  const when = formatDateTime(info.now);
  if (rows >= 4) return { lines: [info.merchantName, tid, when, 'SWIPE CARD OR MENU'] };
  if (rows === 3) return { lines: [info.merchantName, `${info.terminalId} ${when.slice(5)}${fault}`, 'SWIPE CARD OR MENU'] };
  return { lines: [`${info.merchantName}`, `SWIPE/MENU ${when.slice(11)}${fault}`] };
}

/** Shown at boot when devices failed to open: one line per failed device with its error code. */
export function faultScreen(failures: Array<{ deviceClass: DeviceClass; code: string }>, rows: number): Screen {
  const lines = ['DEVICE FAULT', ...failures.map((f) => `${f.deviceClass.toUpperCase()}: ${f.code}`)];
  return { lines: lines.slice(0, rows) };
}

/** A titled message with optional detail lines. */
export function messageScreen(title: string, ...detail: string[]): Screen {
  return { lines: [title, ...detail] };
}
