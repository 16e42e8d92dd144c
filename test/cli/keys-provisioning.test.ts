// Provisioning through the built CLI: `posfw run` on a real board without its key says what to run and, with it, boots;
// `keys init` (0600, the service user's, never replaced, --stdout for a TPM); `keys load-pinpad` loads published
// TR-31 blocks and refuses bad ones with a reason; `journal audit` reports a clean and a dirty folder.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeKeyBlock } from '../../firmware/crypto/tr31';
import { Journal } from '../../firmware/journal/journal';
import { silentLogger } from '../../firmware/log';
import { KEY } from '../../firmware/money/money.fixtures';
import { ROOT, runCli } from '../helpers/cli';
import { startPosfw } from '../helpers/procs';

const A732 = { kbpk: '1D22BF32387C600AD97F9B97A51311AC', block: 'B0104B0TX12S0100KS1800604B120F9292800000BB68BE8680A400D9191AD4ECE45B6E6C0D21C4738A52190E248719E24B433627' };
const A731_C = { kbpk: 'B8ED59E0A279A295E9F5ED7944FD06B9', block: 'C0096B0TX12S0100KS1800604B120F9292800000BFB9B689CB567E66FC3FEE5AD5F52161FC6545B9D60989015D02155C' };
const P0 = { kbpk: 'DD7515F2BFC17F85CE48F3CA25CB21F6', block: 'B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E' };

