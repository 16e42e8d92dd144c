// `posfw track parse`: developer tool that parses a magstripe swipe (track 1 and/or 2) and prints it with the PAN masked.
import type { Command } from 'commander';
import { maskPan } from '../../firmware/log';
import { parseSwipe, splitTracks } from '../../firmware/hal/magstripe/track';

interface ParseOptions {
  json?: boolean;
  reveal?: boolean;
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d) => (text += d));
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', reject);
  });
}

/** Parses one swipe as a keyboard-wedge reader types it; exit code 1 and the reason on a bad read. */
export async function trackParse(raw: string, opts: ParseOptions): Promise<void> {
  const tracks = splitTracks(raw);
  const ev = parseSwipe({ track1: tracks.track1, track2: tracks.track2 });
  if (ev.kind === 'bad-read') {
    if (opts.json) process.stdout.write(JSON.stringify({ kind: 'bad-read', reason: ev.reason }, null, 2) + '\n');
    process.stderr.write(`posfw track: bad read, swipe again: ${ev.reason}\n`);
    process.exitCode = 1;
    return;
  }
  const { card } = ev;
  const out: Record<string, unknown> = {
    kind: 'card',
    pan: opts.reveal ? card.pan : maskPan(card.pan),
    expiry: card.expiry,
    serviceCode: card.serviceCode,
    ...(card.cardholderName !== undefined ? { cardholderName: card.cardholderName } : {}),
    tracks: tracks.track1 !== undefined ? [1, 2] : [2],
  };
  if (opts.reveal) {
    out.track2 = card.track2;
    if (tracks.track1 !== undefined) out.track1 = tracks.track1;
  }
  if (opts.json) {
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return;
  }
  const lines = Object.entries(out).map(([k, v]) => `${k.padEnd(15)} ${Array.isArray(v) ? v.join(',') : String(v)}`);
  process.stdout.write(lines.join('\n') + '\n');
}

export function register(program: Command): void {
  const track = program.command('track').description('Magstripe track tools (ISO 7813)');
  track
    .command('parse')
    .description('Parse a swipe: track 1 and/or track 2, as a keyboard-wedge reader types them ("%B...?;...?"); "-" or nothing reads stdin')
    .argument('[raw]', 'track data; omit or "-" to read it from stdin (keeps it out of the shell history)')
    .option('--json', 'print JSON')
    .option('--reveal', 'print the full PAN and the track data (never do this with real cards)')
    .action(async (raw: string | undefined, opts: ParseOptions) => {
      const text = raw === undefined || raw === '-' ? await readStdin() : raw;
      await trackParse(text, opts);
    });
}
