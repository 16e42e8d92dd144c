// `posfw keys`: key management command group (TR-31 key block tools now; device key and PIN-pad loading join it).
import { CommanderError, type Command } from 'commander';
import { register as registerTr31 } from './keys-tr31';

/**
 * The `keys` subcommands; each adds itself to the group. New ones (`keys init`, `keys load-pinpad`) go here,
 * in their own module, and inherit the group's exit codes.
 */
const SUBCOMMANDS: ReadonlyArray<(keys: Command) => void> = [registerTr31];

/** Command-line usage errors (missing option, unknown subcommand) exit 2 under `keys`; help and version exit 0. */
function usageErrorsExit2(err: CommanderError): never {
  throw err.exitCode === 0 ? err : new CommanderError(2, err.code, err.message);
}

/** Registers `posfw keys` and its subcommands. */
export function register(program: Command): void {
  const keys = program
    .command('keys')
    .description('Key management: TR-31 / ANSI X9.143 key blocks')
    .addHelpText('after', '\nExit codes: 0 ok, 1 the key or key block does not check out (the reason is on stderr), 2 usage error.')
    .exitOverride(usageErrorsExit2);
  for (const add of SUBCOMMANDS) add(keys);
}
