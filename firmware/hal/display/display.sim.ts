// Simulated display: keeps the current screen as text (and the QR payload) for the console UI and /sim/lcd.
import { align, clip } from '../printer/receipt-doc';
import { SimDevice } from '../sim-device';
import type { Display, DisplayCaps, Screen } from './display';
import type { DisplayConfig } from '../../board/devices';
import type { SimControllable, SimControls } from '../sim-controls';

export interface LcdSnapshot {
  cols: number;
  rows: number;
  lines: string[];
  highlight?: number;
  qr?: string;
}

export class SimDisplay extends SimDevice implements Display, SimControllable {
  readonly deviceClass = 'display';
  readonly caps: DisplayCaps;
  private screen: LcdSnapshot;
  private readonly watchers = new Set<(s: LcdSnapshot) => void>();

  constructor(cols: number, rows: number, graphic: boolean) {
    super();
    this.caps = graphic ? { kind: 'graphic', cols, rows, width: 128, height: 64 } : { kind: 'text', cols, rows };
    this.screen = { cols, rows, lines: Array.from({ length: rows }, () => '') };
  }

  async render(screen: Screen): Promise<void> {
    this.requireOpen('render()');
    const { cols, rows } = this.caps;
    const lines = Array.from({ length: rows }, (_, i) => clip(screen.lines[i] ?? '', cols));
    this.screen = { cols, rows, lines, highlight: screen.highlight, qr: this.caps.kind === 'graphic' ? screen.qr : undefined };
    for (const w of [...this.watchers]) w(this.snapshot());
  }

  /** Control surface: what the panel shows now. */
  snapshot(): LcdSnapshot {
    return { ...this.screen, lines: [...this.screen.lines] };
  }

  /** The screen as a framed block of text, the way the console draws it. */
  framed(): string {
    const { cols } = this.caps;
    const edge = '+' + '-'.repeat(cols) + '+';
    const body = this.screen.lines.map((l, i) => (i === this.screen.highlight ? '>' : '|') + align(l, cols) + (i === this.screen.highlight ? '<' : '|'));
    return [edge, ...body, edge].join('\n');
  }

  /** Calls `fn` after every render; returns the unsubscribe function. */
  watch(fn: (s: LcdSnapshot) => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  simControls(): SimControls {
    return { lcd: () => ({ ...this.snapshot(), text: this.framed() }), watchLcd: (fn) => this.watch(() => fn()) };
  }
}

export function createSimDisplay(config: Extract<DisplayConfig, { driver: 'sim' }>): SimDisplay {
  return new SimDisplay(config.cols, config.rows, config.graphic);
}
