// Crash points for power-cut tests: POSFW_CRASH_AT=<point> makes the process die (SIGKILL) right there.
// Points: after-journal (record synced as sending, request not sent), before-print (outcome journaled,
// nothing printed or answered), saf-before-send (reversal marked "may have been sent", not sent),
// settlement-before-send (settlement in progress journaled, 0500 not sent), settlement-during-upload (after the
// first 0320 of a batch upload). Unset in production; the chaos and kill tests set it on a child process.

export type CrashPoint = 'after-journal' | 'before-print' | 'saf-before-send' | 'settlement-before-send' | 'settlement-during-upload';

export function crashPoint(point: CrashPoint, env: NodeJS.ProcessEnv = process.env): void {
  if (env.POSFW_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
}
