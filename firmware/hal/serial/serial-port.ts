// What the serial line needs from a port: the serialport subset, its lazy loader, open-error mapping and path identity.
import { stat } from 'node:fs/promises';
import { DeviceError } from '../device';

/** Modem control lines a driver may ask for (DTR / RTS). */
export interface ModemLines {
  dtr?: boolean;
  rts?: boolean;
}

/** The part of serialport's SerialPort the line uses (tests hand in a fake with the same shape). */
export interface SerialPortLike {
  readonly isOpen: boolean;
  open(callback: (err: Error | null) => void): void;
  close(callback?: (err: Error | null) => void): void;
  write(data: Buffer, callback?: (err: Error | null | undefined) => void): boolean;
  drain(callback: (err: Error | null) => void): void;
  /** Modem lines; a pty calls back with "Inappropriate ioctl for device". Optional in fakes. */
  set?(lines: ModemLines, callback: (err: Error | null) => void): void;
  on(event: 'data', listener: (data: Buffer) => void): this;
  on(event: 'close', listener: (err?: Error | null) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  removeAllListeners(): this;
}

export interface SerialPortOpenOptions {
  path: string;
  baudRate: number;
  hupcl: boolean;
}

export type OpenSerialPort = (opts: SerialPortOpenOptions) => SerialPortLike;

/** Creates serialport's SerialPort (required here, not at module load, so sim boards never load the native binding). */
export const openSerialPort: OpenSerialPort = ({ path, baudRate, hupcl }) => {
  const { SerialPort } = require('serialport') as typeof import('serialport');
  return new SerialPort({ path, baudRate, hupcl, autoOpen: false }) as unknown as SerialPortLike;
};

/** Which device node `path` names now (dev:ino:rdev through symlinks), or undefined when it is gone. */
export async function identifyPath(path: string): Promise<string | undefined> {
  try {
    const st = await stat(path);
    return `${st.dev}:${st.ino}:${st.rdev}`;
  } catch {
    return undefined;
  }
}

/** DeviceError for a failed open: ENODEV (no such path), EDRIVER (serialport cannot load), EIO otherwise; names the path. */
export function serialOpenError(path: string, err: unknown): DeviceError {
  if (err instanceof DeviceError) return err;
  const e = err as NodeJS.ErrnoException;
  const message = String(e?.message ?? err);
  if (e?.code === 'MODULE_NOT_FOUND') return new DeviceError('EDRIVER', `cannot open ${path}: serialport cannot load: ${message}`, { cause: err });
  const missing = e?.code === 'ENOENT' || /ENOENT|No such file/i.test(message);
  return new DeviceError(missing ? 'ENODEV' : 'EIO', `cannot open ${path}: ${message}`, { cause: err });
}
