// Where an installed terminal lives on the board, and the same places under a DESTDIR-style root for tests.
import { join } from 'node:path';

/** Board paths (as systemd and the firmware see them). */
export const BOARD_PATHS = {
  prefix: '/opt/posfw',
  data: '/var/lib/posfw',
  etc: '/etc/posfw',
  unitDir: '/etc/systemd/system',
  udevDir: '/etc/udev/rules.d',
  sysusersDir: '/usr/lib/sysusers.d',
  /** systemd's CacheDirectory=posfw: V8's compile cache (rebuilt when lost). */
  cache: '/var/cache/posfw',
} as const;

export const SERVICE = 'posfw.service';
export const ROLLBACK_SERVICE = 'posfw-rollback.service';
export const SERVICE_USER = 'posfw';

export interface Layout {
  /** `/` on a board; a throw-away folder in tests. */
  root: string;
  /** A board path (e.g. BOARD_PATHS.data) inside the root. */
  at(boardPath: string): string;
  /** `/opt/posfw/<version>` inside the root. */
  versionDir(version: string): string;
  /** `/opt/posfw/current` inside the root (a symlink to a version folder). */
  current: string;
  /** `/opt/posfw/previous` inside the root: the version `current` pointed at before the last switch. */
  previous: string;
  /** Marker of an update not yet confirmed ready: holds the version to go back to. */
  pending: string;
}

/** The layout under `root` (`/` on the board). */
export function layoutAt(root: string): Layout {
  const at = (p: string) => join(root, p);
  return {
    root,
    at,
    versionDir: (v) => at(join(BOARD_PATHS.prefix, v)),
    current: at(join(BOARD_PATHS.prefix, 'current')),
    previous: at(join(BOARD_PATHS.prefix, 'previous')),
    pending: at(join(BOARD_PATHS.prefix, 'update-pending')),
  };
}
