// `posfw keys tr31 decode|encode`: read a TR-31 / X9.143 key block under a KBPK, or wrap a key into one (tests, scripts).
import type { Command } from 'commander';
import { HexInputError, parseHex, toHex } from '../../firmware/crypto/hex';
import { displayCheckValue } from '../../firmware/crypto/key-check-value';
import { decodeKeyBlock, encodeKeyBlock, Tr31Error, type DecodedKeyBlock, type KeyBlockSpec } from '../../firmware/crypto/tr31';
import { ALGORITHMS, EXPORTABILITY, KEY_CONTEXTS, KEY_USAGES, MODES_OF_USE, OPTIONAL_BLOCKS } from '../../firmware/crypto/tr31-fields';
import { VERSION_INFO, type Tr31Version } from '../../firmware/crypto/tr31-header';

interface DecodeOptions {
  kbpk: string;
  json?: boolean;
  reveal?: boolean;
}
interface EncodeOptions {
  kbpk: string;
  key: string;
  blockVersion: string;
  usage: string;
  algorithm: string;
  mode: string;
  keyVersion: string;
  exportability: string;
  keyContext: string;
  opt: string[];
  mask?: string;
  json?: boolean;
}

/** What `decode --json` prints. `key` only with --reveal. */
export interface DecodeResult {
  version: Tr31Version;
  keyUsage: string;
  algorithm: string;
  modeOfUse: string;
  /** Key length in bytes. */
  keyLength: number;
  keyVersion: string;
  exportability: string;
  keyContext: string;
  optionalBlocks: Array<{ id: string; data: string }>;
  /** Key check value (3 bytes legacy for DES/TDES, 5 bytes CMAC for AES); absent for other algorithms. */
  checkValue?: string;
  key?: string;
}

/** Bad command-line input: exit 2. */
class UsageError extends Error {}

const KBPK_LENGTHS = [8, 16, 24, 32];

function describe(d: DecodedKeyBlock, reveal: boolean): DecodeResult {
  const h = d.header;
  const out: DecodeResult = {
    version: h.version,
    keyUsage: h.keyUsage,
    algorithm: h.algorithm,
    modeOfUse: h.modeOfUse,
    keyLength: d.key.length,
    keyVersion: h.keyVersion,
    exportability: h.exportability,
    keyContext: h.keyContext,
    optionalBlocks: h.optionalBlocks.map((b) => ({ id: b.id, data: b.data })),
  };
  const kcv = displayCheckValue(h.algorithm, d.key);
  if (kcv) out.checkValue = kcv;
  if (reveal) out.key = toHex(d.key);
  return out;
}

/** Decodes and describes a block; throws HexInputError (exit 2) or Tr31Error (exit 1). */
export function runDecode(block: string, opts: DecodeOptions): DecodeResult {
  const kbpk = parseHex(opts.kbpk, '--kbpk', KBPK_LENGTHS);
  const decoded = decodeKeyBlock(block, kbpk);
  try {
    return describe(decoded, opts.reveal === true);
  } finally {
    decoded.key.fill(0);
    kbpk.fill(0);
  }
}

const line = (label: string, value: string, names?: Readonly<Record<string, string>>) =>
  `${label.padEnd(15)}${value}${names?.[value] ? `  ${names[value]}` : ''}`;

function formatText(r: DecodeResult): string {
  const lines = [
    `${'version'.padEnd(15)}${r.version}  ${VERSION_INFO[r.version].binding}`,
    line('key usage', r.keyUsage, KEY_USAGES),
    line('algorithm', r.algorithm, ALGORITHMS),
    line('mode of use', r.modeOfUse, MODES_OF_USE),
    line('key version', r.keyVersion === '00' ? '00  (none)' : r.keyVersion),
    line('exportability', r.exportability, EXPORTABILITY),
    line('key context', r.keyContext, KEY_CONTEXTS),
    line('key length', `${r.keyLength} bytes`),
  ];
  if (r.checkValue) lines.push(line('check value', r.checkValue));
  for (const b of r.optionalBlocks) lines.push(line('optional block', `${b.id}  ${b.data}${OPTIONAL_BLOCKS[b.id] ? `  (${OPTIONAL_BLOCKS[b.id]})` : ''}`));
  if (r.key) lines.push(line('key', r.key));
  return lines.join('\n') + '\n';
}

function parseOptionalBlock(text: string): { id: string; data: string } {
  const m = /^([0-9A-Z]{2})=(.*)$/s.exec(text);
  if (!m) throw new UsageError(`--opt must be ID=DATA with a 2-character ID, e.g. KS=FFFF9876543210E00000; got "${text.slice(0, 8)}..."`);
  return { id: m[1], data: m[2] };
}

