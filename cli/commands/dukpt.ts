// `posfw dukpt`: derives the DUKPT initial and transaction keys (TDES or AES) and optionally an encrypted PIN block.
import type { Command } from 'commander';
import { deriveInitialKey, deriveTransactionKey, encryptPin } from '../../firmware/crypto/dukpt';
import { tdesPinKey } from '../../firmware/crypto/dukpt-tdes';
import { deriveAesPinKey } from '../../firmware/crypto/dukpt-aes';
import { DukptError, PinBlockError } from '../../firmware/crypto/errors';
import { deterministicFill } from '../../firmware/crypto/deterministic-fill';
import { HexInputError, parseHex, toHex } from '../../firmware/crypto/hex';

interface DukptOptions {
  bdk: string;
  ksn: string;
  pin?: string;
  pan?: string;
  json?: boolean;
  deterministic?: boolean;
}

export interface DukptResult {
  scheme: 'tdes' | 'aes128' | 'aes256';
  initialKey: string;
  transactionKey: string;
  /** The key the PIN block is enciphered under (TDES: PIN variant; AES: PIN working key): `pinblock decode --key`. */
  pinKey: string;
  encryptedPinBlock?: string;
}

/** Bad command-line input: reported on stderr with exit code 2. */
class UsageError extends Error {}

/** Computes the command's result; throws UsageError/HexInputError/DukptError/PinBlockError on bad input. */
export function runDukpt(opts: DukptOptions): DukptResult {
  const bdk = parseHex(opts.bdk, '--bdk', [16, 32]);
  const ksn = parseHex(opts.ksn, '--ksn', [10, 12]);
  if ((opts.pin === undefined) !== (opts.pan === undefined)) throw new UsageError('--pin and --pan go together: give both or neither');
  const { scheme, initialKey } = deriveInitialKey(bdk, ksn);
  const transactionKey = deriveTransactionKey(initialKey, ksn, scheme);
  const result: DukptResult = {
    scheme,
    initialKey: toHex(initialKey),
    transactionKey: toHex(transactionKey),
    pinKey: toHex(scheme === 'tdes' ? tdesPinKey(transactionKey) : deriveAesPinKey(transactionKey, ksn, scheme)),
  };
  if (opts.pin !== undefined && opts.pan !== undefined) {
    const random = opts.deterministic ? deterministicFill : undefined;
    const { pinBlock } = encryptPin({ scheme, initialKey, ksn, pin: opts.pin, pan: opts.pan, random });
    result.encryptedPinBlock = toHex(pinBlock);
  }
  return result;
}

function formatText(r: DukptResult): string {
  const scheme = { tdes: 'TDES DUKPT (ANSI X9.24-1)', aes128: 'AES-128 DUKPT (ANSI X9.24-3)', aes256: 'AES-256 DUKPT (ANSI X9.24-3)' }[r.scheme];
  const lines = [`scheme           ${r.scheme}  ${scheme}`, `initial key      ${r.initialKey}`, `transaction key  ${r.transactionKey}`, `PIN key          ${r.pinKey}  (pinblock decode --key)`];
  if (r.encryptedPinBlock) {
    const how = r.scheme === 'tdes' ? 'ISO format 0, PIN variant of the transaction key' : 'ISO format 4, AES PIN working key';
    lines.push(`PIN block        ${r.encryptedPinBlock}  (${how})`);
  }
  return lines.join('\n') + '\n';
}

/** Registers `posfw dukpt`. */
export function register(program: Command): void {
  program
    .command('dukpt')
    .description('Derive DUKPT keys from a BDK and KSN (16-byte BDK + 10-byte KSN: TDES; 16/32-byte BDK + 12-byte KSN: AES-128/256)')
    .requiredOption('--bdk <hex>', 'base derivation key, hex (16 or 32 bytes)')
    .requiredOption('--ksn <hex>', 'key serial number, hex (10 bytes TDES, 12 bytes AES)')
    .option('--pin <digits>', 'PIN to encrypt (4-12 digits); needs --pan')
    .option('--pan <digits>', 'PAN the PIN block is bound to')
    .option('--deterministic', 'AES: fixed format 4 fill (the X9.24-3 example value) instead of random bytes; testing only (no effect on TDES)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nAES PIN blocks are ISO format 4 and carry 8 random bytes, so they differ on every run unless --deterministic is given.\nExit codes: 0 ok, 2 bad input (hex, lengths, counter, PIN/PAN).',
    )
    .action((opts: DukptOptions) => {
      let result: DukptResult;
      try {
        result = runDukpt(opts);
      } catch (err) {
        if (err instanceof UsageError || err instanceof HexInputError || err instanceof DukptError || err instanceof PinBlockError) {
          process.stderr.write(`posfw dukpt: ${err.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
      process.stdout.write(opts.json ? JSON.stringify(result) + '\n' : formatText(result));
    });
}
