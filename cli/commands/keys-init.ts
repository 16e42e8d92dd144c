// `posfw keys init`: creates a board's device key once (mode 0600, the service user's), or prints one for a TPM to seal.
import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { loadBoard, BoardConfigError } from '../../firmware/board/load';
import { createDeviceKey, deviceKeyLocation, DeviceKeyError } from '../../firmware/keys/device-key';

interface InitOptions {
  board: string;
  data: string;
  user?: string;
  stdout?: boolean;
}

/** The service user the packaged unit runs as (the installer creates it). */
export const SERVICE_USER = 'posfw';

/** Bad input or a refusal: `exitCode` 1 (a key exists, no such user) or 2 (usage). */
class InitError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

/** uid and gid of `name` from /etc/passwd (no getpwnam in Node). */
export function lookupUser(name: string, passwd = '/etc/passwd'): { uid: number; gid: number } | undefined {
  for (const line of readFileSync(passwd, 'utf8').split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f.length >= 4) return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  return undefined;
}

/** Creates the key; returns what to tell the operator. */
export async function runInit(opts: InitOptions): Promise<string> {
  let board;
  try {
    board = loadBoard(opts.board);
  } catch (err) {
    throw new InitError(err instanceof BoardConfigError ? err.message : (err as Error).message, 2);
  }
  const named = board.security.deviceKeyFile ?? board.security.journalKeyFile ?? '';
  if (opts.stdout) {
    if (process.stdout.isTTY) throw new InitError('--stdout writes the key for a program to seal (systemd-creds encrypt, tpm2_create); it is not shown on a terminal', 2);
    const key = randomBytes(32);
    process.stdout.write(key.toString('hex') + '\n');
    key.fill(0);
    return '';
  }
  if (/^\$\{?CREDENTIALS_DIRECTORY/.test(named)) {
    throw new InitError(
      `${opts.board} reads the device key from a systemd credential (${named}): make it sealed to this board's TPM instead:\n` +
        `  posfw keys init --board ${opts.board} --stdout | systemd-creds encrypt --with-key=tpm2 --name=<credential name> - /etc/credstore.encrypted/<credential name>\n` +
        '(docs/keys.md, "TPM and keyring")',
      2,
    );
  }
  const loc = deviceKeyLocation(board.security, opts.data);
  if (existsSync(loc.path)) throw new InitError(`a device key exists already at ${loc.path}; it is kept (a new one would leave the open batch's card data unreadable)`, 1);
  let owner: { uid: number; gid: number } | undefined;
  if (process.getuid?.() === 0) {
    const user = opts.user ?? SERVICE_USER;
    owner = lookupUser(user);
    if (!owner) throw new InitError(`no user "${user}" on this system: the key belongs to the user posfw runs as. Create the service user first (the installer does), or name it with --user`, 1);
  } else if (opts.user) throw new InitError('--user needs root (only root gives a file to another user)', 2);
  try {
    await createDeviceKey(loc.path, { owner });
  } catch (err) {
    if (err instanceof DeviceKeyError) throw new InitError(err.message, 1);
    throw err;
  }
  const who = owner ? `, owned by ${opts.user ?? SERVICE_USER}` : '';
  return `device key created at ${loc.path} (mode 0600${who}). It wraps the keys that seal card data at rest: keep it on this board only.\n`;
}

/** Registers `keys init` under the `keys` group. */
export function register(keys: Command): void {
  keys
    .command('init')
    .description("Create the board's device key (once; never replaced): where security.deviceKeyFile says, else device.key in the data folder")
    .requiredOption('--board <file>', 'board config')
    .option('--data <dir>', 'data folder (where a relative or default key path lives)', '/var/lib/posfw')
    .option('--user <name>', `as root: the user the key file is given to (default ${SERVICE_USER}, the service user)`)
    .option('--stdout', 'print a new key (64 hex digits) for a TPM or keyring to seal instead of writing a file (docs/keys.md)')
    .action(async (opts: InitOptions) => {
      try {
        process.stdout.write(await runInit(opts));
      } catch (err) {
        if (!(err instanceof InitError)) throw err;
        process.stderr.write(`posfw keys init: ${err.message}\n`);
        process.exitCode = err.exitCode;
      }
    });
}
