// `posfw boards check [FILE...]`: validates board configs and names the file, JSON path and expectation on failure.
import type { Command } from 'commander';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadBoard, BoardConfigError } from '../../firmware/board/load';

export function register(program: Command): void {
  const boards = program.command('boards').description('Board configuration tools');
  boards
    .command('check')
    .description('Validate board config files (default: board-configs/*.json)')
    .argument('[files...]', 'board config JSON files')
    .action((files: string[]) => {
      const list = files.length ? files : readdirSync('board-configs').filter((f) => f.endsWith('.json')).map((f) => join('board-configs', f));
      let bad = 0;
      for (const file of list) {
        try {
          const b = loadBoard(file);
          const drivers = Object.entries(b.devices).map(([cls, d]) => `${cls}=${d.driver}`).join(' ');
          process.stdout.write(`ok   ${file} (${b.board.name}: ${drivers})\n`);
        } catch (err) {
          bad++;
          process.stderr.write(err instanceof BoardConfigError ? `FAIL ${err.message}\n` : `FAIL ${file}: ${(err as Error).message}\n`);
        }
      }
      if (bad) {
        process.stderr.write(`${bad} of ${list.length} board config(s) invalid\n`);
        process.exitCode = 1;
      }
    });
}
