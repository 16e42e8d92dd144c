// The terminal's logical keys: what a keypad reports, what a board's keymap names and what the UI reacts to.

export const DIGIT_KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
export const KEYS = [...DIGIT_KEYS, 'OK', 'CLEAR', 'CANCEL', 'MENU', 'F1', 'F2', 'F3', 'F4', 'UP', 'DOWN', 'FEED'] as const;
export type Key = (typeof KEYS)[number];

export function isKey(value: unknown): value is Key {
  return typeof value === 'string' && (KEYS as readonly string[]).includes(value);
}

export interface KeyEvent {
  key: Key;
  /** True for auto-repeat events while the key is held (CLEAR only, per board config). */
  repeat: boolean;
}
