// `posfw qr decode|encode`: developer tools for EMV merchant-presented QR payloads (docs/qr.md).
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import {
  buildMerchantQr,
  checkCrc,
  decodeMerchantQrObjects,
  parseMerchantQr,
  QrError,
  type MerchantQr,
  type MerchantQrSpec,
  type QrDataObject,
} from '../../firmware/qr/emvco';

/** The command line itself is wrong (no payload, unreadable @file, SPEC not JSON): exit code 2. */
class UsageError extends Error {}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d) => (text += d));
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', reject);
  });
}

/** The payload argument, or stdin when it is absent or "-" (one trailing newline dropped). */
async function payloadInput(arg: string | undefined): Promise<string> {
  const text = arg === undefined || arg === '-' ? (await readStdin()).replace(/\r?\n$/, '') : arg;
  if (text.length === 0) throw new UsageError('expected a payload as the argument or on stdin, got nothing');
  return text;
}

/** SPEC as given to --json: JSON text, "@file" or "-" for stdin. */
async function specInput(arg: string): Promise<unknown> {
  let text = arg;
  if (arg === '-') text = await readStdin();
  else if (arg.startsWith('@')) {
    try {
      text = readFileSync(arg.slice(1), 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read the spec file ${arg.slice(1)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`expected SPEC as JSON (or @file), got invalid JSON: ${(err as Error).message}`);
  }
}

/** Reports a QrError (exit 1) or a UsageError (exit 2) on stderr; anything else is a bug and propagates. */
function fail(command: string, err: unknown): void {
  if (!(err instanceof QrError || err instanceof UsageError)) throw err;
  process.stderr.write(`posfw qr ${command}: ${err.message}\n`);
  process.exitCode = err instanceof UsageError ? 2 : 1;
}

const errorJson = (e: QrError) => ({ code: e.code, message: e.message, tag: e.tag, position: e.position, expected: e.expected, found: e.found });

function crcLine(payload: string): string {
  const v = checkCrc(payload);
  if (v.ok) return `CRC ${v.found} ok`;
  if (v.found !== undefined) return `CRC mismatch: expected ${v.expected}, found ${v.found}`;
  return 'CRC missing: the payload does not end with tag 63 (6304 + 4 hex digits)';
}

function treeLines(objects: readonly QrDataObject[], depth = 0): string[] {
  return objects.flatMap((o) => {
    const head = `${'    '.repeat(depth)}${o.tag}  ${o.name}`;
    return [o.children ? head : `${head.padEnd(52)} ${o.value}`, ...(o.children ? treeLines(o.children, depth + 1) : [])];
  });
}

/** Prints the data objects and the CRC verdict; a payload that breaks any rule exits 1 with the reason on stderr. */
export async function qrDecode(arg: string | undefined, opts: { json?: boolean }): Promise<void> {
  let payload: string;
  let objects: QrDataObject[];
  try {
    payload = await payloadInput(arg);
    objects = decodeMerchantQrObjects(payload);
  } catch (err) {
    if (opts.json && err instanceof QrError) process.stdout.write(JSON.stringify({ valid: false, error: errorJson(err) }, null, 2) + '\n');
    return fail('decode', err);
  }
  let qr: MerchantQr | undefined;
  let error: QrError | undefined;
  try {
    qr = parseMerchantQr(payload);
  } catch (err) {
    if (!(err instanceof QrError)) throw err;
    error = err;
  }
  if (opts.json) {
    const { objects: _o, payload: _p, ...fields } = qr ?? ({} as Partial<MerchantQr>);
    const out = { valid: qr !== undefined, crc: checkCrc(payload), objects, ...(qr ? { merchantQr: fields } : { error: errorJson(error as QrError) }) };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else {
    process.stdout.write([...treeLines(objects), crcLine(payload)].join('\n') + '\n');
  }
  if (error) fail('decode', error);
}

/** Builds a payload from a spec and prints it; a spec the builder refuses exits 1 naming the field. */
export async function qrEncode(opts: { json: string }): Promise<void> {
  try {
    const spec = await specInput(opts.json);
    process.stdout.write(buildMerchantQr(spec as MerchantQrSpec) + '\n');
  } catch (err) {
    fail('encode', err);
  }
}

/** Commander's own usage errors (missing option, unknown option) exit 2 like ours; help and version stay 0. */
function usageExit2(err: CommanderError): never {
  throw err.exitCode === 0 ? err : new CommanderError(2, err.code, err.message);
}

export function register(program: Command): void {
  // Set before the subcommands are added, so they inherit it.
  const qr = program.command('qr').description('EMV merchant-presented QR tools: decode and encode payloads (docs/qr.md)').exitOverride(usageExit2);
  qr.command('decode')
    .description('Decode a payload: data objects with names, nested templates, CRC verdict')
    .argument('[payload]', 'the payload text; omit or "-" to read stdin')
    .option('--json', 'print JSON: { valid, crc, objects, merchantQr | error }')
    .addHelpText('after', '\nExit codes: 0 valid, 1 invalid payload (the reason on stderr), 2 usage error.')
    .action((payload: string | undefined, opts: { json?: boolean }) => qrDecode(payload, opts));
  qr.command('encode')
    .description('Build a payload from a JSON spec (fields of MerchantQrSpec, see docs/qr.md) and print it')
    .requiredOption('--json <spec>', 'the spec as JSON text, @file, or "-" for stdin')
    .addHelpText('after', '\nExit codes: 0 printed, 1 the spec cannot be encoded (field and reason on stderr), 2 usage error.')
    .action((opts: { json: string }) => qrEncode(opts));
}
