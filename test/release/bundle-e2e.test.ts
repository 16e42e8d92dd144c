// The release end to end without a board: build the x64 bundle, install it into a throw-away root with install.sh,
// verify the units, run it on the bundled LTS Node under a systemd stand-in (fake NOTIFY_SOCKET): a sale, a stalled
// loop, a watchdog kill, a SIGKILL with journal recovery, an update refused while busy, a failed update rolled back.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, cpSync, existsSync, mkdirSync, statSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { install, InstallError } from '../../cli/release/installer';
import { startNotifyReceiver, type NotifyReceiver } from '../helpers/notify-receiver';
import { freePort, http, until } from '../helpers/procs';
import { buildBundle, cardSale, FULL, run, writeTestBoard, type Running } from './bundle-harness';
import { Supervisor } from './supervisor';

jest.setTimeout(120_000);
const exec = promisify(execFile);

const V1 = '1.0.0-test';
let work: string;
let root: string;
let stage: string;
let api: string;
let admin: string;
let acquirer: Running;
let notify: NotifyReceiver;
let sup: Supervisor;
const installed = (p: string) => join(root, p);

/** A copy of the bundle as version `version` (hard links: cheap), changed by `edit` (files replaced, never written through), manifest redone. */
async function variant(version: string, edit: (dir: string) => void = () => {}): Promise<string> {
  const dir = join(work, `bundle-${version}`);
  await exec('cp', ['-al', stage, dir]);
  const replace = (f: string, text: string) => (rmSync(join(dir, f)), writeFileSync(join(dir, f), text));
  replace('VERSION', `${version}\n`);
  replace('release.json', JSON.stringify({ ...JSON.parse(readFileSync(join(stage, 'release.json'), 'utf8')), version }));
  edit(dir);
  rmSync(join(dir, 'SHA256SUMS'));
  await exec('sh', ['-c', "find . -type f ! -name SHA256SUMS -printf '%P\\0' | LC_ALL=C sort -z | xargs -0 sha256sum > SHA256SUMS"], { cwd: dir });
  return dir;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'posfw-release-'));
  root = join(work, 'root');
  mkdirSync(root);
  const [apiPort, acqPort] = [await freePort(), await freePort()];
  api = `http://127.0.0.1:${apiPort}`;
  const board = join(work, 'release-test.json');
  writeTestBoard(board, apiPort, acqPort);
  const built = buildBundle(board, 'x64', { OUT: join(work, 'out'), VERSION: V1, ...(FULL ? {} : { NO_TAR: '1' }) });
  stage = built.stage;
  if (built.tarball) {
    // Full profile: what a board gets is the tarball; unpack it like install on the board would.
    const unpacked = join(work, 'unpacked');
    mkdirSync(unpacked);
    expect(spawnSync('tar', ['-xzf', built.tarball, '-C', unpacked]).status).toBe(0);
    stage = join(unpacked, readdirSync(unpacked)[0]);
  }
  notify = await startNotifyReceiver(join(work, 'notify.sock'));
  sup = new Supervisor({ root, notify, watchdogMs: 3000, enforceWatchdog: true, env: { POSFW_LOG_LEVEL: 'info', POSFW_MAX_LOOP_LAG_MS: '1000' } });
}, 300_000);

