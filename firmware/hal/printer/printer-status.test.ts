// Exact-byte tests for DLE EOT requests and status reply decoding (Epson ESC/POS reference bit tables).
import { DeviceError } from '../device';
import {
  STATUS_QUERY,
  decodeErrorCause,
  decodeOfflineCause,
  decodePaperSensor,
  decodePrinterStatus,
  decodeStatusReplies,
  encodeStatusReply,
  isStatusByte,
  statusRequest,
} from './printer-status';

describe('DLE EOT status', () => {
  it('encodes DLE EOT n', () => {
    expect([1, 2, 3, 4].map((n) => statusRequest(n as never).toString('hex'))).toEqual(['100401', '100402', '100403', '100404']);
    expect(STATUS_QUERY.toString('hex')).toBe('100401100402100404');
    expect(() => statusRequest(5 as never)).toThrow('DLE EOT n: expected 1, 2, 3 or 4, got 5');
  });

  it('decodes n=1 printer status (bit 3 off-line, bit 2 drawer pin)', () => {
    expect(decodePrinterStatus(0x12)).toEqual({ drawerPinHigh: false, offline: false });
    expect(decodePrinterStatus(0x16)).toEqual({ drawerPinHigh: true, offline: false });
    expect(decodePrinterStatus(0x1e)).toEqual({ drawerPinHigh: true, offline: true });
  });

  it('decodes n=2 off-line cause (bit 2 cover, 3 feed button, 5 paper-end stop, 6 error)', () => {
    expect(decodeOfflineCause(0x12)).toEqual({ coverOpen: false, feedButton: false, paperEndStop: false, error: false });
    expect(decodeOfflineCause(0x16)).toEqual({ coverOpen: true, feedButton: false, paperEndStop: false, error: false });
    expect(decodeOfflineCause(0x32)).toEqual({ coverOpen: false, feedButton: false, paperEndStop: true, error: false });
    expect(decodeOfflineCause(0x5a)).toEqual({ coverOpen: false, feedButton: true, paperEndStop: false, error: true });
  });

  it('decodes n=3 error cause (bit 3 cutter, 5 unrecoverable, 6 auto-recoverable)', () => {
    expect(decodeErrorCause(0x12)).toEqual({ cutterError: false, unrecoverable: false, autoRecoverable: false });
    expect(decodeErrorCause(0x1a)).toEqual({ cutterError: true, unrecoverable: false, autoRecoverable: false });
    expect(decodeErrorCause(0x72)).toEqual({ cutterError: false, unrecoverable: true, autoRecoverable: true });
  });

  it('decodes n=4 roll paper sensor (bits 2-3 near end, bits 5-6 paper end)', () => {
    expect(decodePaperSensor(0x12)).toEqual({ nearEnd: false, paperOut: false });
    expect(decodePaperSensor(0x1e)).toEqual({ nearEnd: true, paperOut: false });
    expect(decodePaperSensor(0x7e)).toEqual({ nearEnd: true, paperOut: true });
    expect(decodePaperSensor(0x72)).toEqual({ nearEnd: false, paperOut: true });
  });

  it('rejects bytes whose fixed bits are wrong as EPROTO', () => {
    expect(isStatusByte(0x12)).toBe(true);
    expect(isStatusByte(0x00)).toBe(false);
    expect(isStatusByte(0x93)).toBe(false);
    expect(() => decodePrinterStatus(0x41)).toThrow(DeviceError);
    expect(() => decodePaperSensor(0x0c)).toThrow(expect.objectContaining({ code: 'EPROTO', message: expect.stringContaining('0x0c') }));
  });

  it('combines replies to DLE EOT 1, 2, 4 into PrinterStatus', () => {
    expect(decodeStatusReplies(Buffer.from([0x12, 0x12, 0x12]))).toEqual({ state: 'online', paperNearEnd: false });
    expect(decodeStatusReplies(Buffer.from([0x12, 0x12, 0x1e]))).toEqual({ state: 'online', paperNearEnd: true });
    expect(decodeStatusReplies(Buffer.from([0x1a, 0x32, 0x7e]))).toEqual({ state: 'paper-out', paperNearEnd: true });
    expect(decodeStatusReplies(Buffer.from([0x1a, 0x16, 0x12]))).toEqual({ state: 'cover-open', paperNearEnd: false });
    expect(decodeStatusReplies(Buffer.from([0x1a, 0x36, 0x72]))).toEqual({ state: 'cover-open', paperNearEnd: false });
    expect(decodeStatusReplies(Buffer.from([0x1a, 0x12, 0x12]))).toEqual({ state: 'offline', paperNearEnd: false });
    expect(decodeStatusReplies(Buffer.from([0x12, 0x52, 0x12]))).toEqual({ state: 'offline', paperNearEnd: false });
    expect(() => decodeStatusReplies(Buffer.from([0x12, 0x12]))).toThrow('status reply: expected 3 bytes, got 2');
  });

  it('encodes the replies a printer in a given state sends (for emulators)', () => {
    const out = { paperOut: true, nearEnd: true };
    expect([1, 2, 3, 4].map((n) => encodeStatusReply(n as never, out))).toEqual([0x1a, 0x32, 0x12, 0x7e]);
    expect([1, 2, 3, 4].map((n) => encodeStatusReply(n as never, { coverOpen: true }))).toEqual([0x1a, 0x16, 0x12, 0x12]);
    expect([1, 2, 3, 4].map((n) => encodeStatusReply(n as never, {}))).toEqual([0x12, 0x12, 0x12, 0x12]);
  });
});
