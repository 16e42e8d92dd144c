// Simulated keypad: key presses come from the console UI, the /sim/keys API or tests.
import { isKey, type Key, type KeyEvent } from '../../common/keys';
import { Listeners, type Unsubscribe } from '../../common/listeners';
import { DeviceError } from '../device';
import { SimDevice } from '../sim-device';
import { type Keypad } from './keypad';
import type { SimControllable, SimControls } from '../sim-controls';
import { KEYS } from '../../common/keys';

export class SimKeypad extends SimDevice implements Keypad, SimControllable {
  readonly deviceClass = 'keypad';
  private readonly keys = new Listeners<KeyEvent>();

  onKey(listener: (event: KeyEvent) => void): Unsubscribe {
    return this.keys.add(listener);
  }

  /** Control surface: presses one key. Throws for a name that is not a key. */
  press(key: Key | string): void {
    this.requireOpen('press()');
    if (!isKey(key)) throw new DeviceError('EPROTO', `unknown key "${key}"`);
    this.keys.emit({ key, repeat: false });
  }

  simControls(): SimControls {
    return { keypad: { keys: KEYS, press: (key) => this.press(key) } };
  }
}

export function createSimKeypad(): SimKeypad {
  return new SimKeypad();
}
