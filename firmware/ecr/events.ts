// The terminal's event log for ECRs: transaction, device and settlement events with resumable ids, kept in a bounded ring.
import type { Clock } from '../common/clock';
import { Listeners, type Unsubscribe } from '../common/listeners';

export type EventType = 'transaction' | 'device' | 'settlement' | 'resync';

/** One event as streamed and posted to the webhook. */
export interface EcrEvent {
  /** `<boot>.<seq>`: increasing within one run of the terminal; resume with it (Last-Event-ID). */
  id: string;
  type: EventType;
  /** ISO 8601 time on the terminal's clock. */
  at: string;
  data: Record<string, unknown>;
}

/** Events after a resume point, and whether that is all of them (false: some were dropped or the terminal restarted). */
export interface Replay {
  events: EcrEvent[];
  complete: boolean;
}

/**
 * Publishes events to live listeners (event streams, the webhook) and keeps the last `kept` for resuming. Ids carry
 * the boot they belong to, so a client resuming across a restart is told to re-read state (`complete: false`).
 */
export class EventHub {
  private readonly ring: EcrEvent[] = [];
  private readonly listeners = new Listeners<EcrEvent>();
  private seq = 0;
  readonly boot: string;

  constructor(
    private readonly clock: Clock,
    private readonly kept = 1000,
  ) {
    this.boot = Math.floor(clock.now()).toString(36);
  }

  publish(type: Exclude<EventType, 'resync'>, data: Record<string, unknown>): EcrEvent {
    const event: EcrEvent = { id: `${this.boot}.${++this.seq}`, type, at: new Date(this.clock.now()).toISOString(), data };
    this.ring.push(event);
    if (this.ring.length > this.kept) this.ring.shift();
    this.listeners.emit(event);
    return event;
  }

  /** Every event published from now on. */
  subscribe(listener: (event: EcrEvent) => void): Unsubscribe {
    return this.listeners.add(listener);
  }

  /** The id of the last event published (where a new stream starts), or undefined before the first. */
  get lastId(): string | undefined {
    return this.seq ? `${this.boot}.${this.seq}` : undefined;
  }

  /** Events after `lastId` (all kept ones when undefined is given for a fresh start with `fromStart`). */
  since(lastId: string | undefined): Replay {
    if (lastId === undefined || lastId === '') return { events: [], complete: true };
    const m = /^([0-9a-z]+)\.(\d+)$/.exec(lastId);
    if (!m || m[1] !== this.boot || Number(m[2]) > this.seq) return { events: [...this.ring], complete: false };
    const after = Number(m[2]);
    const events = this.ring.filter((e) => Number(e.id.slice(this.boot.length + 1)) > after);
    const oldest = this.ring.length ? Number(this.ring[0].id.slice(this.boot.length + 1)) : this.seq + 1;
    return { events, complete: oldest <= after + 1 };
  }
}
