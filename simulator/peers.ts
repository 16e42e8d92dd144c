// What a simulator board expects beside the terminal: the embedded acquirer simulator and a serial PIN pad's emulator.
import { join } from 'node:path';
import type { BoardConfig } from '../firmware/board/schema';
import { defaultSpec, loadSpec } from '../firmware/host/iso8583';
import type { Logger } from '../firmware/log';
import type { Acquirer } from './acquirer';
import type { EmulatedSerialPinPad } from './emulators/pinpad-emulator-pty';

export interface PeerOptions {
  dataDir: string;
  log: Logger;
  /** HOST:PORT of an acquirer elsewhere: no simulator is started. */
  acquirer?: string;
  /** Ports of the embedded acquirer simulator (default 5858 / 5859; 0 = ephemeral). */
  acquirerPort?: number;
  acquirerAdminPort?: number;
}

export interface Peers {
  /** HOST:PORT the terminal should talk to (undefined: the board's own address). */
  acquirer?: string;
  acquirerAdminUrl?: string;
  /** The embedded acquirer simulator, when one was started. */
  embedded?: Acquirer;
  padEmulator?: EmulatedSerialPinPad;
  close(): Promise<void>;
}

/**
 * Starts the peers `board` names: the acquirer simulator when `host.acquirer` is `embedded` (and no other acquirer
 * was given), with the board's ISO 8583 spec and framing; the PIN pad emulator when a serial PIN pad has `emulate`.
 * Rejects with everything started so far stopped again.
 */
export async function startPeers(board: BoardConfig, opts: PeerOptions): Promise<Peers> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
  };
  try {
    let embedded: Acquirer | undefined;
    if (!opts.acquirer && board.host.acquirer === 'embedded') {
      // Loaded only when a simulator is started: a terminal pointed at another acquirer never loads this one.
      const { startAcquirer } = require('./acquirer') as typeof import('./acquirer');
      embedded = await startAcquirer({
        port: opts.acquirerPort ?? 5858,
        adminPort: opts.acquirerAdminPort ?? 5859,
        dataDir: join(opts.dataDir, 'acquirer'),
        log: opts.log,
        spec: board.host.spec ? loadSpec(board.host.spec) : defaultSpec,
        framing: board.host.header ? { header: Buffer.from(board.host.header, 'hex') } : undefined,
      });
      closers.push(() => embedded!.stop());
    }
    const pad = board.devices.pinpad;
    let padEmulator: EmulatedSerialPinPad | undefined;
    if (pad.driver === 'serial' && pad.emulate) {
      const { emulatorStateFile, startEmulatedSerialPinPad } = require('./emulators/pinpad-emulator-pty') as typeof import('./emulators/pinpad-emulator-pty');
      padEmulator = await startEmulatedSerialPinPad(pad, opts.log.child({ ns: 'sim.pinpad' }), emulatorStateFile(opts.dataDir));
      closers.push(() => padEmulator!.close());
    }
    return {
      acquirer: opts.acquirer ?? (embedded ? `127.0.0.1:${embedded.port}` : undefined),
      acquirerAdminUrl: embedded?.adminUrl,
      embedded,
      padEmulator,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
