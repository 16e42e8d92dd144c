// Who is logged in at the keypad: one cashier (or the supervisor) at a time; sales are recorded under them until they log out.
import { Listeners, type Unsubscribe } from '../common/listeners';
import type { Clock } from '../common/clock';
import type { Role } from './operator-store';

export interface Session {
  id: string;
  role: Role;
  /** Epoch ms of the login. */
  since: number;
}

/** The current operator session. Not persisted: after a restart the cashier logs in again. */
export class Sessions {
  private session: Session | undefined;
  private readonly changes = new Listeners<Session | undefined>();

  constructor(private readonly clock: Clock) {}

  get current(): Session | undefined {
    return this.session;
  }

  /** Starts a session for a verified operator (ending whoever was logged in). */
  begin(id: string, role: Role): Session {
    this.session = { id, role, since: this.clock.now() };
    this.changes.emit(this.session);
    return this.session;
  }

  /** Ends the session; returns who was logged in. */
  end(): Session | undefined {
    const was = this.session;
    this.session = undefined;
    if (was) this.changes.emit(undefined);
    return was;
  }

  onChange(listener: (s: Session | undefined) => void): Unsubscribe {
    return this.changes.add(listener);
  }
}
