// The slow release profile (make release-test): the arm64 tarball checked and installed into a throw-away root, and an
// x64 bundle for a GPIO/I2C board whose installer compiles epoll and i2c-bus against the bundled Node headers.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { install } from '../../cli/release/installer';
import { buildBundle, FULL } from './bundle-harness';

const describeFull = FULL ? describe : describe.skip;
jest.setTimeout(600_000);

/** ELF e_machine of a binary: 0x3e x86-64, 0xb7 aarch64, 0x28 arm. */
function elfMachine(file: string): number {
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(20);
  readSync(fd, head, 0, 20, 0);
  return head.readUInt16LE(18);
}

describeFull('release profile: arm64 and on-board native builds', () => {
  let work: string;
  beforeAll(() => (work = mkdtempSync(join(tmpdir(), 'posfw-release-full-'))));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('make release ARCH=arm64: an aarch64 Node, arm64 prebuilds only, a manifest that matches, installable into a throw-away root', async () => {
    const built = buildBundle('rpi-terminal', 'arm64', { OUT: join(work, 'out'), VERSION: '1.0.0-arm' });
    process.stdout.write(`arm64 tarball: ${(statSync(built.tarball!).size / 1e6).toFixed(1)} MB\n`);
    const unpacked = join(work, 'unpacked');
    mkdirSync(unpacked);
    expect(spawnSync('tar', ['-xzf', built.tarball!, '-C', unpacked]).status).toBe(0);
    const dir = join(unpacked, readdirSync(unpacked)[0]);
    expect(elfMachine(join(dir, 'node/bin/node'))).toBe(0xb7);
    expect(readdirSync(join(dir, 'node_modules/@serialport/bindings-cpp/prebuilds'))).toEqual(['linux-arm64']);
    expect(readdirSync(join(dir, 'node_modules/node-hid/prebuilds')).sort()).toEqual(['HID-linux-arm64', 'HID_hidraw-linux-arm64']);
    for (const f of readdirSync(join(dir, 'node_modules/classic-level/prebuilds/linux-arm64'))) expect(elfMachine(join(dir, 'node_modules/classic-level/prebuilds/linux-arm64', f))).toBe(0xb7);
    expect(readdirSync(join(dir, 'node/include/node/openssl/archs'))).toEqual(['linux-aarch64']);
    expect(spawnSync('sha256sum', ['--quiet', '--strict', '-c', 'SHA256SUMS'], { cwd: dir }).status).toBe(0);
    // The arm64 Node cannot run here, so the installer runs on this Node; natives are compiled on the board.
    const root = join(work, 'root-arm64');
    const result = await install({ bundleDir: dir, root, natives: 'none', log: () => {} });
    expect(result.outcome).toBe('files-only');
    expect(readlinkSync(join(root, 'opt/posfw/current'))).toBe('1.0.0-arm');
    expect(readFileSync(join(root, 'etc/group'), 'utf8')).toMatch(/^gpio:x:\d+:posfw$/m);
    expect(readFileSync(join(root, 'etc/udev/rules.d/60-posfw.rules'), 'utf8')).toContain('KERNEL=="ttyUSB0"');
    expect(readFileSync(join(root, 'etc/posfw/device.key'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(statSync(join(root, 'etc/posfw/device.key')).mode & 0o777).toBe(0o600);
    cpSync('/usr/lib/systemd/system', join(root, 'usr/lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
    const verify = spawnSync('systemd-analyze', ['verify', `--root=${root}`, '/etc/systemd/system/posfw.service'], { encoding: 'utf8' });
    expect(verify.stderr.split('\n').filter((l) => l.includes('posfw'))).toEqual([]);
    expect(verify.status).toBe(0);
  });

  it('install.sh for a GPIO keypad and I2C display board compiles epoll and i2c-bus against the bundled headers', () => {
    const built = buildBundle('rpi-terminal', 'x64', { OUT: join(work, 'out-x64'), VERSION: '1.0.0-gpio', NO_TAR: '1' });
    const root = join(work, 'root-x64');
    const r = spawnSync(join(built.stage, 'install.sh'), [], { env: { ...process.env, DESTDIR: root }, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/compiling epoll against .*\/node\n/);
    expect(r.stdout).toMatch(/compiling i2c-bus against /);
    const installed = join(root, 'opt/posfw/1.0.0-gpio/node_modules');
    expect(existsSync(join(installed, 'epoll/build/Release/epoll.node'))).toBe(true);
    expect(existsSync(join(installed, 'i2c-bus/build/Release/i2c.node'))).toBe(true);
  });
});

