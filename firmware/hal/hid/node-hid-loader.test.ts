// Unit tests for the lazy node-hid loader: EDRIVER when node-hid or libusb is missing, ENODEV when the device is absent.
import { DeviceError } from '../device';
import { hidOpenError, loadNodeHid, nodeHidOpener } from './node-hid-loader';

describe('node-hid loader', () => {
  it('maps a missing module to EDRIVER', () => {
    const req = () => {
      throw Object.assign(new Error("Cannot find module 'node-hid'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(() => loadNodeHid(req)).toThrow(DeviceError);
    expect(() => nodeHidOpener(req)(1, 2)).toThrow(expect.objectContaining({ code: 'EDRIVER' }));
  });

  it('maps a missing libusb to EDRIVER and an absent device to ENODEV', () => {
    const failing = (message: string) => () => ({
      HID: function HID() {
        throw new Error(message);
      },
    });
    expect(() => nodeHidOpener(failing('libusb-1.0.so.0: cannot open shared object file'))(1, 2)).toThrow(expect.objectContaining({ code: 'EDRIVER' }));
    expect(() => nodeHidOpener(failing('cannot open device with vendor id 0x1 and product id 0x2'))(1, 2)).toThrow(
      expect.objectContaining({ code: 'ENODEV', message: 'HID device 0001:0002 cannot be opened: cannot open device with vendor id 0x1 and product id 0x2' }),
    );
  });

  it('passes DeviceErrors through', () => {
    const e = new DeviceError('EIO', 'x');
    expect(hidOpenError(e, 1, 2)).toBe(e);
  });

  it('loads the real node-hid module without touching a device', () => {
    expect(typeof loadNodeHid().HID).toBe('function');
  });
});
