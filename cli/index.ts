// posfw CLI: builds the commander program from the command modules and runs it.
import { Command, CommanderError } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The package version, found from source (cli/) or compiled (dist/cli/) locations alike. */
function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return '0.0.0';
}

/** Command modules; each exports `register(program)`. Loaded lazily so a tool only loads what it needs. */
const COMMAND_MODULES = ['boards', 'sim', 'acquirer', 'iso8583', 'dukpt', 'pinblock', 'track', 'qr', 'keys', 'journal', 'install', 'logs', 'api-keys', 'certs'] as const;

/** The module that registers each top-level command (`sim.ts` registers `sim` and `run`, `install.ts` `install` and `rollback`). */
const MODULE_OF: Record<string, (typeof COMMAND_MODULES)[number]> = { run: 'sim', rollback: 'install' };

/**
 * The program with every command, or, when `command` names one, with that command's module alone: a terminal
 * booting with `posfw sim` or `posfw run` does not load the developer tools' code (crypto, codecs, QR).
 */
export function buildProgram(command?: string): Command {
  const program = new Command('posfw')
    .description('Payment-terminal firmware: simulator, hardware runtime and developer tools')
    .version(packageVersion())
    .showHelpAfterError()
    // Before the commands are added, so each inherits it: main() maps the exit codes (usage errors exit 2).
    .exitOverride();
  const only = command && (MODULE_OF[command] ?? (COMMAND_MODULES as readonly string[]).find((m) => m === command));
  for (const name of only ? [only] : COMMAND_MODULES) {
    const mod = require(`./commands/${name}`) as { register(p: Command): void };
    mod.register(program);
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram(argv[2]);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every usage error (unknown option, bad number, missing argument) exits 2.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`posfw: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
