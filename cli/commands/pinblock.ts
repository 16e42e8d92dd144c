// `posfw pinblock encode|decode`: ISO 9564-1 format 0 (clear or TDES-enciphered) and format 4 (AES) PIN blocks.
import type { Command } from 'commander';
import { tdesDecrypt, tdesEncrypt } from '../../firmware/crypto/block-cipher';
import { deterministicFill } from '../../firmware/crypto/deterministic-fill';
import { PinBlockError, type PinBlockReason } from '../../firmware/crypto/errors';
import { HexInputError, parseHex, toHex } from '../../firmware/crypto/hex';
import { decodePinBlockFormat0, decodePinBlockFormat4, encodePinBlockFormat0, encodePinBlockFormat4 } from '../../firmware/crypto/pinblock';

interface CommonOptions {
  format: string;
  pan: string;
  key?: string;
  json?: boolean;
}
interface EncodeOptions extends CommonOptions {
  pin: string;
  deterministic?: boolean;
}
interface DecodeOptions extends CommonOptions {
  block: string;
}

/** Bad command-line input: reported on stderr with exit code 2. */
class UsageError extends Error {}

/** PinBlockError reasons that mean the caller's input is unusable (exit 2) rather than the block being invalid (exit 1). */
const INPUT_REASONS: ReadonlySet<PinBlockReason> = new Set(['block-length', 'pan', 'key']);

function parseFormat(text: string): 0 | 4 {
  if (text === '0') return 0;
  if (text === '4') return 4;
  throw new UsageError(`--format must be 0 or 4, got ${JSON.stringify(text)}`);
}

function parseKey(format: 0 | 4, key: string | undefined): Buffer | undefined {
  if (format === 4) {
    if (key === undefined) throw new UsageError('--format 4 needs --key (AES key, 16, 24 or 32 bytes hex)');
    return parseHex(key, '--key', [16, 24, 32]);
  }
  return key === undefined ? undefined : parseHex(key, '--key', [16, 24]);
}

/** PIN block hex: format 0 blocks are clear unless --key (TDES) is given; format 4 blocks are always AES-enciphered. */
export function runEncode(opts: EncodeOptions): { pinBlock: string } {
  const format = parseFormat(opts.format);
  const key = parseKey(format, opts.key);
  if (format === 0) {
    const clear = encodePinBlockFormat0(opts.pin, opts.pan);
    return { pinBlock: toHex(key ? tdesEncrypt(key, clear) : clear) };
  }
  const random = opts.deterministic ? deterministicFill : undefined;
  return { pinBlock: toHex(encodePinBlockFormat4(opts.pin, opts.pan, key as Buffer, random)) };
}

/** The PIN in a block; throws PinBlockError saying why when the block is not valid. */
export function runDecode(opts: DecodeOptions): { pin: string } {
  const format = parseFormat(opts.format);
  const key = parseKey(format, opts.key);
  if (format === 0) {
    const block = parseHex(opts.block, '--block', [8]);
    return { pin: decodePinBlockFormat0(key ? tdesDecrypt(key, block) : block, opts.pan) };
  }
  return { pin: decodePinBlockFormat4(parseHex(opts.block, '--block', [16]), opts.pan, key as Buffer) };
}

/**
 * Runs `fn`, reporting bad input (exit 2) or an invalid PIN block (exit 1) on stderr. Only `decode` reads
 * blocks: every PinBlockError from `encode` is about its PIN/PAN/key input.
 */
function report<T>(name: 'encode' | 'decode', fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof UsageError || err instanceof HexInputError || err instanceof PinBlockError)) throw err;
    const invalidBlock = name === 'decode' && err instanceof PinBlockError && !INPUT_REASONS.has(err.reason);
    process.exitCode = invalidBlock ? 1 : 2;
    process.stderr.write(`posfw pinblock ${name}: ${invalidBlock ? 'invalid PIN block: ' : ''}${err.message}\n`);
    return undefined;
  }
}

/** Registers `posfw pinblock encode` and `posfw pinblock decode`. */
export function register(program: Command): void {
  const pinblock = program
    .command('pinblock')
    .description('Build or read ISO 9564-1 PIN blocks (format 0, format 4)')
    .addHelpText('after', '\nExit codes: 0 ok, 1 the block is not a valid PIN block (wrong key/PAN or corrupted), 2 bad input.');

  pinblock
    .command('encode')
    .description('Build a PIN block: format 0 clear (or TDES-enciphered with --key), format 4 AES-enciphered')
    .requiredOption('--format <n>', 'ISO 9564-1 format: 0 or 4')
    .requiredOption('--pin <digits>', 'PIN, 4-12 digits')
    .requiredOption('--pan <digits>', 'PAN the block is bound to (format 0: 13-19 digits; format 4: 1-19)')
    .option('--key <hex>', 'format 4: AES key (16/24/32 bytes); format 0: optional TDES key (16/24 bytes)')
    .option('--deterministic', 'format 4: fixed fill (the X9.24-3 example value) instead of random bytes; testing only (format 0 has no random part)')
    .option('--json', 'print JSON')
    .action((opts: EncodeOptions) => {
      const out = report('encode', () => runEncode(opts));
      if (out) process.stdout.write(opts.json ? JSON.stringify(out) + '\n' : `PIN block  ${out.pinBlock}\n`);
    });

  pinblock
    .command('decode')
    .description('Read the PIN out of a PIN block (prints the clear PIN)')
    .requiredOption('--format <n>', 'ISO 9564-1 format: 0 or 4')
    .requiredOption('--block <hex>', 'PIN block, hex (format 0: 8 bytes; format 4: 16 bytes)')
    .requiredOption('--pan <digits>', 'PAN the block is bound to')
    .option('--key <hex>', 'format 4: AES key (required); format 0: TDES key if the block is enciphered')
    .option('--json', 'print JSON')
    .action((opts: DecodeOptions) => {
      const out = report('decode', () => runDecode(opts));
      if (out) process.stdout.write(opts.json ? JSON.stringify(out) + '\n' : `PIN  ${out.pin}\n`);
    });
}
