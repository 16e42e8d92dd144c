// The device end of a serial line (a pty link): emulated scan heads and card readers write their bytes here.
import { SerialPort } from 'serialport';

export interface SerialPeer {
  readonly path: string;
  /** Writes `data` and resolves once it was handed to the line (drained). Rejects when the port is closed. */
  write(data: Buffer): Promise<void>;
  /** Closes the port; safe twice, and after the line went away. */
  close(): Promise<void>;
}

/** Opens `path` as the device end. Rejects when it cannot be opened (no such link: socat not running). */
export function openSerialPeer(path: string, baudRate = 9600): Promise<SerialPeer> {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError('openSerialPeer(): expected a serial path');
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.open((err) => {
      if (err) return reject(new Error(`openSerialPeer(): cannot open ${path}: ${err.message}`));
      // The driver on the other end may write (it should not, for these devices); reading keeps the pty drained.
      port.on('data', () => undefined);
      port.on('error', () => undefined);
      resolve({
        path,
        write: (data) =>
          new Promise<void>((ok, fail) => {
            if (!port.isOpen) return fail(new Error(`${path} is closed`));
            port.write(data, (e) => (e ? fail(e) : port.drain((d) => (d ? fail(d) : ok()))));
          }),
        close: () => (port.isOpen ? new Promise<void>((done) => port.close(() => done())) : Promise.resolve()),
      });
    });
  });
}
