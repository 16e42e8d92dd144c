// `posfw journal audit`: scans a data folder's raw files for card data in the clear and for what the device's keys still open.
import type { Command } from 'commander';
import { loadBoard } from '../../firmware/board/load';
import { DeviceKeyError, loadDeviceKey } from '../../firmware/keys/device-key';
import { auditDataFolder, type AuditReport } from '../../firmware/journal/audit/audit';

interface Opts {
  data: string;
  board: string;
  json?: boolean;
  settled?: boolean;
  pan: string[];
  bruteForce: boolean;
  hostFolder: string[];
}

function text(r: AuditReport, keyNote: string | undefined): string {
  const lines = [`audit of ${r.dataDir}: ${r.files} files; LevelDB: ${r.levelDbFolders.join(', ') || 'none'}${r.hostFolders.length ? `; host's books: ${r.hostFolders.join(', ')}` : ''}`];
  if (keyNote) lines.push(keyNote);
  const keys = r.keys.dataKeys.map((k) => `${k.id}${k.open ? ' (open batch)' : ' (CLOSED BATCH)'}`).join(', ') || 'none';
  lines.push(`open batch ${r.openBatch ?? 'unknown'}; data keys on the device: ${keys}; other key files: ${r.keys.keyFiles.join(', ') || 'none'}`);
  lines.push(`sealed card data: ${r.sealed.found} found, ${r.sealed.openable} open under keys on the device (${r.sealed.openBatch} of them the open batch's, expected until it settles)`);
  lines.push(`hash-like values on disk: ${r.hashLike}`);
  for (const b of r.bruteForce) lines.push(`brute force ${b.maskedPan}: ${b.skipped ? `skipped (${b.skipped})` : `${b.candidates} candidates, ${r.findings.some((f) => f.kind === 'recoverable-tag' && f.detail.startsWith(b.maskedPan)) ? 'PAN RECOVERED' : 'no tag matched'}`}`);
  if (r.clean) lines.push('clean: no card data in the clear, and nothing the keys on the device open gives a PAN back');
  else for (const f of r.findings) lines.push(`FINDING ${f.kind}: ${f.file}: ${f.detail}`);
  return lines.join('\n') + '\n';
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Registers `journal audit` under the `journal` group. */
export function register(journal: Command): void {
  journal
    .command('audit')
    .description('Scan the data folder (raw files, LevelDB logs and tables decoded) for card data in the clear and for card data the keys on the device still open')
    .option('--data <dir>', 'data folder of the terminal', '.sim-data')
    .option('--board <file>', 'board config (where the device key is)', 'board-configs/sim.json')
    .option('--settled', 'the batch was just settled: no sealed card data may open at all, not even the open batch\'s')
    .option('--pan <digits>', 'a PAN that must appear nowhere, in any encoding (repeatable; for tests with known cards)', collect, [])
    .option('--no-brute-force', 'skip trying every masked PAN\'s missing digits against the hash-like values on disk')
    .option('--host-folder <name>', 'a sub-folder with the host\'s books (default: acquirer)', collect, [])
    .option('--json', 'JSON output')
    .addHelpText('after', '\nExit codes: 0 clean, 1 findings (listed), 2 usage error.')
    .action(async (opts: Opts) => {
      const board = loadBoard(opts.board);
      let deviceKey: Buffer | undefined;
      let keyNote: string | undefined;
      try {
        deviceKey = await loadDeviceKey({ security: board.security, dataDir: opts.data, boardFile: opts.board, readOnly: true });
      } catch (err) {
        if (!(err instanceof DeviceKeyError)) throw err;
        keyNote = `no usable device key (${err.message.split('\n')[0]}): data keys were not opened`;
      }
      const report = await auditDataFolder(opts.data, {
        deviceKey,
        settled: opts.settled,
        knownPans: opts.pan,
        bruteForce: opts.bruteForce,
        hostFolders: opts.hostFolder.length ? opts.hostFolder : undefined,
      });
      deviceKey?.fill(0);
      process.stdout.write(opts.json ? JSON.stringify({ ...report, ...(keyNote ? { note: keyNote } : {}) }, null, 2) + '\n' : text(report, keyNote));
      process.exitCode = report.clean ? 0 : 1;
    });
}
