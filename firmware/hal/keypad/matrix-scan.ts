// Keypad matrix logic as pure functions: keymap validation, debounce per key and auto-repeat, driven by sampled time.

/** `keymap[row][col]`; null where the matrix has no key. */
export type ResolvedKeymap = (Key | null)[][];

/**
 * Checks a board keymap against the wiring and the key names. Throws Error naming the bad entry, e.g.
 * `keymap[1][2]: "ENTER" is not a key (expected one of 0-9, OK, ...)`. An empty string marks an unused position.
 */
export function resolveKeymap(keymap: readonly (readonly string[])[], rows: number, cols: number): ResolvedKeymap {
  if (keymap.length !== rows) throw new Error(`keymap: expected ${rows} rows (one per row line), got ${keymap.length}`);
  return keymap.map((row, r) => {
    if (row.length !== cols) throw new Error(`keymap[${r}]: expected ${cols} entries (one per column line), got ${row.length}`);
    return row.map((name, c) => {
      if (name === '') return null;
      if (!isKey(name)) throw new Error(`keymap[${r}][${c}]: "${name}" is not a key (expected one of ${KEYS.join(', ')}, or "" for none)`);
      return name;
    });
  });
}

/** Checks `repeatKeys`; throws Error naming the first bad one. */
export function resolveRepeatKeys(names: readonly string[]): Set<Key> {
  return new Set(
    names.map((name, i) => {
      if (!isKey(name)) throw new Error(`repeatKeys[${i}]: "${name}" is not a key (expected one of ${KEYS.join(', ')})`);
      return name;
    }),
  );
}

export interface DebounceConfig {
  debounceMs: number;
  repeatDelayMs: number;
  repeatIntervalMs: number;
  repeatKeys: ReadonlySet<Key>;
}

interface KeyState {
  raw: boolean;
  rawSince: number;
  stable: boolean;
  nextRepeatAt: number;
}

/**
 * Turns raw matrix samples into key events. A contact counts as changed once it has read the same for `debounceMs`
 * (bounce shorter than that is ignored); a press emits one event, a held repeat key emits `repeat: true` events after
 * `repeatDelayMs`, then every `repeatIntervalMs`. Releases emit nothing.
 */
export class MatrixDebouncer {
  private readonly states = new Map<string, KeyState>();

  constructor(
    private readonly keymap: ResolvedKeymap,
    private readonly config: DebounceConfig,
  ) {}

  /** Feeds one full scan: `pressed[row][col]` as read at time `now` (ms). Returns the events it completes. */
  sample(pressed: readonly (readonly boolean[])[], now: number): KeyEvent[] {
    const events: KeyEvent[] = [];
    this.keymap.forEach((row, r) =>
      row.forEach((key, c) => {
        if (!key) return;
        const id = `${r},${c}`;
        const raw = pressed[r]?.[c] ?? false;
        let s = this.states.get(id);
        if (!s) {
          if (!raw) return;
          s = { raw, rawSince: now, stable: false, nextRepeatAt: Infinity };
          this.states.set(id, s);
        }
        if (raw !== s.raw) {
          s.raw = raw;
          s.rawSince = now;
        }
        if (s.raw !== s.stable && now - s.rawSince >= this.config.debounceMs) {
          s.stable = s.raw;
          if (s.stable) {
            events.push({ key, repeat: false });
            s.nextRepeatAt = this.config.repeatKeys.has(key) ? now + this.config.repeatDelayMs : Infinity;
          }
        }
        if (s.stable && s.raw && now >= s.nextRepeatAt) {
          events.push({ key, repeat: true });
          s.nextRepeatAt = Math.max(s.nextRepeatAt + this.config.repeatIntervalMs, now);
        }
        if (!s.raw && !s.stable) this.states.delete(id);
      }),
    );
    return events;
  }

  /** True when no contact is closed or settling: the scanner may go back to waiting for an edge. */
  get idle(): boolean {
    return this.states.size === 0;
  }

  reset(): void {
    this.states.clear();
  }
}import { KEYS, isKey, type Key, type KeyEvent } from '../../common/keys';

