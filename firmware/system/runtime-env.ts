// The environment the service starts Node with, from the board's runtime section: V8 heap limits and glibc malloc tunables.
import type { RuntimeConfig } from '../board/schema';

/**
 * - NODE_OPTIONS caps V8's heap: left alone, V8 grows old space lazily (a terminal went from 78 to 180 MB over 3,000
 *   sales holding garbage) and keeps a 16 MB semi-space per half.
 * - MALLOC_ARENA_MAX bounds glibc's per-thread arenas (LevelDB and crypto run on libuv's pool threads).
 * - MALLOC_MMAP_THRESHOLD_ fixes the mmap threshold at glibc's default: a fixed value stops the dynamic threshold
 *   from rising after a large free (scrypt's 16 MB for an operator password), which otherwise makes every later
 *   16 MB block stay in an arena for good.
 * glibc reads these at process start only, so they belong to whoever starts the process (the unit, the bench).
 */
export function runtimeEnv(runtime: RuntimeConfig): Record<string, string> {
  return {
    NODE_OPTIONS: `--max-old-space-size=${runtime.oldSpaceMb} --max-semi-space-size=${runtime.semiSpaceMb}`,
    MALLOC_ARENA_MAX: String(runtime.mallocArenas),
    MALLOC_MMAP_THRESHOLD_: '131072',
  };
}
