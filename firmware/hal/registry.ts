// Driver registry: maps board-config driver names to factories; real drivers load lazily so sim boards need no native modules.
import type { DevicesConfig } from '../board/devices';
import { DeviceError, type Device, type DeviceClass } from './device';
import type { DriverContext } from './driver-context';
import type { BarcodeScanner } from './scanner/scanner';
import type { MagstripeReader } from './magstripe/magstripe';
import type { PinPad } from './pinpad/pinpad';
import type { ReceiptPrinter } from './printer/printer';
import type { Display } from './display/display';
import type { Keypad } from './keypad/keypad';
import { isSimControllable, type SimControls } from './sim-controls';
import { createSimScanner } from './scanner/scanner.sim';
import { createSimMagstripe } from './magstripe/magstripe.sim';
import { createSimPinPad } from './pinpad/pinpad.sim';
import { createSimPrinter } from './printer/printer.sim';
import { createSimDisplay } from './display/display.sim';
import { createSimKeypad } from './keypad/keypad.sim';

export interface Devices {
  scanner: BarcodeScanner;
  magstripe: MagstripeReader;
  pinpad: PinPad;
  printer: ReceiptPrinter;
  display: Display;
  keypad: Keypad;
}

type AnyFactory = (config: never, ctx: DriverContext) => Device;

/** A real driver: module path (relative to this folder) and the factory it exports, required on first use. */
function lazy(modulePath: string, exportName: string): AnyFactory {
  return (config, ctx) => {
    let mod: Record<string, unknown>;
    try {
      mod = require(modulePath);
    } catch (err) {
      throw new DeviceError('EDRIVER', `driver module ${modulePath} failed to load: ${(err as Error).message}`, { cause: err });
    }
    const factory = mod[exportName];
    if (typeof factory !== 'function') throw new DeviceError('EDRIVER', `driver module ${modulePath} has no ${exportName}()`);
    return (factory as AnyFactory)(config, ctx);
  };
}

/** Every driver name a board config may use, per device class. */
export const DRIVERS: Record<DeviceClass, Record<string, AnyFactory>> = {
  scanner: {
    sim: createSimScanner as AnyFactory,
    serial: lazy('./scanner/scanner.serial', 'createSerialScanner'),
    hid: lazy('./scanner/scanner.hid', 'createHidScanner'),
  },
  magstripe: {
    sim: createSimMagstripe as AnyFactory,
    serial: lazy('./magstripe/magstripe.serial', 'createSerialMagstripe'),
    hid: lazy('./magstripe/magstripe.hid', 'createHidMagstripe'),
  },
  pinpad: {
    sim: createSimPinPad as AnyFactory,
    serial: lazy('./pinpad/pinpad.serial', 'createSerialPinPad'),
  },
  printer: {
    sim: createSimPrinter as AnyFactory,
    serial: lazy('./printer/printer.serial', 'createSerialPrinter'),
    usb: lazy('./printer/printer.usb', 'createUsbPrinter'),
    tcp: lazy('./printer/printer.tcp', 'createTcpPrinter'),
  },
  display: {
    sim: createSimDisplay as AnyFactory,
    'hd44780-pcf8574': lazy('./display/hd44780-pcf8574', 'createHd44780Display'),
    ssd1306: lazy('./display/ssd1306', 'createSsd1306Display'),
  },
  keypad: {
    sim: createSimKeypad as AnyFactory,
    'gpio-matrix': lazy('./keypad/keypad.gpio', 'createGpioKeypad'),
  },
};

export const DEVICE_CLASSES: DeviceClass[] = ['display', 'keypad', 'printer', 'magstripe', 'scanner', 'pinpad'];

export interface DeviceFailure {
  deviceClass: DeviceClass;
  driver: string;
  error: DeviceError;
}

export interface OpenedDevices {
  devices: Partial<Devices>;
  failures: DeviceFailure[];
  /** The control surfaces of the simulated devices among them (empty when none is simulated). */
  controls: SimControls;
}

function asDeviceError(err: unknown): DeviceError {
  if (err instanceof DeviceError) return err;
  return new DeviceError('EIO', err instanceof Error ? err.message : String(err), { cause: err });
}

/** Creates and opens every device on the board. A missing or failing device is reported, never fatal. */
export async function openDevices(config: DevicesConfig, ctx: DriverContext): Promise<OpenedDevices> {
  const log = ctx.log.child({ ns: 'hal' });
  const devices: Partial<Record<DeviceClass, Device>> = {};
  const failures: DeviceFailure[] = [];
  for (const deviceClass of DEVICE_CLASSES) {
    const section = config[deviceClass];
    const factory = DRIVERS[deviceClass][section.driver];
    try {
      if (!factory) throw new DeviceError('EDRIVER', `no driver "${section.driver}" for ${deviceClass}`);
      const device = factory(section as never, ctx);
      await device.open();
      device.onError((err) => log.warn({ deviceClass, driver: section.driver, code: err.code, err: err.message }, `${deviceClass} fault`));
      devices[deviceClass] = device;
      log.info({ deviceClass, driver: section.driver }, `${deviceClass} ready`);
    } catch (err) {
      const error = asDeviceError(err);
      failures.push({ deviceClass, driver: section.driver, error });
      log.error({ deviceClass, driver: section.driver, code: error.code, err: error.message }, `${deviceClass} failed to open`);
    }
  }
  const controls: SimControls = Object.assign({}, ...Object.values(devices).filter(isSimControllable).map((d) => d.simControls()));
  return { devices: devices as Partial<Devices>, failures, controls };
}

/** Closes every opened device; errors are ignored (shutdown path). */
export async function closeDevices(devices: Partial<Devices>): Promise<void> {
  await Promise.all(Object.values(devices).map((d) => (d as Device).close().catch(() => undefined)));
}
