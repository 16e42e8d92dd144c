// `posfw iso8583 decode|encode|spec`: developer tools for ISO 8583 messages in the default spec or a spec file.
import type { Command } from 'commander';
import {
  defaultSpec,
  Iso8583Codec,
  IsoError,
  IsoSpecError,
  loadSpec,
  messageFromJson,
  type IsoSpec,
} from '../../firmware/host/iso8583';

interface SpecOptions {
  spec?: string;
}
interface DecodeOptions extends SpecOptions {
  json?: boolean;
  reveal?: boolean;
}

/** Bad command-line input (not hex, not JSON): reported like IsoError, exit code 1. */
class BadInput extends Error {}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d) => (text += d));
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', reject);
  });
}

/** The argument, or stdin when it is absent or "-" (keeps card data out of the shell history). */
async function input(arg: string | undefined): Promise<string> {
  return arg === undefined || arg === '-' ? readStdin() : arg;
}

function specFrom(opts: SpecOptions): IsoSpec {
  return opts.spec ? loadSpec(opts.spec) : defaultSpec;
}

/** Writes the reason to stderr (and as JSON to stdout with --json) and sets exit code 1. */
function fail(command: string, err: unknown, json = false): void {
  if (!(err instanceof IsoError || err instanceof IsoSpecError || err instanceof BadInput)) throw err;
  if (json && err instanceof IsoError) {
    const { message, field, offset, expected, got } = err;
    process.stdout.write(JSON.stringify({ error: { message, field, offset, expected, got } }, null, 2) + '\n');
  }
  process.stderr.write(`posfw iso8583 ${command}: ${err.message}\n`);
  process.exitCode = 1;
}

/** Hex text to bytes; spaces, newlines and a leading 0x are ignored. */
export function parseHex(text: string): Buffer {
  const hex = text.replace(/\s+/g, '').replace(/^0x/i, '');
  if (hex.length === 0) throw new BadInput('expected hex bytes, got nothing');
  if (hex.length % 2 !== 0) throw new BadInput(`expected hex bytes (an even number of hex digits), got ${hex.length} digits`);
  const bad = hex.search(/[^0-9a-fA-F]/);
  if (bad >= 0) throw new BadInput(`expected hex bytes, got ${JSON.stringify(hex[bad])} at position ${bad}`);
  return Buffer.from(hex, 'hex');
}

/** Decodes one message and prints it, masked unless `reveal`. Exit code 1 with the reason on bad bytes. */
export async function iso8583Decode(arg: string | undefined, opts: DecodeOptions): Promise<void> {
  try {
    const codec = new Iso8583Codec(specFrom(opts));
    const message = codec.unpack(parseHex(await input(arg)));
    const view = codec.describe(message, { reveal: opts.reveal === true });
    if (opts.json) {
      process.stdout.write(JSON.stringify({ spec: codec.spec.name, ...view }, null, 2) + '\n');
      return;
    }
    const lines = [`MTI ${view.mti}  (spec ${codec.spec.name})`];
    for (const [n, f] of Object.entries(view.fields)) lines.push(`${n.padStart(5)}  ${f.name.padEnd(40)} ${f.value}`);
    process.stdout.write(lines.join('\n') + '\n');
  } catch (err) {
    fail('decode', err, opts.json);
  }
}

/** Encodes a JSON message (b fields as hex) and prints upper-case hex. Exit code 1 with the reason on bad input. */
export async function iso8583Encode(arg: string | undefined, opts: SpecOptions): Promise<void> {
  try {
    const spec = specFrom(opts);
    let raw: unknown;
    try {
      raw = JSON.parse(await input(arg));
    } catch (err) {
      throw new BadInput(`expected a JSON message, got invalid JSON: ${(err as Error).message}`);
    }
    const bytes = new Iso8583Codec(spec).pack(messageFromJson(raw, spec));
    process.stdout.write(bytes.toString('hex').toUpperCase() + '\n');
  } catch (err) {
    fail('encode', err);
  }
}

export function register(program: Command): void {
  const iso = program.command('iso8583').description('ISO 8583 tools: decode and encode messages, print a spec (docs/iso8583-spec.md)');
  iso
    .command('decode')
    .description('Decode one message given as hex (no length header); card data masked unless --reveal')
    .argument('[hex]', 'message bytes as hex; omit or "-" to read stdin')
    .option('--spec <file>', 'ISO 8583 spec JSON file (default: the built-in posfw spec)')
    .option('--json', 'print JSON: { spec, mti, fields: { "2": { name, value } } }')
    .option('--reveal', 'show PAN, track data, expiry and PIN block in full (never with real cards)')
    .action((hex: string | undefined, opts: DecodeOptions) => iso8583Decode(hex, opts));
  iso
    .command('encode')
    .description('Encode a JSON message {"mti":"0200","fields":{"2":"4761...","52":"hex:0123..."}} and print hex; b fields are hex')
    .argument('[json]', 'the message as JSON; omit or "-" to read stdin')
    .option('--spec <file>', 'ISO 8583 spec JSON file (default: the built-in posfw spec)')
    .action((json: string | undefined, opts: SpecOptions) => iso8583Encode(json, opts));
  iso
    .command('spec')
    .description('Print a spec as JSON: the built-in default, or --spec FILE after validation (a starting point for acquirer specs)')
    .option('--spec <file>', 'ISO 8583 spec JSON file to validate and print')
    .action((opts: SpecOptions) => {
      try {
        process.stdout.write(JSON.stringify(specFrom(opts), null, 2) + '\n');
      } catch (err) {
        fail('spec', err);
      }
    });
}
