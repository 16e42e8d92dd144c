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
const COMMAND_MODULES = ['boards', 'sim', 'run', 'acquirer', 'iso8583', 'dukpt', 'pinblock', 'track', 'journal', 'install', 'logs'] as const;

export function buildProgram(): Command {
  const program = new Command('posfw')
    .description('Payment-terminal firmware: simulator, hardware runtime and developer tools')
    .version(packageVersion())
    .showHelpAfterError();
  for (const name of COMMAND_MODULES) {
    let mod: { register(p: Command): void };
    try {
      mod = require(`./commands/${name}`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String((err as Error).message).includes(`commands/${name}'`)) continue;
      throw err;
    }
    mod.register(program);
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`posfw: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
