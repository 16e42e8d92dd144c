// User-space GPIO emulator (onoff shaped): lines with direction, level and edge callbacks; peers drive the inputs.
import { type Unsubscribe } from '../../common/listeners';
import { DeviceError } from '../device';
import type { BinaryValue, GpioChip, GpioDirection, GpioEdge, GpioLine, GpioWatchCallback } from './gpio';

interface LineState {
  exported: boolean;
  direction: GpioDirection;
  edge: GpioEdge;
  /** Level driven by the driver (outputs). */
  output: BinaryValue;
  /** Level driven from outside (inputs); pulled up to 1 unless set. */
  input: BinaryValue;
  watchers: GpioWatchCallback[];
}

export interface GpioEmulatorOptions {
  /** Level an input line reads when nothing drives it (1 = pull-up, the keypad matrix wiring). Default 1. */
  idleLevel?: BinaryValue;
}

/** The emulated chip. Register it as `ctx.peers.set('gpio:emulated', chip)`. */
export class GpioEmulator implements GpioChip {
  private readonly lines = new Map<number, LineState>();
  private readonly outputListeners = new Set<(gpio: number, value: BinaryValue) => void>();
  private readonly idleLevel: BinaryValue;

  constructor(opts: GpioEmulatorOptions = {}) {
    this.idleLevel = opts.idleLevel ?? 1;
  }

  line(gpio: number, direction: GpioDirection, edge: GpioEdge = 'none'): GpioLine {
    if (!Number.isInteger(gpio) || gpio < 0) throw new TypeError(`gpio: expected a line number >= 0, got ${gpio}`);
    const state = this.state(gpio);
    if (state.exported) throw new DeviceError('EBUSY', `gpio: line ${gpio} is already exported`);
    state.exported = true;
    state.direction = direction;
    state.edge = edge;
    state.watchers = [];
    if (direction !== 'in') this.drive(gpio, state, direction === 'high' ? 1 : 0);
    return this.handle(gpio, state);
  }

  /** Test/peer control: sets the level an input line sees (like Zephyr's gpio_emul_input_set); fires edge watchers. */
  setInput(gpio: number, value: BinaryValue): void {
    const state = this.state(gpio);
    const before = this.levelOf(state);
    state.input = value;
    const after = this.levelOf(state);
    if (before !== after && state.exported && state.direction === 'in') this.fireEdge(state, after);
  }

  /** Current level of a line: what the driver drives (outputs) or what it would read (inputs). */
  level(gpio: number): BinaryValue {
    return this.levelOf(this.state(gpio));
  }

  /** Whether the line is exported, and how. */
  info(gpio: number): { exported: boolean; direction: GpioDirection; edge: GpioEdge; watchers: number } {
    const s = this.state(gpio);
    return { exported: s.exported, direction: s.direction, edge: s.edge, watchers: s.watchers.length };
  }

  /** Lines currently exported. */
  exported(): number[] {
    return [...this.lines.entries()].filter(([, s]) => s.exported).map(([n]) => n);
  }

  /** Peers (a keypad matrix) hear every output change synchronously, before the driver's next read. */
  onOutput(listener: (gpio: number, value: BinaryValue) => void): Unsubscribe {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  private state(gpio: number): LineState {
    let s = this.lines.get(gpio);
    if (!s) {
      s = { exported: false, direction: 'in', edge: 'none', output: 0, input: this.idleLevel, watchers: [] };
      this.lines.set(gpio, s);
    }
    return s;
  }

  private levelOf(s: LineState): BinaryValue {
    return s.exported && s.direction !== 'in' ? s.output : s.input;
  }

  private drive(gpio: number, state: LineState, value: BinaryValue): void {
    state.output = value;
    for (const l of [...this.outputListeners]) l(gpio, value);
  }

  private fireEdge(state: LineState, value: BinaryValue): void {
    const wanted = state.edge === 'both' || (state.edge === 'rising' && value === 1) || (state.edge === 'falling' && value === 0);
    if (!wanted) return;
    // onoff delivers interrupts from epoll on a later turn; a microtask keeps that asynchrony and stays deterministic.
    for (const cb of [...state.watchers]) queueMicrotask(() => cb(null, value));
  }

  private handle(gpio: number, state: LineState): GpioLine {
    const check = (what: string) => {
      if (!state.exported) throw Object.assign(new Error(`EBADF: ${what} on unexported gpio ${gpio}`), { code: 'EBADF' });
    };
    const isOutput = () => state.direction !== 'in';
    const writeSync = (value: BinaryValue) => {
      check('write');
      if (!isOutput()) throw Object.assign(new Error(`EPERM: write to input gpio ${gpio}`), { code: 'EPERM' });
      if (value !== 0 && value !== 1) throw new TypeError(`gpio ${gpio}: expected 0 or 1, got ${value}`);
      this.drive(gpio, state, value);
    };
    const readSync = (): BinaryValue => {
      check('read');
      return this.levelOf(state);
    };
    let released = false;
    return {
      read: async () => readSync(),
      readSync,
      write: async (value) => writeSync(value),
      writeSync,
      watch: (callback) => {
        check('watch');
        state.watchers.push(callback);
      },
      unwatch: (callback) => {
        state.watchers = callback ? state.watchers.filter((w) => w !== callback) : [];
      },
      direction: () => state.direction,
      edge: () => state.edge,
      unexport: () => {
        if (released) return;
        released = true;
        state.watchers = [];
        state.exported = false;
      },
    };
  }
}
