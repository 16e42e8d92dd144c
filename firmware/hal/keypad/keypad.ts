// Keypad contract: one event per press of a logical key (repeats flagged).
import type { Unsubscribe } from '../../common/listeners';
import type { KeyEvent } from '../../common/keys';
import type { Device } from '../device';

export interface Keypad extends Device {
  readonly deviceClass: 'keypad';
  onKey(listener: (event: KeyEvent) => void): Unsubscribe;
}
