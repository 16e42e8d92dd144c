// Lazy node-hid loader: required only when a HID driver opens, with DeviceError EDRIVER / ENODEV instead of a crash.
import { DeviceError } from '../device';
import type { HidDevice, OpenHid } from './hid-device';

type NodeHid = typeof import('node-hid');
type Require = (id: string) => unknown;

/** Signs that the native side (node-hid's binding or libusb/hidraw libraries) cannot load. */
const NATIVE_LOAD_FAILURE = /cannot open shared object|libusb|libudev|MODULE_NOT_FOUND|Cannot find module|No native build|was compiled against/i;

/** Loads node-hid. `req` is a seam for tests. @throws DeviceError EDRIVER when the module cannot load. */
export function loadNodeHid(req: Require = require): NodeHid {
  try {
    return req('node-hid') as NodeHid;
  } catch (err) {
    throw new DeviceError('EDRIVER', `node-hid cannot load (optional dependency; needs libusb-1.0 on Linux): ${(err as Error).message}`, { cause: err });
  }
}

/** Maps an error thrown while opening a HID device to a DeviceError. */
export function hidOpenError(err: unknown, vendorId: number, productId: number): DeviceError {
  if (err instanceof DeviceError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const id = `${hex4(vendorId)}:${hex4(productId)}`;
  if (NATIVE_LOAD_FAILURE.test(message)) return new DeviceError('EDRIVER', `node-hid cannot load its native binding: ${message}`, { cause: err });
  return new DeviceError('ENODEV', `HID device ${id} cannot be opened: ${message}`, { cause: err });
}

/** An OpenHid backed by node-hid (loaded on first call). */
export function nodeHidOpener(req: Require = require): OpenHid {
  return (vendorId, productId) => {
    const hid = loadNodeHid(req);
    try {
      return new hid.HID(vendorId, productId) as unknown as HidDevice;
    } catch (err) {
      throw hidOpenError(err, vendorId, productId);
    }
  };
}

export function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}
