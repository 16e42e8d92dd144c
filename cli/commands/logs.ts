// `posfw logs`: the terminal's logs for people: journald JSON (or a pino log file) pretty-printed with pino-pretty.
import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

type Pretty = (obj: Record<string, unknown>) => string;

/** pino-pretty's formatter, loaded only when logs are shown. */
function prettifier(colorize: boolean): Pretty {
  const { prettyFactory } = require('pino-pretty') as { prettyFactory(o: object): Pretty };
  return prettyFactory({ colorize, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l', ignore: 'pid,hostname' });
}

/** journald's MESSAGE: a string, or an array of bytes when it was not valid UTF-8. */
function journalMessage(entry: Record<string, unknown>): string {
  const m = entry.MESSAGE;
  if (Array.isArray(m)) return Buffer.from(m as number[]).toString('utf8');
  return typeof m === 'string' ? m : '';
}

/**
 * One human line from one input line: `journal` lines are `journalctl -o json` entries whose MESSAGE is a
 * pino line (or plain text from Node itself); `pino` lines come straight from a log file.
 */
export function prettyLine(line: string, source: 'journal' | 'pino', pretty: Pretty): string {
  if (!line.trim()) return '';
  let text = line;
  let stamp = '';
  if (source === 'journal') {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return line + '\n';
    }
    text = journalMessage(entry);
    const usec = Number(entry.__REALTIME_TIMESTAMP);
    stamp = Number.isFinite(usec) ? new Date(usec / 1000).toISOString() + ' ' : '';
  }
  if (text.startsWith('{')) {
    try {
      const obj = JSON.parse(text) as Record<string, unknown>;
      if (typeof obj.level === 'number' || typeof obj.msg === 'string') return pretty(obj);
    } catch {
      // not JSON after all: printed as it is
    }
  }
  return `${stamp}${text}\n`;
}

async function pipe(input: Readable, source: 'journal' | 'pino'): Promise<void> {
  const pretty = prettifier(process.stdout.isTTY === true);
  for await (const line of createInterface({ input, crlfDelay: Infinity })) process.stdout.write(prettyLine(line, source, pretty));
}

export function register(program: Command): void {
  program
    .command('logs')
    .description('Show the terminal logs pretty-printed: from journald (unit posfw.service), or from a pino log file')
    .option('-f, --follow', 'keep showing new lines')
    .option('-n, --lines <n>', 'how many recent lines', '200')
    .option('--unit <name>', 'systemd unit', 'posfw.service')
    .option('--file <path>', 'a pino log file instead of journald ("-" reads journalctl -o json or pino lines from stdin)')
    .option('--journal-json', 'with --file: the input is journalctl -o json output')
    .action(async (opts: { follow?: boolean; lines: string; unit: string; file?: string; journalJson?: boolean }) => {
      if (!/^\d+$/.test(opts.lines)) {
        process.stderr.write(`posfw: --lines: expected a number, got "${opts.lines}"\n`);
        process.exitCode = 1;
        return;
      }
      if (opts.file === '-') return pipe(process.stdin, opts.journalJson ? 'journal' : 'pino');
      const [cmd, args, source] = opts.file
        ? (['tail', ['-n', opts.lines, ...(opts.follow ? ['-F'] : []), opts.file], opts.journalJson ? 'journal' : 'pino'] as const)
        : (['journalctl', ['-u', opts.unit, '-o', 'json', '--no-pager', '-n', opts.lines, ...(opts.follow ? ['-f'] : [])], 'journal'] as const);
      const child = spawn(cmd, [...args], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<number>((resolve) => {
        child.on('error', (err) => {
          process.stderr.write(`posfw: cannot run ${cmd}: ${err.message}\n`);
          resolve(1);
        });
        child.on('close', (code) => resolve(code ?? 1));
      });
      await pipe(child.stdout!, source);
      process.exitCode = await exited;
    });
}
