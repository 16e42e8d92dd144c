// Base for simulated drivers: open/close state, error listeners and the ENOTOPEN guard.
import { Listeners, type Unsubscribe } from '../common/listeners';
import { DeviceError, type DeviceClass } from './device';

export abstract class SimDevice {
  abstract readonly deviceClass: DeviceClass;
  readonly driver = 'sim';
  protected opened = false;
  protected readonly errors = new Listeners<DeviceError>();

  async open(): Promise<void> {
    this.opened = true;
  }

  async close(): Promise<void> {
    this.opened = false;
  }

  get isOpen(): boolean {
    return this.opened;
  }

  onError(listener: (err: DeviceError) => void): Unsubscribe {
    return this.errors.add(listener);
  }

  /** Throws ENOTOPEN for control calls made while the device is closed. */
  protected requireOpen(what: string): void {
    if (!this.opened) throw new DeviceError('ENOTOPEN', `${this.deviceClass} (sim): ${what} while the device is not open`);
  }
}
