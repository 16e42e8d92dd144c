// The subset of node-hid's HID class the HID drivers use, so tests can hand in an emulator instead of node-hid.
/** An open HID device: input reports arrive as 'data' events; 'error' means the device is gone (unplugged). */
export interface HidDevice {
  /** One input report per event (report ID first when the device uses numbered reports). */
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  /** Read failure; node-hid stops reading after it (the device was unplugged or reset). */
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeAllListeners(event?: string): unknown;
  /** Sends an output report (report ID first, 0 when the device has none). Returns the bytes written. */
  write(values: number[] | Buffer): number;
  close(): void;
}

/**
 * Opens the HID device with this vendor/product id. Throws when it cannot: the drivers map that to
 * DeviceError ENODEV ("not found"/"cannot open") or EDRIVER (node-hid or libusb cannot load).
 */
export type OpenHid = (vendorId: number, productId: number) => HidDevice;