afterAll(async () => {
  if (process.env.POSFW_RELEASE_DEBUG) writeFileSync(process.env.POSFW_RELEASE_DEBUG, `${sup?.events.join('\n')}\n----\n${sup?.output}\n----\n${notify?.messages.map((m) => m.join(' ')).join('\n')}`);
  await sup?.stop();
  await acquirer?.kill();
  await notify?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

it('carries the LTS Node, the target prebuilds only, and a manifest that matches', () => {
  const release = JSON.parse(readFileSync(join(stage, 'release.json'), 'utf8'));
  expect(release).toMatchObject({ version: V1, board: 'release-test', arch: 'x64' });
  const node = spawnSync(join(stage, 'node/bin/node'), ['-p', 'process.version + " " + process.release.lts'], { encoding: 'utf8' });
  expect(node.stdout.trim()).toBe(`v${release.node} Krypton`);
  expect(readdirSync(join(stage, 'node_modules/@serialport/bindings-cpp/prebuilds'))).toEqual(['linux-x64']);
  expect(readdirSync(join(stage, 'node_modules/node-hid/prebuilds')).sort()).toEqual(['HID-linux-x64', 'HID_hidraw-linux-x64']);
  expect(readdirSync(join(stage, 'node_modules/classic-level/prebuilds/linux-x64'))).toEqual(['classic-level.node']);
  expect(existsSync(join(stage, 'node_modules/jest'))).toBe(false);
  expect(existsSync(join(stage, 'tools/node_modules/node-gyp/bin/node-gyp.js'))).toBe(true);
  // The display font's licence ships with the glyphs.
  expect(readFileSync(join(stage, 'licenses/unifont-OFL-1.1.txt'), 'utf8')).toContain('SIL OPEN FONT LICENSE');
  expect(spawnSync('sha256sum', ['--quiet', '--strict', '-c', 'SHA256SUMS'], { cwd: stage }).status).toBe(0);
});

it('install.sh refuses a bundle that does not match its SHA256SUMS', async () => {
  const bad = await variant('1.0.0-tampered');
  rmSync(join(bad, 'board.json'));
  writeFileSync(join(bad, 'board.json'), readFileSync(join(stage, 'board.json'), 'utf8').replace('POSFW DEMO STORE', 'EVIL STORE'));
  const r = spawnSync(join(bad, 'install.sh'), [], { env: { ...process.env, DESTDIR: join(work, 'never') }, encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/does not match its SHA256SUMS/);
  expect(existsSync(join(work, 'never'))).toBe(false);
});

it('install.sh installs into the throw-away root: version folder, current link, user, data folder, udev rules, units', () => {
  const r = spawnSync(join(stage, 'install.sh'), [], { env: { ...process.env, DESTDIR: root }, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/current -> 1\.0\.0-test/);
  expect(readlinkSync(installed('opt/posfw/current'))).toBe(V1);
  expect(readFileSync(installed(`opt/posfw/${V1}/VERSION`), 'utf8').trim()).toBe(V1);
  expect(readFileSync(installed('etc/passwd'), 'utf8')).toMatch(/^posfw:x:\d+:\d+:posfw payment terminal:\/var\/lib\/posfw:\/usr\/sbin\/nologin$/m);
  expect(existsSync(installed('var/lib/posfw'))).toBe(true);
  expect(readFileSync(installed('etc/udev/rules.d/60-posfw.rules'), 'utf8')).toMatch(/no local devices/);
  const unit = readFileSync(installed('etc/systemd/system/posfw.service'), 'utf8');
  for (const line of ['Type=notify', 'WatchdogSec=30', 'Restart=on-failure', 'ProtectSystem=strict', 'NoNewPrivileges=yes', 'ReadWritePaths=/var/lib/posfw\n', 'User=posfw']) expect(unit).toContain(line);
});

it('the installed units pass systemd-analyze verify', () => {
  // systemd-analyze resolves units and ExecStart inside --root: give the root systemd's own units and a /bin/sh.
  cpSync('/usr/lib/systemd/system', installed('usr/lib/systemd/system'), { recursive: true, verbatimSymlinks: true });
  mkdirSync(installed('bin'), { recursive: true });
  copyFileSync('/bin/sh', installed('bin/sh'));
  for (const unit of ['posfw.service', 'posfw-rollback.service']) {
    const r = spawnSync('systemd-analyze', ['verify', `--root=${root}`, `/etc/systemd/system/${unit}`], { encoding: 'utf8' });
    expect({ unit, status: r.status, stderr: r.stderr.split('\n').filter((l) => l.includes('posfw')) }).toEqual({ unit, status: 0, stderr: [] });
  }
});

it('starts on the bundled Node: READY=1 only after boot and recovery, then watchdog pings; a card sale is approved', async () => {
  acquirer = run(installed('opt/posfw/current/bin/posfw'), ['acquirer', '--port', new URL(`http://${JSON.parse(readFileSync(join(stage, 'board.json'), 'utf8')).host.acquirer}`).port, '--admin-port', '0', '--data', join(work, 'acquirer')]);
  admin = `http://127.0.0.1:${(await acquirer.waitFor(/ACQUIRER READY (\d+) (\d+)/))[2]}`;
  await sup.restart();
  expect(await sup.waitReady(V1, 30_000)).toBe(true);
  await notify.waitFor((m) => m.includes('WATCHDOG=1'), 'a watchdog ping');
  const out = sup.output;
  expect(out.indexOf('"msg":"terminal ready"')).toBeGreaterThan(-1);
  expect(out.indexOf('"msg":"terminal ready"')).toBeLessThan(out.indexOf('told systemd: ready'));
  // The unit's NODE_COMPILE_CACHE, flushed right after boot on the bundled Node: the next boot reads compiled code.
  const cache = installed('var/cache/posfw/compile');
  await until(async () => existsSync(cache) && readdirSync(cache).some((v) => readdirSync(join(cache, v)).length > 0), 'the compile cache written after boot');
  const sale = await cardSale(api, 'REL-SALE-1', 4200);
  expect(sale.body).toMatchObject({ status: 'approved', responseCode: '00' });
  const ledger = await http<{ entries: Array<{ status: string; amount: number }> }>(`${admin}/ledger?reference=REL-SALE-1`);
  expect(ledger.body.entries).toMatchObject([{ status: 'approved', amount: 4200 }]);
});

it('withholds the watchdog ping after the event loop stalls, and the watchdog restarts a frozen terminal', async () => {
  const from = notify.messages.length;
  const pid = sup.child!.pid!;
  // Frozen for good (SIGSTOP): no pings; the stand-in, like systemd, sends SIGABRT, then SIGKILL, then restarts it.
  process.kill(pid, 'SIGSTOP');
  await until(async () => sup.events.includes(`watchdog timeout ${pid}`), 'the watchdog to fire', 10_000);
  await notify.waitFor((m) => m.includes('READY=1'), 'READY=1 after the watchdog restart', { from, timeoutMs: 30_000 });
  expect(sup.events).toEqual(expect.arrayContaining([`exit ${pid} SIGKILL`, 'restart (on-failure)']));
  // A stall longer than POSFW_MAX_LOOP_LAG_MS (1000 ms): the next ping is withheld and STATUS says why. The stand-in's
  // own watchdog is suspended meanwhile, so the missed ping is seen rather than acted on.
  sup.enforceWatchdog = false;
  try {
    const stalled = sup.child!.pid!;
    const mark = notify.messages.length;
    process.kill(stalled, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, 2500));
    process.kill(stalled, 'SIGCONT');
    await notify.waitFor((m) => m.some((l) => /^STATUS=posfw .*event loop stalled \d+ ms, watchdog ping withheld$/.test(l)), 'a withheld ping', { from: mark, timeoutMs: 10_000 });
    await notify.waitFor((m) => m.includes('WATCHDOG=1'), 'pings again', { from: notify.messages.length });
  } finally {
    sup.enforceWatchdog = true;
  }
});

it('after a SIGKILL mid-transaction the service restarts, recovers the journal before READY=1, and reverses the sale', async () => {
  await http(`${admin}/faults`, { delayResponse: 1, delayMs: 4000, seed: 1 });
  const pid = sup.child!.pid!;
  void cardSale(api, 'REL-KILL-1', 1500).catch(() => undefined);
  await until(async () => (await http<{ entries: unknown[] }>(`${admin}/ledger?reference=REL-KILL-1`)).body.entries.length > 0, 'the host to post the sale');
  const from = notify.messages.length;
  const outputBefore = sup.output.length;
  process.kill(pid, 'SIGKILL');
  await http(`${admin}/faults`, undefined, 'DELETE');
  await notify.waitFor((m) => m.includes('READY=1'), 'READY=1 after the restart', { from, timeoutMs: 30_000 });
  await until(async () => sup.output.slice(outputBefore).includes('told systemd: ready'), 'the readiness log line');
  expect(sup.events).toEqual(expect.arrayContaining([`exit ${pid} SIGKILL`, 'restart (on-failure)']));
  const after = sup.output.slice(outputBefore);
  const ready = /"recovered":(\{[^}]*\})[^\n]*"msg":"terminal ready"/.exec(after);
  expect(ready?.[1]).toContain('REL-KILL-1');
  expect(after.indexOf('"msg":"terminal ready"')).toBeLessThan(after.indexOf('told systemd: ready'));
  await until(async () => (await http<{ safPending: number }>(`${api}/v1/health`)).body.safPending === 0, 'the reversal to be acknowledged');
  expect((await http<{ status: string; reversal: string }>(`${api}/v1/transactions/REL-KILL-1`)).body).toMatchObject({ status: 'failed', reversal: 'done' });
  const entries = (await http<{ entries: Array<{ status: string }> }>(`${admin}/ledger?reference=REL-KILL-1`)).body.entries;
  expect(entries.some((e) => e.status === 'reversed')).toBe(true);
});

it('refuses an update while a transaction is in flight, and (require-settled) while the batch is open', async () => {
  const good = await variant('1.1.0-test');
  let answer: unknown;
  void http(`${api}/v1/transactions`, { reference: 'REL-BUSY-1', type: 'sale', amount: 100 }).then((r) => (answer = r), (e) => (answer = String(e)));
  for (let i = 0; !(await http<{ busy: boolean }>(`${api}/v1/health`)).body.busy; i++) {
    if (answer !== undefined || i > 100) throw new Error(`terminal not busy; sale answered ${JSON.stringify(answer)}; supervisor: ${sup.events.slice(-4).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const attempt = install({ bundleDir: good, root, manager: sup, log: () => {} });
  await expect(attempt).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/update refused: a transaction is in flight/) });
  expect(readlinkSync(installed('opt/posfw/current'))).toBe(V1);
  await http(`${api}/v1/transactions/REL-BUSY-1/cancel`, {});
  await until(async () => !(await http<{ busy: boolean }>(`${api}/v1/health`)).body.busy, 'the terminal to be idle');
  // Idle now, but with require-settled the approved sale in the open batch still holds the update back.
  await expect(install({ bundleDir: good, root, manager: sup, requireSettled: true, log: () => {} })).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/batch \d+ is not settled/) });
});

it('rolls a failed update back by itself, leaving the data folder untouched', async () => {
  const broken = await variant('2.0.0-broken', (dir) => {
    rmSync(join(dir, 'dist/firmware/main.js'));
    writeFileSync(join(dir, 'dist/firmware/main.js'), "throw new Error('this build is broken');\n");
  });
  // The running v1 may compact its LevelDB files at any time: "untouched" means the same folders and the same records.
  const inode = (p: string) => statSync(installed(p)).ino;
  const dataBefore = [inode('var/lib/posfw'), inode('var/lib/posfw/journal')];
  const records = async () => Promise.all(['REL-SALE-1', 'REL-KILL-1'].map(async (r) => (await http(`${api}/v1/transactions/${r}`)).body));
  const recordsBefore = await records();
  const lines: string[] = [];
  const attempt = install({ bundleDir: broken, root, manager: sup, readyTimeoutMs: 8000, rollbackTimeoutMs: 60_000, log: (l) => lines.push(l) });
  await expect(attempt).rejects.toBeInstanceOf(InstallError);
  await expect(attempt).rejects.toMatchObject({ exitCode: 4, message: expect.stringMatching(/2\.0\.0-broken did not become ready within 8 s; rolled back to 1\.0\.0-test, which is ready again/) });
  expect(readlinkSync(installed('opt/posfw/current'))).toBe(V1);
  expect(existsSync(installed('opt/posfw/update-pending'))).toBe(false);
  expect(sup.output).toMatch(/this build is broken/);
  expect([inode('var/lib/posfw'), inode('var/lib/posfw/journal')]).toEqual(dataBefore);
  expect(await records()).toEqual(recordsBefore);
  expect(recordsBefore[0]).toMatchObject({ status: 'approved' });
});

it('a good update switches current, keeps the previous version and the journal', async () => {
  const good = join(work, 'bundle-1.1.0-test');
  const v1 = sup.child!.pid!;
  const from = notify.messages.length;
  const result = await install({ bundleDir: good, root, manager: sup, readyTimeoutMs: 30_000, log: () => {} });
  // The old version was stopped cleanly: STOPPING=1, then exit 0.
  expect(notify.messages.slice(from)).toContainEqual(['STOPPING=1', `STATUS=posfw ${V1} stopping`]);
  expect(sup.events).toContain(`exit ${v1} 0`);
  expect(result).toEqual({ version: '1.1.0-test', previous: V1, outcome: 'installed' });
  expect(readlinkSync(installed('opt/posfw/current'))).toBe('1.1.0-test');
  expect(readlinkSync(installed('opt/posfw/previous'))).toBe(V1);
  expect(existsSync(installed('opt/posfw/2.0.0-broken'))).toBe(false);
  expect((await http<{ status: string }>(`${api}/v1/transactions/REL-SALE-1`)).body.status).toBe('approved');
});
