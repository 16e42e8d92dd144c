// Installer pieces without a bundle: device groups and udev rules per board, units checked by systemd-analyze,
// service user via systemd-sysusers, rollback.sh, the update guard against a live HTTP server, flash dry run, logs.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBoard } from '../../firmware/board/load';
import { deviceAccess, sysusersConf } from '../../cli/release/device-access';
import { rollbackScript, rollbackUnit, serviceUnit } from '../../cli/release/units';
import { checkUpdateAllowed } from '../../cli/release/update-guard';
import { prettyLine } from '../../cli/commands/logs';
import { ROOT, runCli } from '../helpers/cli';
import { freePort } from '../helpers/procs';

const board = (name: string) => loadBoard(join(ROOT, 'board-configs', `${name}.json`));
let work: string;
beforeAll(() => (work = mkdtempSync(join(tmpdir(), 'posfw-sysfiles-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('device access', () => {
  it('rpi-terminal: serial, HID, I2C and GPIO keypad need dialout, gpio, i2c, plugdev and two compiled modules', () => {
    const a = deviceAccess(board('rpi-terminal'));
    expect(a.groups).toEqual(['dialout', 'gpio', 'i2c', 'plugdev']);
    expect(a.natives.sort()).toEqual(['epoll', 'i2c-bus']);
    const rules = a.udevRules.join('\n');
    expect(rules).toContain('SUBSYSTEM=="tty", KERNEL=="ttyUSB0", GROUP="dialout", MODE="0660"');
    expect(rules).toContain('SUBSYSTEM=="hidraw", ATTRS{idVendor}=="0801", ATTRS{idProduct}=="0002", GROUP="plugdev", MODE="0660"');
    expect(rules).toContain('SUBSYSTEM=="i2c-dev", KERNEL=="i2c-1", GROUP="i2c", MODE="0660"');
    expect(a.deviceAllow).toEqual(expect.arrayContaining(['/dev/ttyUSB0 rw', '/dev/i2c-1 rw', 'char-hidraw rw']));
    expect(a.sysfsWritable).toContain('/sys/class/gpio');
  });
  it('sim: no groups, no device nodes, nothing to compile', () => {
    const a = deviceAccess(board('sim'));
    expect(a).toMatchObject({ groups: [], deviceAllow: [], natives: [], sysfsWritable: [] });
  });
});

describe('units', () => {
  /** A throw-away root with systemd's units, a /bin/sh and an executable stand-in for the installed launcher. */
  function verifyRoot(unitText: string, name = 'posfw.service'): { status: number | null; stderr: string } {
    const root = mkdtempSync(join(work, 'root-'));
    cpSync('/usr/lib/systemd/system', join(root, 'usr/lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
    mkdirSync(join(root, 'bin'));
    copyFileSync('/bin/sh', join(root, 'bin/sh'));
    mkdirSync(join(root, 'opt/posfw/1.0/bin'), { recursive: true });
    writeFileSync(join(root, 'opt/posfw/1.0/bin/posfw'), '#!/bin/sh\n');
    chmodSync(join(root, 'opt/posfw/1.0/bin/posfw'), 0o755);
    symlinkSync('1.0', join(root, 'opt/posfw/current'));
    mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
    writeFileSync(join(root, 'etc/systemd/system', name), unitText);
    writeFileSync(join(root, 'etc/systemd/system/posfw-rollback.service'), rollbackUnit());
    const r = spawnSync('systemd-analyze', ['verify', `--root=${root}`, `/etc/systemd/system/${name}`], { encoding: 'utf8' });
    return { status: r.status, stderr: r.stderr.split('\n').filter((l) => l.includes('posfw')).join('\n') };
  }

  it.each(['sim', 'rpi-terminal', 'linux-pos-oled'])('the %s unit passes systemd-analyze verify', (name) => {
    expect(verifyRoot(serviceUnit({ access: deviceAccess(board(name)) }))).toEqual({ status: 0, stderr: '' });
  });

  it('systemd-analyze does catch a broken unit (the check is real)', () => {
    const broken = serviceUnit({ access: deviceAccess(board('sim')) }).replace('ExecStart=/opt/posfw/current/bin/posfw', 'ExecStart=/opt/posfw/missing/bin/posfw');
    const r = verifyRoot(broken);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/missing\/bin\/posfw/);
  });

  it("carries the board's runtime section as the process environment: heap limits and malloc tunables", () => {
    const envOf = (unit: string) => Object.fromEntries([...unit.matchAll(/^Environment="([A-Z_]+)=(.*)"$/gm)].map((m) => [m[1], m[2]]));
    expect(envOf(serviceUnit({ access: deviceAccess(board('sim')) }))).toEqual({
      NODE_OPTIONS: '--max-old-space-size=64 --max-semi-space-size=4',
      MALLOC_ARENA_MAX: '2',
      MALLOC_MMAP_THRESHOLD_: '131072',
    });
    const big = serviceUnit({ access: deviceAccess(board('sim')), runtime: { oldSpaceMb: 256, semiSpaceMb: 8, mallocArenas: 4 } });
    expect(envOf(big)).toMatchObject({ NODE_OPTIONS: '--max-old-space-size=256 --max-semi-space-size=8', MALLOC_ARENA_MAX: '4' });
    expect(verifyRoot(big)).toEqual({ status: 0, stderr: '' });
  });

  it("keeps V8's compile cache in the service's CacheDirectory (writable under ProtectSystem=strict)", () => {
    const unit = serviceUnit({ access: deviceAccess(board('sim')) });
    expect(unit).toMatch(/^CacheDirectory=posfw$/m);
    expect(unit).toMatch(/^Environment=NODE_COMPILE_CACHE=\/var\/cache\/posfw\/compile$/m);
  });

  it('a GPIO board trades ProtectKernelTunables for writable sysfs GPIO; others keep it', () => {
    const gpio = serviceUnit({ access: deviceAccess(board('rpi-terminal')) });
    expect(gpio).toMatch(/^ReadWritePaths=\/var\/lib\/posfw \/sys\/class\/gpio \/sys\/devices$/m);
    expect(gpio).not.toMatch(/^ProtectKernelTunables=yes$/m);
    const sim = serviceUnit({ access: deviceAccess(board('sim')) });
    expect(sim).toMatch(/^ReadWritePaths=\/var\/lib\/posfw$/m);
    expect(sim).toMatch(/^ProtectKernelTunables=yes$/m);
  });
});

it('systemd-sysusers creates the service user with only the board\'s device groups, creating missing groups', () => {
  const root = mkdtempSync(join(work, 'users-'));
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\ndialout:x:20:\n');
  writeFileSync(join(root, 'posfw.conf'), sysusersConf('posfw', deviceAccess(board('rpi-terminal')).groups, '/var/lib/posfw'));
  const r = spawnSync('systemd-sysusers', [`--root=${root}`, join(root, 'posfw.conf')], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  const groups = readFileSync(join(root, 'etc/group'), 'utf8');
  expect(groups).toMatch(/^dialout:x:20:posfw$/m);
  for (const g of ['gpio', 'i2c', 'plugdev']) expect(groups).toMatch(new RegExp(`^${g}:x:\\d+:posfw$`, 'm'));
  expect(groups).not.toMatch(/^lp:/m);
});

it('rollback.sh switches current back to the pending version and starts the service; without a pending update it does nothing', () => {
  const root = mkdtempSync(join(work, 'rb-'));
  const prefix = join(root, 'opt/posfw');
  mkdirSync(join(prefix, '1.0'), { recursive: true });
  mkdirSync(join(prefix, '2.0'));
  symlinkSync('2.0', join(prefix, 'current'));
  writeFileSync(join(prefix, 'rollback.sh'), rollbackScript());
  const calls = join(root, 'systemctl.log');
  const systemctl = join(root, 'systemctl');
  writeFileSync(systemctl, `#!/bin/sh\necho "$@" >> ${calls}\n`, { mode: 0o755 });
  const env = { ...process.env, POSFW_ROOT: root, SYSTEMCTL: systemctl };
  expect(spawnSync('sh', [join(prefix, 'rollback.sh')], { env, encoding: 'utf8' }).stdout).toMatch(/no update pending/);
  writeFileSync(join(prefix, 'update-pending'), '1.0\n');
  const r = spawnSync('sh', [join(prefix, 'rollback.sh')], { env, encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(readlinkSync(join(prefix, 'current'))).toBe('1.0');
  expect(readFileSync(calls, 'utf8')).toBe('reset-failed posfw.service\nstart --no-block posfw.service\n');
});

describe('update guard', () => {
  let server: Server;
  let health: Record<string, unknown>;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const body = req.url === '/v1/health' ? health : undefined;
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? { error: 'not found' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('allows an idle terminal, refuses busy or pending reversals', async () => {
    health = { busy: false, safPending: 0, batch: 3 };
    expect(await checkUpdateAllowed({ apiUrl: url, requireSettled: false })).toMatchObject({ allowed: true });
    health = { busy: true, safPending: 0, batch: 3 };
    expect(await checkUpdateAllowed({ apiUrl: url, requireSettled: false })).toMatchObject({ allowed: false, reason: expect.stringMatching(/transaction is in flight/) });
    health = { busy: false, safPending: 2, batch: 3 };
    expect(await checkUpdateAllowed({ apiUrl: url, requireSettled: false })).toMatchObject({ allowed: false, reason: expect.stringMatching(/2 reversal\/advice/) });
  });

  it('with requireSettled, refuses an open batch and a terminal that cannot tell', async () => {
    health = { busy: false, safPending: 0, batch: '000003' };
    expect(await checkUpdateAllowed({ apiUrl: url, requireSettled: true })).toMatchObject({ allowed: false, reason: expect.stringMatching(/no batchCounted; cannot tell whether batch 000003 is settled/) });
    health = { busy: false, safPending: 0, batch: '000003', batchCounted: 1 };
    expect(await checkUpdateAllowed({ apiUrl: url, requireSettled: true })).toMatchObject({ allowed: false, reason: expect.stringMatching(/batch 000003 is not settled \(1 transaction/) });
    health = { busy: false, safPending: 0, batch: '000003', batchCounted: 0 };
    expect(await checkUpdateAllowed({ apiUrl: url, requireSettled: true })).toMatchObject({ allowed: true });
  });

  it('allows when nothing listens (terminal stopped)', async () => {
    expect(await checkUpdateAllowed({ apiUrl: `http://127.0.0.1:${await freePort()}`, requireSettled: false })).toMatchObject({ allowed: true, reason: expect.stringMatching(/not running/) });
  });
});

it('make flash DRY_RUN=1 prints the scp and ssh commands it would run', () => {
  const out = join(work, 'out');
  mkdirSync(out);
  writeFileSync(join(out, 'posfw-1.0-rpi-terminal-arm64.tar.gz'), '');
  writeFileSync(join(out, 'rpi-terminal-arm64.latest'), join(out, 'posfw-1.0-rpi-terminal-arm64.tar.gz'));
  const r = spawnSync(join(ROOT, 'release/flash.sh'), ['root@pos-7', 'rpi-terminal', 'arm64', '--require-settled'], { env: { ...process.env, OUT: out, DRY_RUN: '1' }, encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toBe(
    `scp  ${out}/posfw-1.0-rpi-terminal-arm64.tar.gz root@pos-7:/tmp/posfw-1.0-rpi-terminal-arm64.tar.gz\n` +
      "ssh  root@pos-7 'cd /tmp && tar -xzf posfw-1.0-rpi-terminal-arm64.tar.gz && { sudo ./posfw-1.0-rpi-terminal-arm64/install.sh --require-settled; rc=$?; }; rm -rf ./posfw-1.0-rpi-terminal-arm64 ./posfw-1.0-rpi-terminal-arm64.tar.gz; exit ${rc:-1}'\n",
  );
});

describe('posfw logs', () => {
  const pino = JSON.stringify({ level: 30, time: 1796011750465, ns: 'boot', msg: 'terminal ready' });
  const journal = JSON.stringify({ MESSAGE: pino, __REALTIME_TIMESTAMP: '1796011750465000', _SYSTEMD_UNIT: 'posfw.service' });
  it('pretty-prints pino lines found in journald JSON, and plain messages as they are', () => {
    const pretty = (o: Record<string, unknown>) => `PRETTY ${o.msg}\n`;
    expect(prettyLine(journal, 'journal', pretty)).toBe('PRETTY terminal ready\n');
    expect(prettyLine(JSON.stringify({ MESSAGE: 'READY', __REALTIME_TIMESTAMP: '0' }), 'journal', pretty)).toBe('1970-01-01T00:00:00.000Z READY\n');
    expect(prettyLine(pino, 'pino', pretty)).toBe('PRETTY terminal ready\n');
  });
  it('reads journalctl -o json from stdin through pino-pretty', async () => {
    const r = await runCli(['logs', '--file', '-', '--journal-json'], { input: journal + '\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/INFO.*terminal ready/);
    expect(r.stdout).toMatch(/ns: "boot"/);
  });
});
