// `posfw api-keys add|list|revoke`: provision the ECR API keys of a terminal's data folder (stored hashed; shown once).
import { Option, type Command } from 'commander';
import { ApiKeyError, ApiKeyStore, apiKeysFile, ROLES, type Role } from '../../firmware/ecr/api-keys';

interface Opts {
  data: string;
  json?: boolean;
  name?: string;
  role?: Role;
}

const store = (opts: Opts) => new ApiKeyStore(apiKeysFile(opts.data));

/** Runs `fn`; an ApiKeyError is reported on stderr with exit 1 (2 for a bad name or role: usage). */
async function run(what: string, fn: () => Promise<void> | void): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof ApiKeyError)) throw err;
    process.stderr.write(`posfw api-keys ${what}: ${err.message}\n`);
    process.exitCode = err.code === 'bad-name' || err.code === 'bad-role' ? 2 : 1;
  }
}

export function register(program: Command): void {
  const keys = program
    .command('api-keys')
    .description('ECR API keys: each cash register gets its own key with a role (cashier or supervisor)')
    .addHelpText('after', '\nKeys live in DATA/api-keys.json as salted scrypt hashes; a running terminal sees changes at once.\nSend a key as "Authorization: Bearer <key>". Exit codes: 0 ok, 1 failed (exists, not found), 2 usage error.');
  const data = (c: Command) => c.option('--data <dir>', 'data folder of the terminal', '.sim-data');

  data(keys.command('add').description('Create a key; prints it once on stdout (it is not stored and cannot be shown again)'))
    .requiredOption('--name <name>', 'who holds the key, e.g. till-1')
    .addOption(new Option('--role <role>', 'what the key may do').choices([...ROLES]).default('cashier'))
    .option('--json', 'print JSON (with the key)')
    .action((opts: Opts) =>
      run('add', async () => {
        const { token, key } = await store(opts).create(opts.name!, opts.role!);
        if (opts.json) return void process.stdout.write(JSON.stringify({ ...key, key: token }) + '\n');
        process.stdout.write(`${token}\n`);
        process.stderr.write(`key "${key.name}" (${key.role}, id ${key.id}) added to ${apiKeysFile(opts.data)}; store it now: it is not shown again\n`);
      }),
    );

  data(keys.command('list').description('List keys (names, roles and ids; never the keys)'))
    .option('--json', 'print JSON')
    .action((opts: Opts) =>
      run('list', () => {
        const list = store(opts).list();
        if (opts.json) return void process.stdout.write(JSON.stringify(list) + '\n');
        for (const k of list) process.stdout.write(`${k.id}  ${k.role.padEnd(10)}  ${k.createdAt}  ${k.name}\n`);
      }),
    );

  data(keys.command('revoke').description('Remove a key by name or id; it stops working at once').argument('<name>', 'key name or id'))
    .action((name: string, opts: Opts) =>
      run('revoke', () => {
        const k = store(opts).revoke(name);
        process.stderr.write(`key "${k.name}" (${k.role}, id ${k.id}) revoked\n`);
      }),
    );
}
