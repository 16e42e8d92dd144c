// Display contract: a text grid every display has, and QR/graphic capability where the panel allows.
import type { Device } from '../device';

export type DisplayCaps =
  | { kind: 'text'; cols: number; rows: number }
  | { kind: 'graphic'; cols: number; rows: number; width: number; height: number };

/** One full screen. Lines beyond `rows` are dropped, each line is clipped to `cols`. */
export interface Screen {
  lines: string[];
  /** Row shown inverted/marked (menu cursor), if any. */
  highlight?: number;
  /** QR payload; shown only on graphic displays (text displays show the lines only). */
  qr?: string;
}

export interface Display extends Device {
  readonly deviceClass: 'display';
  readonly caps: DisplayCaps;
  /** Replaces the whole screen. Resolves when the panel shows it; rejects with DeviceError on bus faults. */
  render(screen: Screen): Promise<void>;
}
