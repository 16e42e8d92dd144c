// `posfw certs`: a self-signed TLS certificate and key for the ECR API of one shop's terminal.
import type { Command } from 'commander';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selfSignedCertificate } from '../self-signed-cert';
import { intOption } from '../options';

interface Opts {
  out: string;
  name: string[];
  ip: string[];
  days: number;
  force?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function register(program: Command): void {
  program
    .command('certs')
    .description('Make a self-signed certificate and key (ECDSA P-256) for the ECR API over TLS')
    .option('--out <dir>', 'where to write api-cert.pem and api-key.pem', '.')
    .option('--name <dns>', 'a DNS name the ECR uses for the terminal (repeatable)', collect, [])
    .option('--ip <address>', 'an IP address the ECR uses for the terminal (repeatable)', collect, [])
    .option('--days <n>', 'validity in days', intOption('a number of days', 1, 3650), 825)
    .option('--force', 'overwrite existing files')
    .addHelpText('after', '\nThen in the board config: "api": {"host": "0.0.0.0", "tls": {"certFile": ".../api-cert.pem", "keyFile": ".../api-key.pem"}}.\nGive the ECR the certificate (or its SHA-256 fingerprint) to trust. Exit codes: 0 ok, 1 files exist, 2 usage error.')
    .action((opts: Opts) => {
      const cert = join(opts.out, 'api-cert.pem');
      const key = join(opts.out, 'api-key.pem');
      let made;
      try {
        made = selfSignedCertificate({ names: opts.name.length || opts.ip.length ? opts.name : ['localhost'], ips: opts.ip, days: opts.days });
      } catch (err) {
        process.stderr.write(`posfw certs: ${(err as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      if (!opts.force && (existsSync(cert) || existsSync(key))) {
        process.stderr.write(`posfw certs: ${existsSync(cert) ? cert : key} exists (--force replaces it)\n`);
        process.exitCode = 1;
        return;
      }
      mkdirSync(opts.out, { recursive: true });
      writeFileSync(cert, made.certPem);
      writeFileSync(key, made.keyPem, { mode: 0o600 });
      process.stdout.write(`certificate  ${cert}\nkey          ${key}\nSHA-256      ${made.fingerprint256}\n`);
    });
}
