// Emulated serial magstripe reader: a swipe is the tracks with their sentinels on one CR-terminated line.
import type { SwipeEvent } from '../../firmware/hal/magstripe/magstripe';
import { swipeFromText } from '../../firmware/hal/magstripe/magstripe-decode';
import type { SerialPeer } from './serial-peer';

export interface SwipedTracks {
  track1?: string;
  track2?: string;
}

/**
 * One track as the reader sends it: a track given without sentinels gets them (`%`...`?` for track 1, `;`...`?` for
 * track 2); one that already has either sentinel is sent as it is, so partial reads stay partial.
 */
export function trackText(track: string, kind: 1 | 2): string {
  const start = kind === 1 ? '%' : ';';
  if (track.startsWith(start) || track.includes('?')) return track;
  return `${start}${track}?`;
}

/** The line a serial reader sends for one swipe, CR excluded: track 1 (if read) then track 2. */
export function swipeLine(tracks: SwipedTracks): string {
  return (tracks.track1 !== undefined ? trackText(tracks.track1, 1) : '') + (tracks.track2 !== undefined ? trackText(tracks.track2, 2) : '');
}

export class MagstripeReaderEmulator {
  constructor(private readonly line: SerialPeer) {}

  /**
   * Swipes a card: writes the swipe line and CR. Resolves, once the bytes are on the line, with what a reader driver
   * decodes from them (the serial driver runs the same decoder on what it receives).
   */
  async swipe(tracks: SwipedTracks): Promise<SwipeEvent> {
    const line = swipeLine(tracks);
    await this.line.write(Buffer.from(line + '\r', 'latin1'));
    return swipeFromText(line);
  }

  close(): Promise<void> {
    return this.line.close();
  }
}
