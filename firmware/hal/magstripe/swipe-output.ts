// Shared tail of every real magstripe driver: joins per-track lines, times out a lone track 1, emits and logs swipes.
import { systemClock, type Clock, type TimerHandle } from '../../common/clock';
import { Listeners } from '../../common/listeners';
import type { Logger } from '../../log';
import type { SwipeEvent } from './magstripe';
import { SwipeJoiner } from './magstripe-decode';

/** How long a track-1-only line waits for its track 2 line before it is reported as a bad read. */
export const DEFAULT_SWIPE_GAP_MS = 500;

export class SwipeOutput {
  readonly swipes = new Listeners<SwipeEvent>();
  private readonly joiner = new SwipeJoiner();
  private timer: TimerHandle | undefined;
  private readonly clock: Clock;
  private readonly gapMs: number;

  constructor(
    private readonly log: Logger,
    opts: { clock?: Clock; gapMs?: number } = {},
  ) {
    this.gapMs = opts.gapMs ?? DEFAULT_SWIPE_GAP_MS;
    this.clock = opts.clock ?? systemClock;
  }

  /** A line of track text from the reader (one swipe, or one track of it). */
  line(text: string): void {
    this.stopTimer();
    for (const e of this.joiner.push(text)) this.event(e);
    if (this.joiner.waiting) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        for (const e of this.joiner.flush()) this.event(e);
      }, this.gapMs);
    }
  }

  /** A swipe decided elsewhere (HID raw report, overlong line). */
  event(e: SwipeEvent): void {
    if (e.kind === 'card') this.log.info({ serviceCode: e.card.serviceCode }, 'card swiped');
    else this.log.warn({ reason: e.reason }, 'bad swipe');
    this.swipes.emit(e);
  }

  /** Drops a waiting partial swipe (reconnect, close). */
  reset(): void {
    this.stopTimer();
    this.joiner.reset();
  }

  private stopTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
