// Magstripe reader byte protocols: CR-terminated serial lines, keyboard-wedge lines and MagTek-style HID reports to swipes.
import type { SwipeEvent } from './magstripe';
import { parseSwipe, splitTracks } from './track';

/** Longest line a reader may send for one swipe: tracks 1-3 (79 + 40 + 107) plus slack. Longer is garbage. */
export const MAX_SWIPE_LINE = 512;

const badRead = (reason: string): SwipeEvent => ({ kind: 'bad-read', reason });

/** One swipe from the text a reader sent (`%B...?;...?`, tracks in any of the forms splitTracks accepts). */
export function swipeFromText(text: string): SwipeEvent {
  if (text.length > MAX_SWIPE_LINE) return badRead(`swipe data longer than ${MAX_SWIPE_LINE} characters`);
  if (/[^\x20-\x7e]/.test(text)) return badRead('swipe data contains non-printable characters');
  const tracks = splitTracks(text);
  return parseSwipe({ track1: tracks.track1, track2: tracks.track2 });
}

/**
 * Joins readers that end each track with its own CR/Enter: a line holding only track 1 waits for the next line
 * when that one starts with `;` (track 2). Anything else ends the swipe. The driver calls flush() after a quiet gap.
 */
export class SwipeJoiner {
  private pending: string | undefined;

  /** True while a track-1-only line waits for its track 2. */
  get waiting(): boolean {
    return this.pending !== undefined;
  }

  push(line: string): SwipeEvent[] {
    const out: SwipeEvent[] = [];
    if (this.pending !== undefined) {
      if (line.startsWith(';')) {
        const joined = this.pending + line;
        this.pending = undefined;
        return [swipeFromText(joined)];
      }
      out.push(...this.flush());
    }
    if (line.length === 0) return out;
    if (line.startsWith('%') && !line.includes(';') && line.length <= MAX_SWIPE_LINE) this.pending = line;
    else out.push(swipeFromText(line));
    return out;
  }

  /** Ends a waiting track-1-only swipe (a bad read: track 2 never came). */
  flush(): SwipeEvent[] {
    if (this.pending === undefined) return [];
    const line = this.pending;
    this.pending = undefined;
    return [swipeFromText(line)];
  }

  reset(): void {
    this.pending = undefined;
  }
}

export type SerialSwipeResult = { kind: 'line'; line: string } | { kind: 'swipe'; swipe: SwipeEvent };

/** Splits a serial reader's bytes into CR-terminated lines (LF ignored), holding at most MAX_SWIPE_LINE bytes. */
export class SwipeLineFramer {
  private buf: number[] = [];
  private overflow = false;

  push(chunk: Uint8Array): SerialSwipeResult[] {
    const out: SerialSwipeResult[] = [];
    for (const byte of chunk) {
      if (byte === 0x0a) continue;
      if (byte === 0x0d) {
        if (this.overflow) out.push({ kind: 'swipe', swipe: badRead(`swipe data longer than ${MAX_SWIPE_LINE} characters`) });
        else out.push({ kind: 'line', line: Buffer.from(this.buf).toString('latin1') });
        this.buf = [];
        this.overflow = false;
      } else if (this.buf.length >= MAX_SWIPE_LINE) {
        this.overflow = true;
      } else {
        this.buf.push(byte);
      }
    }
    return out;
  }

  reset(): void {
    this.buf = [];
    this.overflow = false;
  }
}