let dir: string;
/** A copy of a shipped board with `edit` applied. */
function board(name: string, edit: (b: Record<string, any>) => void): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const b = JSON.parse(readFileSync(join(ROOT, 'board-configs', name), 'utf8'));
  edit(b);
  const file = join(dir, `${name}-${Math.random().toString(16).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(b));
  return file;
}

beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'posfw-provision-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('device key', () => {
  it('posfw run on a real board without its key says what is missing and what to run; with it, boots', async () => {
    const keyFile = join(dir, 'etc', 'device.key');
    const rpi = board('rpi-terminal.json', (b) => (b.security.deviceKeyFile = keyFile));
    const data = join(dir, 'data');
    const bare = await runCli(['run', '--board', rpi, '--data', data, '--port', '0']);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toBe(
      `posfw: no device key at ${keyFile} (security.deviceKeyFile in the board config).\n` +
        'The device key wraps the per-batch keys that seal card data at rest; the terminal does not start without it.\n' +
        `Create it once on this board: posfw keys init --board ${rpi}\n` +
        '(as root it is given to the service user, mode 0600; docs/keys.md also shows how to seal it with a TPM).\n',
    );

    const asRoot = process.getuid?.() === 0;
    const init = await runCli(['keys', 'init', '--board', rpi, '--data', data, ...(asRoot ? ['--user', 'nobody'] : [])]);
    expect([init.code, init.stderr]).toEqual([0, '']);
    expect(init.stdout).toMatch(new RegExp(`^device key created at ${keyFile} \\(mode 0600${asRoot ? ', owned by nobody' : ''}\\)`));
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    if (asRoot) expect(statSync(keyFile).uid).toBe(65534);
    const key = readFileSync(keyFile, 'utf8');
    const again = await runCli(['keys', 'init', '--board', rpi, '--data', data]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/a device key exists already at .*; it is kept/);
    expect(readFileSync(keyFile, 'utf8')).toBe(key);

    // Real drivers find no hardware here (devices degrade); the terminal boots and serves the API.
    const run = startPosfw(['run', '--board', rpi, '--data', data, '--port', '0', '--log-level', 'fatal']);
    try {
      await run.waitFor(/^READY$/m, 20000);
    } finally {
      await run.kill();
    }
  }, 60_000);

  it('--stdout prints a key for a TPM to seal, and a board reading a systemd credential says how to start it', async () => {
    const cred = board('rpi-terminal.json', (b) => {
      delete b.security.deviceKeyFile;
      b.security.deviceKeyFile = '$CREDENTIALS_DIRECTORY/posfw-device-key';
    });
    const printed = await runCli(['keys', 'init', '--board', cred, '--stdout']);
    expect([printed.code, printed.stderr]).toEqual([0, '']);
    expect(printed.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    const file = await runCli(['keys', 'init', '--board', cred]);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain('systemd-creds encrypt --with-key=tpm2');
    const run = await runCli(['run', '--board', cred, '--data', join(dir, 'data'), '--port', '0'], { env: { CREDENTIALS_DIRECTORY: '' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('CREDENTIALS_DIRECTORY is not set: start posfw from its systemd unit with LoadCredentialEncrypted=');
  });
});

describe('posfw keys load-pinpad', () => {
  const load = (args: string[], b = join(ROOT, 'board-configs', 'sim.json')) => runCli(['keys', 'load-pinpad', '--board', b, '--data', join(dir, 'data'), ...args]);

  it('loads the published TR-31 A.7.3.2 block (a BDK with its KS) from a KBPK file; the pad keeps the key wrapped', async () => {
    writeFileSync(join(dir, 'kbpk'), A732.kbpk + '\n', { mode: 0o600 });
    writeFileSync(join(dir, 'block'), A732.block + '\n');
    const r = await load(['--kbpk-file', join(dir, 'kbpk'), '--block-file', join(dir, 'block'), '--json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout)).toEqual({ keyUsage: 'B0', scheme: 'tdes', blockCheckValue: '9A4212', initialKeyCheckValue: expect.stringMatching(/^[0-9A-F]{6}$/), ksn: '00604B120F9292800000', pinpad: 'sim' });
    const state = JSON.parse(readFileSync(join(dir, 'data', 'sim-pinpad.json'), 'utf8'));
    expect(state).toMatchObject({ v: 2, scheme: 'tdes', ksn: '00604b120f9292800000', wrappedKey: expect.stringMatching(/^w1:/) });
    expect(statSync(join(dir, 'data', 'device.key')).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['tampered', A732.block.replace('B0TX', 'B1TX'), A732.kbpk, 'key block refused (mac): key block MAC does not verify'],
    ['wrong usage', P0.block, P0.kbpk, 'key block refused (key-usage): key usage P0 (PIN encryption key) cannot be loaded into a PIN pad'],
    ['wrong mode', encodeKeyBlock({ version: 'B', keyUsage: 'B1', algorithm: 'T', modeOfUse: 'E', optionalBlocks: [{ id: 'KS', data: 'FFFF9876543210E00000' }] }, Buffer.alloc(16, 7), Buffer.from(A732.kbpk, 'hex')), A732.kbpk, 'key block refused (mode-of-use): mode of use E (Encrypt/wrap only) does not allow key derivation'],
    ['legacy version C', A731_C.block, A731_C.kbpk, 'key block refused (legacy-version): version C key blocks use the deprecated TDES key variant binding'],
  ])('refuses a %s block with exit 1 and the reason', async (_name, block, kbpk, reason) => {
    const r = await load(['--kbpk', kbpk, block]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`posfw keys load-pinpad: ${reason}`);
    expect(r.stdout).toBe('');
  });

  it('refuses while the terminal runs on the data folder (the pad would write its own state back)', async () => {
    const journal = await Journal.open(join(dir, 'data', 'journal'), KEY, silentLogger);
    try {
      const r = await load(['--kbpk', A732.kbpk, A732.block]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`the terminal is running on ${join(dir, 'data')} (process ${process.pid}): stop it first`);
    } finally {
      await journal.close();
    }
  });

  it('takes version C where the board allows legacy blocks; usage errors exit 2', async () => {
    const legacy = board('sim.json', (b) => (b.security.allowLegacyKeyBlocks = true));
    const r = await load(['--kbpk', A731_C.kbpk, A731_C.block], legacy);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe('loaded the sim PIN pad: tdes BDK (check value F4B08D), initial key derived, initial key check value ' + r.stdout.match(/initial key check value ([0-9A-F]{6})/)![1] + ', initial KSN 00604B120F9292800000\n');
    expect((await load([A732.block])).code).toBe(2);
    expect((await load(['--kbpk', 'XYZ', A732.block])).stderr).toContain('--kbpk must contain hex digits only');
    expect((await load(['--kbpk', A732.kbpk, '--ksn', '00', A732.block])).code).toBe(2);
  });
});

describe('posfw journal audit', () => {
  it('exits 0 on a clean folder and 1, listing the findings, on a folder with card data in the clear', async () => {
    const data = join(dir, 'data');
    const r0 = await runCli(['keys', 'load-pinpad', '--board', join(ROOT, 'board-configs', 'sim.json'), '--data', data, '--kbpk', A732.kbpk, A732.block]);
    expect(r0.code).toBe(0);
    const clean = await runCli(['journal', 'audit', '--data', data]);
    expect([clean.code, clean.stderr]).toEqual([0, '']);
    expect(clean.stdout).toContain('clean: no card data in the clear, and nothing the keys on the device open gives a PAN back');
    writeFileSync(join(data, 'posfw.log'), '{"msg":"swiped ;4761739001010010=30121010000000000000?"}\n');
    const dirty = await runCli(['journal', 'audit', '--data', data, '--json']);
    expect(dirty.code).toBe(1);
    const report = JSON.parse(dirty.stdout);
    expect(report.findings).toEqual(expect.arrayContaining([{ kind: 'track-data', file: 'posfw.log', detail: 'track data of 476173******0010' }]));
    expect(dirty.stdout).not.toContain('4761739001010010');
  });
});
