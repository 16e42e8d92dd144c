// `posfw keys`: key management: the device key, loading the PIN pad from a TR-31 key block, TR-31 key block tools.
import { CommanderError, type Command } from 'commander';
import { register as registerInit } from './keys-init';
import { register as registerLoadPinPad } from './keys-load-pinpad';
import { register as registerTr31 } from './keys-tr31';

/** The `keys` subcommands; each adds itself to the group, in its own module, and inherits the group's exit codes. */
const SUBCOMMANDS: ReadonlyArray<(keys: Command) => void> = [registerInit, registerLoadPinPad, registerTr31];

/** Command-line usage errors (missing option, unknown subcommand) exit 2 under `keys`; help and version exit 0. */
function usageErrorsExit2(err: CommanderError): never {
  throw err.exitCode === 0 ? err : new CommanderError(2, err.code, err.message);
}

/** Registers `posfw keys` and its subcommands. */
export function register(program: Command): void {
  const keys = program
    .command('keys')
    .description('Key management: the device key (init), loading the PIN pad (load-pinpad), TR-31 / ANSI X9.143 key blocks (tr31)')
    .addHelpText('after', '\nExit codes: 0 ok, 1 the key or key block does not check out (the reason is on stderr), 2 usage error.')
    .exitOverride(usageErrorsExit2);
  for (const add of SUBCOMMANDS) add(keys);
}