/** Wraps a key; throws UsageError, HexInputError or Tr31Error, all bad input (exit 2). */
export function runEncode(opts: EncodeOptions): { keyBlock: string; checkValue?: string } {
  const version = opts.blockVersion;
  if (version !== 'B' && version !== 'D') throw new UsageError(`--block-version must be B (TDES KBPK) or D (AES KBPK), got "${version}"`);
  const mask = opts.mask === undefined ? undefined : Number(opts.mask);
  if (mask !== undefined && !(Number.isInteger(mask) && mask > 0)) throw new UsageError('--mask must be a whole number of bytes');
  const kbpk = parseHex(opts.kbpk, '--kbpk', KBPK_LENGTHS);
  const key = parseHex(opts.key, '--key');
  const spec: KeyBlockSpec = {
    version,
    keyUsage: opts.usage,
    algorithm: opts.algorithm,
    modeOfUse: opts.mode,
    keyVersion: opts.keyVersion,
    exportability: opts.exportability,
    keyContext: opts.keyContext,
    optionalBlocks: opts.opt.map(parseOptionalBlock),
  };
  try {
    const keyBlock = encodeKeyBlock(spec, key, kbpk, { maskedKeyLength: mask });
    const checkValue = displayCheckValue(spec.algorithm, key);
    return checkValue ? { keyBlock, checkValue } : { keyBlock };
  } finally {
    key.fill(0);
    kbpk.fill(0);
  }
}

/** Writes a failure to stderr with its exit code; rethrows anything that is not a known input/block error. */
function fail(name: string, err: unknown, blockError: boolean): void {
  if (!(err instanceof UsageError || err instanceof HexInputError || err instanceof Tr31Error)) throw err;
  const invalidBlock = blockError && err instanceof Tr31Error;
  process.stderr.write(`posfw keys tr31 ${name}: ${invalidBlock ? 'key block refused: ' : ''}${err.message}\n`);
  process.exitCode = invalidBlock ? 1 : 2;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Registers `keys tr31 decode` and `keys tr31 encode` under the `keys` group. */
export function register(keys: Command): void {
  const tr31 = keys
    .command('tr31')
    .description('TR-31 / ANSI X9.143 key blocks: read versions A, B, C and D; write B and D')
    .addHelpText('after', '\nExit codes: 0 ok, 1 the key block does not check out (MAC, length, header; reason on stderr), 2 usage error.');

  tr31
    .command('decode')
    .description('Verify and decrypt a key block under a KBPK; prints its header fields (the key only with --reveal)')
    .argument('<block>', 'the key block, e.g. D0112P0AE00E0000...')
    .requiredOption('--kbpk <hex>', 'key block protection key, hex: TDES (8/16/24 bytes) for A/B/C, AES (16/24/32 bytes) for D')
    .option('--json', 'print JSON')
    .option('--reveal', 'also print the clear key (upper-case hex); never use with production keys')
    .action((block: string, opts: DecodeOptions) => {
      let result: DecodeResult;
      try {
        result = runDecode(block, opts);
      } catch (err) {
        return fail('decode', err, true);
      }
      process.stdout.write(opts.json ? JSON.stringify(result) + '\n' : formatText(result));
    });

  tr31
    .command('encode')
    .description('Wrap a key into a version B (TDES KBPK) or D (AES KBPK) key block; for tests and scripts')
    .requiredOption('--kbpk <hex>', 'key block protection key, hex: 16/24 bytes (B) or 16/24/32 bytes (D)')
    .requiredOption('--key <hex>', 'the clear key to wrap, hex')
    .requiredOption('--block-version <B|D>', 'key block version ID: B (TDES KBPK) or D (AES KBPK)')
    .requiredOption('--usage <code>', 'key usage, e.g. B1 (initial DUKPT key), B0 (BDK), P0 (PIN encryption)')
    .requiredOption('--algorithm <code>', 'algorithm of the key: T (TDES), A (AES), ...')
    .requiredOption('--mode <code>', 'mode of use, e.g. X (derive keys), N (no restrictions), E (encrypt only)')
    .option('--key-version <vv>', 'key version number, 2 characters', '00')
    .option('--exportability <e>', 'E exportable, N non-exportable, S sensitive', 'N')
    .option('--key-context <c>', 'key context: 0 any, 1 storage, 2 exchange', '0')
    .option('--opt <ID=DATA>', 'optional block, repeatable, e.g. --opt KS=FFFF9876543210E00000', collect, [])
    .option('--mask <bytes>', 'pad as if the key had this many bytes (default 24 for TDES, 32 for AES)')
    .option('--json', 'print JSON')
    .action((opts: EncodeOptions) => {
      let result: { keyBlock: string; checkValue?: string };
      try {
        result = runEncode(opts);
      } catch (err) {
        return fail('encode', err, false);
      }
      const text = `key block    ${result.keyBlock}\n` + (result.checkValue ? `check value  ${result.checkValue}\n` : '');
      process.stdout.write(opts.json ? JSON.stringify(result) + '\n' : text);
    });
}
