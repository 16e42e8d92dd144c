// Bench board files: where the serial links live (the board's folder, or a bench folder that relocates them).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { loadBoard } from '../../firmware/board/load';
import type { BoardConfig } from '../../firmware/board/schema';

/** Device classes whose serial driver the bench puts on a pty pair. */
export const SERIAL_CLASSES = ['scanner', 'magstripe', 'pinpad', 'printer'] as const;
export type SerialClass = (typeof SERIAL_CLASSES)[number];

/** Environment variable naming the bench folder (tests use a temp folder). */
export const BENCH_DIR_ENV = 'POSFW_BENCH_DIR';

export interface ResolvedBenchBoard {
  /** The board file to boot: the original, or a copy with the serial paths moved into `dir`. */
  boardFile: string;
  board: BoardConfig;
  /** Driver-end link path per serial device the bench emulates. */
  serialPaths: Partial<Record<SerialClass, string>>;
  /** Set when the bench wrote `boardFile` itself. */
  generated: boolean;
}

function serialPathOf(board: BoardConfig, cls: SerialClass): string | undefined {
  const section = board.devices[cls];
  return section.driver === 'serial' ? section.path : undefined;
}

/**
 * Loads `boardFile` (throws BoardConfigError like boot does) and decides where the serial links go. With `dir`
 * (option or POSFW_BENCH_DIR) every serial path becomes `<dir>/<its file name>` and the relocated board is
 * written to `<dir>/board.json`; without it the board's own paths are used. Throws for a serial path under /dev
 * (a real port: the bench never puts a link there) and for two devices on the same link name.
 */
export function resolveBenchBoard(boardFile: string, dir?: string): ResolvedBenchBoard {
  const board = loadBoard(boardFile);
  const serialPaths: Partial<Record<SerialClass, string>> = {};
  const names = new Map<string, SerialClass>();
  for (const cls of SERIAL_CLASSES) {
    const path = serialPathOf(board, cls);
    if (path === undefined) continue;
    if (!dir && resolve(path).startsWith('/dev/')) {
      throw new Error(`${boardFile}: $.devices.${cls}.path ${path} is a real port; a bench board puts its serial links in a bench folder (e.g. /tmp/posfw-bench/${board.board.name}/${cls})`);
    }
    const name = basename(path);
    const clash = names.get(name);
    if (clash) throw new Error(`${boardFile}: $.devices.${cls}.path and $.devices.${clash}.path share the link name "${name}"`);
    names.set(name, cls);
    serialPaths[cls] = dir ? join(resolve(dir), name) : resolve(path);
  }
  if (!dir) return { boardFile, board, serialPaths, generated: false };

  const raw = JSON.parse(readFileSync(boardFile, 'utf8')) as { devices: Record<string, { path?: string }> };
  for (const [cls, path] of Object.entries(serialPaths)) raw.devices[cls].path = path;
  mkdirSync(resolve(dir), { recursive: true });
  const out = join(resolve(dir), 'board.json');
  writeFileSync(out, JSON.stringify(raw, null, 2) + '\n');
  return { boardFile: out, board: loadBoard(out), serialPaths, generated: true };
}
