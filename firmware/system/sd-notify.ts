// systemd notification protocol (sd_notify): NOTIFY_SOCKET parsing, field checks and a lazily chosen sender.
//
// Transport choice. Node has no AF_UNIX SOCK_DGRAM socket in core, and the npm options were checked for
// the three board architectures: `node-unix-socket` (napi-rs) publishes prebuilt binaries for x64 only
// (its arm64 and armv7 packages are absent from the registry); `unix-dgram` (NAN) must be compiled on the
// board and copies the address with strncpy, so abstract "@" sockets cannot work; `sd-notify` links
// libsystemd and needs a compiler plus its headers on the board. So the sender is systemd's own
// `systemd-notify`, present wherever systemd runs: no native code in the bundle, abstract and path
// sockets both handled, and by default it waits (sd_notify_barrier) until the manager has read the
// message, so the short-lived sender is still attributed to the unit (the unit sets NotifyAccess=all).
// A ping every WatchdogSec/2 costs one short process; readiness and stopping are sent once. The
// transport is an argument, so a datagram sender can replace it without touching the callers.
import { execFile } from 'node:child_process';
import type { Logger } from '../log';

/** Where notifications go: a filesystem socket path, or an abstract address (`@name`, sent as `\0name`). */
export interface NotifySocket {
  kind: 'path' | 'abstract';
  /** NOTIFY_SOCKET as given, e.g. `/run/systemd/notify` or `@posfw-test`. */
  raw: string;
}

/** Notification fields, e.g. `{ READY: 1, STATUS: 'posfw 1.2.0 ready' }` (sd_notify(3) names). */
export type NotifyFields = Record<string, string | number>;

/** Sends one notification (all fields in one message) to the socket; rejects when it could not be delivered. */
export type NotifyTransport = (socket: NotifySocket, fields: NotifyFields) => Promise<void>;

/**
 * Parses NOTIFY_SOCKET. Undefined or empty means "not started by systemd" (simulator on a laptop).
 * @throws Error naming the variable when it is neither an absolute path nor an `@` abstract address.
 */
export function parseNotifySocket(value: string | undefined): NotifySocket | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.startsWith('/')) return { kind: 'path', raw: value };
  if (value.startsWith('@') && value.length > 1) return { kind: 'abstract', raw: value };
  throw new Error(`NOTIFY_SOCKET: expected an absolute socket path or an abstract address starting with "@", got "${value}"`);
}

const FIELD_NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * Checks notification fields and returns them as `NAME=value` assignments in order.
 * @throws Error naming the field when a name is not upper-case or a value holds a newline.
 */
export function notifyAssignments(fields: NotifyFields): string[] {
  return Object.entries(fields).map(([name, value]) => {
    if (!FIELD_NAME.test(name)) throw new Error(`sd_notify field "${name}": expected an upper-case name such as READY or STATUS`);
    const text = String(value);
    if (/[\n\0]/.test(text)) throw new Error(`sd_notify field ${name}: value must not contain a newline or NUL`);
    return `${name}=${text}`;
  });
}

type ExecFile = (file: string, args: string[], opts: { env: NodeJS.ProcessEnv; timeout: number }, cb: (err: Error | null, stdout: string, stderr: string) => void) => unknown;

/**
 * A transport that runs systemd's `systemd-notify NAME=value ...` with NOTIFY_SOCKET set.
 * It waits for the manager to read the message (systemd-notify's default barrier), bounded by `timeoutMs`.
 */
export function systemdNotifyTransport(opts: { binary?: string; timeoutMs?: number; execFile?: ExecFile } = {}): NotifyTransport {
  const run = opts.execFile ?? (execFile as unknown as ExecFile);
  const binary = opts.binary ?? 'systemd-notify';
  return (socket, fields) =>
    new Promise<void>((resolve, reject) => {
      run(binary, notifyAssignments(fields), { env: { ...process.env, NOTIFY_SOCKET: socket.raw }, timeout: opts.timeoutMs ?? 5000 }, (err, _out, stderr) => {
        if (!err) return resolve();
        const detail = String(stderr || err.message).trim();
        reject(new Error(`${binary} ${Object.keys(fields).join(',')} to ${socket.raw} failed: ${detail}`));
      });
    });
}

export interface Notifier {
  /** False outside systemd (no NOTIFY_SOCKET): every notify() is then a no-op. */
  readonly enabled: boolean;
  /** Sends the fields; resolves false (and logs) when they could not be delivered. Never rejects. */
  notify(fields: NotifyFields): Promise<boolean>;
}

/**
 * A notifier for this process. The transport is only created on the first notification, so a laptop
 * without systemd never looks for `systemd-notify`.
 */
export function createNotifier(opts: { env?: NodeJS.ProcessEnv; transport?: () => NotifyTransport; log?: Logger } = {}): Notifier {
  const socket = parseNotifySocket((opts.env ?? process.env).NOTIFY_SOCKET);
  let transport: NotifyTransport | undefined;
  return {
    enabled: socket !== undefined,
    async notify(fields) {
      if (!socket) return false;
      notifyAssignments(fields);
      transport ??= (opts.transport ?? (() => systemdNotifyTransport()))();
      try {
        await transport(socket, fields);
        return true;
      } catch (err) {
        opts.log?.warn({ err, fields: Object.keys(fields) }, 'systemd notification not delivered');
        return false;
      }
    },
  };
}
