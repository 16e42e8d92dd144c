// Boot keyboard report decoder for keyboard-wedge devices: 8-byte reports in, typed characters and Enter out.
import { MOD, USAGE, composeDead, getLayout, type KeyEntry, type Layout, type LayoutName, type Level } from './keyboard-layouts';

export type KeyEvent = { kind: 'text'; text: string } | { kind: 'enter' } | { kind: 'unknown'; detail: string };

/** Resolves the level and control state of a modifier byte. AltGr is Right Alt, or Ctrl+Left Alt (as Windows does). */
function levelOf(mods: number): { level: Level; ctrl: boolean } {
  const ctrl = (mods & (MOD.LCTRL | MOD.RCTRL)) !== 0;
  const lalt = (mods & MOD.LALT) !== 0;
  const shift = (mods & (MOD.LSHIFT | MOD.RSHIFT)) !== 0;
  if (mods & MOD.RALT) return { level: 'altgr', ctrl };
  if (ctrl && lalt) return { level: 'altgr', ctrl: false };
  return { level: shift ? 'shift' : 'plain', ctrl };
}

/** Ctrl + a letter or one of @ [ \ ] ^ _ types the C0 control (Ctrl+] is GS 0x1d, Ctrl+^ is RS 0x1e, Ctrl+D is EOT). */
function controlOf(c: string): string | undefined {
  const code = c.toUpperCase().charCodeAt(0);
  return c.length === 1 && code >= 0x40 && code <= 0x5f ? String.fromCharCode(code & 0x1f) : undefined;
}

/**
 * Decodes HID boot keyboard input reports: byte 0 modifiers, byte 1 reserved, bytes 2-7 pressed usages.
 * A 9-byte report is taken as report ID + boot report. A key types once, when it first appears in a report.
 */
export class KeyboardDecoder {
  private readonly layout: Layout;
  private pressed = new Set<number>();
  private deadAccent: string | undefined;

  constructor(layout: LayoutName) {
    this.layout = getLayout(layout);
  }

  push(report: Uint8Array): KeyEvent[] {
    let r = report;
    if (r.length === 9) r = r.subarray(1);
    if (r.length !== 8) return [{ kind: 'unknown', detail: `keyboard report of ${report.length} bytes (expected 8)` }];
    const keys = [...r.subarray(2)].filter((u) => u !== 0);
    if (keys.includes(USAGE.ERROR_ROLLOVER)) return []; // phantom state: keys unknown, keep the previous set
    const out: KeyEvent[] = [];
    const { level, ctrl } = levelOf(r[0] as number);
    for (const usage of keys) {
      if (this.pressed.has(usage)) continue;
      this.key(usage, level, ctrl, out);
    }
    this.pressed = new Set(keys);
    return out;
  }

  /** Forgets held keys and a pending dead key (after a reconnect). */
  reset(): void {
    this.pressed.clear();
    this.deadAccent = undefined;
  }

  private key(usage: number, level: Level, ctrl: boolean, out: KeyEvent[]): void {
    if (usage === USAGE.ENTER || usage === USAGE.KEYPAD_ENTER) {
      this.flushDead(out);
      out.push({ kind: 'enter' });
      return;
    }
    if (usage >= 0xe0 && usage <= 0xe7) return; // modifiers also listed as keys by some devices
    const entry: KeyEntry | undefined = this.layout.get(usage);
    const c = entry?.[level];
    if (c === undefined) {
      this.flushDead(out);
      out.push({ kind: 'unknown', detail: `usage 0x${usage.toString(16).padStart(2, '0')} has no ${level} character in this layout` });
      return;
    }
    if (ctrl) {
      const control = controlOf(c);
      this.flushDead(out);
      out.push(control ? { kind: 'text', text: control } : { kind: 'unknown', detail: `Ctrl with usage 0x${usage.toString(16)}` });
      return;
    }
    if (entry?.dead?.includes(level)) {
      if (this.deadAccent !== undefined) out.push({ kind: 'text', text: this.deadAccent });
      this.deadAccent = c;
      return;
    }
    if (this.deadAccent !== undefined) {
      out.push({ kind: 'text', text: composeDead(this.deadAccent, c) });
      this.deadAccent = undefined;
      return;
    }
    out.push({ kind: 'text', text: c });
  }

  private flushDead(out: KeyEvent[]): void {
    if (this.deadAccent === undefined) return;
    out.push({ kind: 'text', text: this.deadAccent });
    this.deadAccent = undefined;
  }
}

/** One Enter-terminated line from a keyboard wedge. */
export interface WedgeLine {
  text: string;
  /** More than maxLength characters were typed; `text` holds only the first maxLength. */
  overflow: boolean;
  /** Why some keystrokes could not be decoded (empty when all were fine). */
  problems: string[];
}

/** Collects key events into Enter-terminated lines, holding at most maxLength characters. */
export class WedgeLineAssembler {
  private text = '';
  private overflow = false;
  private problems: string[] = [];

  constructor(private readonly maxLength: number) {
    if (!Number.isInteger(maxLength) || maxLength < 1) throw new Error('WedgeLineAssembler: expected maxLength to be a positive integer');
  }

  push(events: KeyEvent[]): WedgeLine[] {
    const lines: WedgeLine[] = [];
    for (const e of events) {
      if (e.kind === 'enter') {
        lines.push({ text: this.text, overflow: this.overflow, problems: this.problems });
        this.reset();
      } else if (e.kind === 'unknown') {
        if (this.problems.length < 8) this.problems.push(e.detail);
      } else if (this.overflow || this.text.length + e.text.length > this.maxLength) {
        this.overflow = true;
      } else {
        this.text += e.text;
      }
    }
    return lines;
  }

  reset(): void {
    this.text = '';
    this.overflow = false;
    this.problems = [];
  }
}
