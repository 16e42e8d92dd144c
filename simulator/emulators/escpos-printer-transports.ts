// Printer emulator transports: the printer end of a pty (serialport), a raw TCP server, and a device file it reads.
import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { SerialPort } from 'serialport';
import type { EscposPrinterEmulator } from './escpos-printer';

export interface SerialPeer {
  /** Closes the printer end (no-op when the line already dropped). */
  close(): Promise<void>;
  /** Resolves when the port closed, by close() or because the pty pair went away. */
  readonly closed: Promise<void>;
}

/** Opens the printer end of a pty pair: bytes go to the emulator, its replies go back on the line. */
export function attachSerial(emu: EscposPrinterEmulator, path: string, baudRate = 9600): Promise<SerialPeer> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    const closed = new Promise<void>((r) => port.once('close', () => r()));
    port.open((err) => {
      if (err) return reject(err);
      port.on('error', () => undefined);
      port.on('data', (d: Buffer) => {
        const reply = emu.receive(d);
        if (reply.length) port.write(reply);
      });
      resolve({
        closed,
        close: () => (port.isOpen ? new Promise<void>((r) => port.close(() => r())) : Promise.resolve()),
      });
    });
  });
}

export interface TcpPeer {
  readonly port: number;
  /** Connections accepted so far (each print job is one). */
  readonly connections: () => number;
  close(): Promise<void>;
}

/** Raw-port printer on 127.0.0.1 (ephemeral port): each connection feeds the emulator and gets its DLE EOT replies. */
export function listenTcp(emu: EscposPrinterEmulator): Promise<TcpPeer> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (d) => {
      const reply = emu.receive(d);
      if (reply.length) socket.write(reply);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        port,
        connections: () => count,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

/**
 * A plain file standing in for /dev/usb/lpN: the driver appends, `sync()` feeds the bytes written since the last
 * sync to the emulator. Call it before reading the emulator or changing its paper/cover state.
 */
export class FileSink {
  private offset = 0;

  constructor(
    private readonly emu: EscposPrinterEmulator,
    readonly path: string,
  ) {
    writeFileSync(path, Buffer.alloc(0));
  }

  sync(): void {
    const fd = openSync(this.path, 'r');
    try {
      const chunk = Buffer.alloc(64 * 1024);
      for (let guard = 0; guard < 10000; guard++) {
        const n = readSync(fd, chunk, 0, chunk.length, this.offset);
        if (n === 0) return;
        this.offset += n;
        this.emu.receive(chunk.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
  }
}
