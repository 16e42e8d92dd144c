// `posfw keys load-pinpad`: verifies a TR-31 / X9.143 key block under a KBPK and injects the initial DUKPT key into the PIN pad.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBoard, BoardConfigError } from '../../firmware/board/load';
import { HexInputError, parseHex } from '../../firmware/crypto/hex';
import { DRIVERS } from '../../firmware/hal/registry';
import { lockHolder } from '../../firmware/journal/lock-holder';
import type { PinPad } from '../../firmware/hal/pinpad/pinpad';
import { loadDeviceKey } from '../../firmware/keys/device-key';
import { KeyWrap } from '../../firmware/keys/key-wrap';
import { loadPinPadKeyBlock, PinPadLoadError, type PinPadLoadResult } from '../../firmware/keys/pinpad-loading';
import { silentLogger } from '../../firmware/log';

interface LoadOptions {
  board: string;
  data: string;
  kbpk?: string;
  kbpkFile?: string;
  blockFile?: string;
  ksn?: string;
  json?: boolean;
}

/** Bad command-line input (exit 2). */
class UsageError extends Error {}

const KBPK_LENGTHS = [16, 24, 32];

/** The KBPK: a file of hex digits or raw bytes (what a key ceremony leaves), or hex on the command line (test keys). */
function readKbpk(opts: LoadOptions): Buffer {
  if (!!opts.kbpk === !!opts.kbpkFile) throw new UsageError('give the key block protection key with --kbpk-file FILE (or --kbpk HEX for test keys), once');
  if (opts.kbpk) return parseHex(opts.kbpk, '--kbpk', KBPK_LENGTHS);
  let raw: Buffer;
  try {
    raw = readFileSync(opts.kbpkFile!);
  } catch (err) {
    throw new UsageError(`cannot read --kbpk-file: ${(err as Error).message}`);
  }
  const text = raw.toString('latin1').trim();
  if (/^[0-9a-fA-F]+$/.test(text)) return parseHex(text, '--kbpk-file', KBPK_LENGTHS);
  if (KBPK_LENGTHS.includes(raw.length)) return raw;
  throw new UsageError(`--kbpk-file must hold a 16-, 24- or 32-byte key as hex digits or raw bytes; it holds ${raw.length} bytes`);
}

function readBlock(block: string | undefined, opts: LoadOptions): string {
  if (!!block === !!opts.blockFile) throw new UsageError('give the key block as an argument or with --block-file FILE, once');
  if (block) return block;
  try {
    return readFileSync(opts.blockFile!, 'latin1').trim();
  } catch (err) {
    throw new UsageError(`cannot read --block-file: ${(err as Error).message}`);
  }
}

/** Loads the board's PIN pad; the terminal must be stopped (the pad is one device, its state one file). */
export async function runLoadPinPad(block: string | undefined, opts: LoadOptions): Promise<PinPadLoadResult & { pinpad: string }> {
  let board;
  try {
    board = loadBoard(opts.board);
  } catch (err) {
    throw new UsageError(err instanceof BoardConfigError ? err.message : (err as Error).message);
  }
  const text = readBlock(block, opts);
  const ksn = opts.ksn === undefined ? undefined : parseHex(opts.ksn, '--ksn', [10, 12]);
  const kbpk = readKbpk(opts);
  const holder = lockHolder(join(opts.data, 'journal'));
  if (holder) throw new Error(`the terminal is running on ${opts.data} (process ${holder.pid}): stop it first; the PIN pad is loaded while nothing else uses it`);
  const config = board.devices.pinpad;
  // The simulated pad keeps its key wrapped under the device key (created on a simulator board's first use).
  const keyWrap = config.driver === 'sim' ? new KeyWrap(await loadDeviceKey({ security: board.security, dataDir: opts.data, boardFile: opts.board }), 'sim-pinpad') : undefined;
  const pad = DRIVERS.pinpad[config.driver](config as never, { log: silentLogger, dataDir: opts.data, peers: new Map(), keyWrap }) as PinPad;
  await pad.open();
  try {
    const result = await loadPinPadKeyBlock(pad.keys, text, kbpk, { allowLegacy: board.security.allowLegacyKeyBlocks, ksn });
    return { ...result, pinpad: config.driver };
  } finally {
    kbpk.fill(0);
    await pad.close();
  }
}

/** Registers `keys load-pinpad` under the `keys` group. */
export function register(keys: Command): void {
  keys
    .command('load-pinpad')
    .description('Load the PIN pad with an initial DUKPT key (B1) or a BDK (B0) from a TR-31 / X9.143 key block (versions B and D; A and C where the board allows legacy blocks)')
    .argument('[block]', 'the key block, e.g. B0104B0TX12S0100KS18... (or --block-file)')
    .requiredOption('--board <file>', 'board config (which PIN pad, and whether legacy blocks are allowed)')
    .option('--data <dir>', 'data folder (the simulated PIN pad keeps its state there)', '/var/lib/posfw')
    .option('--kbpk-file <file>', 'the key block protection key: hex digits or raw bytes (16, 24 or 32)')
    .option('--kbpk <hex>', 'the KBPK as hex on the command line: test keys only (visible in ps and shell history)')
    .option('--block-file <file>', 'read the key block from a file')
    .option('--ksn <hex>', 'initial KSN (10 bytes TDES, 12 bytes AES) when the block has no KS / IK optional block')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nThe terminal must be stopped. Exit codes: 0 loaded, 1 the key block is refused (the reason is on stderr) or the PIN pad failed, 2 usage error.')
    .action(async (block: string | undefined, opts: LoadOptions) => {
      let r: PinPadLoadResult & { pinpad: string };
      try {
        r = await runLoadPinPad(block, opts);
      } catch (err) {
        const usage = err instanceof UsageError || err instanceof HexInputError;
        const refused = err instanceof PinPadLoadError;
        process.stderr.write(`posfw keys load-pinpad: ${refused ? `key block refused (${(err as PinPadLoadError).code}): ` : ''}${(err as Error).message}\n`);
        process.exitCode = usage ? 2 : 1;
        return;
      }
      const what = r.keyUsage === 'B0' ? `BDK (check value ${r.blockCheckValue}), initial key derived` : `initial key (check value ${r.blockCheckValue})`;
      const line = `loaded the ${r.pinpad} PIN pad: ${r.scheme} ${what}, initial key check value ${r.initialKeyCheckValue}, initial KSN ${r.ksn}\n`;
      process.stdout.write(opts.json ? JSON.stringify(r) + '\n' : line);
    });
}
