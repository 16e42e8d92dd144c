// The device key: where the board config says it lives, reading it with checks, creating it (posfw keys init, sim boards).
import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { writeFileDurably } from './key-file';

/** Bytes of the device key (AES-256 strength; it only ever feeds HKDF, see key-wrap.ts). */
export const DEVICE_KEY_BYTES = 32;
/** The device key file in the data folder when the board config names none. */
export const DEFAULT_DEVICE_KEY_FILE = 'device.key';

export type DeviceKeyProblem = 'missing' | 'unreadable' | 'malformed' | 'exposed' | 'exists' | 'credentials';

/** The device key cannot be used or made; `message` says what is wrong and what to do. */
export class DeviceKeyError extends Error {
  override readonly name = 'DeviceKeyError';
  constructor(
    readonly code: DeviceKeyProblem,
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** The board config's security settings this module reads. */
export interface DeviceKeySettings {
  deviceKeyFile?: string;
  /** Older name of deviceKeyFile. */
  journalKeyFile?: string;
  generateDeviceKey?: boolean;
}

/** Where the device key of a board lives and how it comes to be there. */
export interface DeviceKeyLocation {
  path: string;
  /** The board-config setting that named it, for messages. */
  setting: 'security.deviceKeyFile' | 'security.journalKeyFile' | 'default';
  /** Created at first boot (simulator boards) rather than by `posfw keys init`. */
  generate: boolean;
}

const CREDENTIALS = /^\$(?:\{CREDENTIALS_DIRECTORY\}|CREDENTIALS_DIRECTORY)(?=\/|$)/;

/**
 * Resolves the device key's path: `security.deviceKeyFile` (or its older name `journalKeyFile`), relative paths
 * inside the data folder, `$CREDENTIALS_DIRECTORY/NAME` from systemd's credentials (a TPM-sealed key unsealed
 * by systemd at start: docs/keys.md); `device.key` in the data folder when none is named.
 * @throws DeviceKeyError `credentials` when the path names $CREDENTIALS_DIRECTORY and it is not set.
 */
export function deviceKeyLocation(security: DeviceKeySettings, dataDir: string, env: NodeJS.ProcessEnv = process.env): DeviceKeyLocation {
  const named = security.deviceKeyFile ?? security.journalKeyFile;
  const setting = security.deviceKeyFile ? 'security.deviceKeyFile' : security.journalKeyFile ? 'security.journalKeyFile' : 'default';
  let path = named ?? DEFAULT_DEVICE_KEY_FILE;
  if (CREDENTIALS.test(path)) {
    const dir = env.CREDENTIALS_DIRECTORY;
    if (!dir) {
      throw new DeviceKeyError('credentials', path, `${setting} is ${path}, but CREDENTIALS_DIRECTORY is not set: start posfw from its systemd unit with LoadCredentialEncrypted= naming the device key credential (docs/keys.md, "TPM and keyring")`);
    }
    path = path.replace(CREDENTIALS, dir);
  }
  return { path: isAbsolute(path) ? path : join(dataDir, path), setting, generate: security.generateDeviceKey === true };
}

/**
 * Reads a device key file: 64 hex digits (a trailing newline allowed) or 32 raw bytes.
 * @throws DeviceKeyError `missing`, `unreadable`, `malformed`, or `exposed` when other users may read or write it.
 */
export async function readDeviceKey(path: string): Promise<Buffer> {
  let raw: Buffer;
  let mode: number;
  try {
    mode = (await stat(path)).mode;
    raw = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DeviceKeyError('missing', path, `no device key at ${path}`);
    throw new DeviceKeyError('unreadable', path, `cannot read the device key ${path}: ${(err as Error).message}`);
  }
  if ((mode & 0o007) !== 0) {
    throw new DeviceKeyError('exposed', path, `the device key ${path} is open to other users (mode ${(mode & 0o777).toString(8).padStart(4, '0')}): make it readable by the service user only (chmod 600 ${path})`);
  }
  const text = raw.toString('latin1').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (raw.length === DEVICE_KEY_BYTES) return raw;
  throw new DeviceKeyError('malformed', path, `the device key ${path} must hold 64 hex digits or 32 bytes; it holds ${raw.length} bytes of something else`);
}

/**
 * Creates a device key file (64 hex digits and a newline, mode 0600) that does not exist yet, durably; gives it
 * to `owner` when set (root provisioning for the service user). Never replaces a key: the data keys of the open
 * batch are wrapped under it.
 * @throws DeviceKeyError `exists` when a key is there already.
 */
export async function createDeviceKey(path: string, opts: { owner?: { uid: number; gid: number }; random?: (n: number) => Buffer } = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const key = (opts.random ?? randomBytes)(DEVICE_KEY_BYTES);
  try {
    await writeFileDurably(path, key.toString('hex') + '\n', { mode: 0o600, exclusive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new DeviceKeyError('exists', path, `a device key exists already at ${path}; it is kept (a new one would leave the open batch's card data unreadable)`);
    }
    throw err;
  } finally {
    key.fill(0);
  }
  if (opts.owner) await chown(path, opts.owner.uid, opts.owner.gid);
}

/** What `loadDeviceKey` needs to know to explain a missing key. */
export interface LoadDeviceKeyOptions {
  security: DeviceKeySettings;
  dataDir: string;
  /** The board file as the operator named it, for the command to run. */
  boardFile?: string;
  env?: NodeJS.ProcessEnv;
  /** Read-only tools never create a key, even on a simulator board. */
  readOnly?: boolean;
}

/**
 * The device key for a board at boot. Simulator boards (`generateDeviceKey`) get one created in place the first
 * time; any other board must have been provisioned (`posfw keys init`), and a missing key is refused with the
 * exact path, the setting that names it and the command to run.
 */
export async function loadDeviceKey(opts: LoadDeviceKeyOptions): Promise<Buffer> {
  const loc = deviceKeyLocation(opts.security, opts.dataDir, opts.env);
  try {
    return await readDeviceKey(loc.path);
  } catch (err) {
    if (!(err instanceof DeviceKeyError) || err.code !== 'missing') throw err;
    if (!loc.generate || opts.readOnly) throw new DeviceKeyError('missing', loc.path, missingKeyMessage(loc, opts));
  }
  await createDeviceKey(loc.path).catch((err) => {
    if (!(err instanceof DeviceKeyError && err.code === 'exists')) throw err; // made meanwhile: read it
  });
  return readDeviceKey(loc.path);
}

function missingKeyMessage(loc: DeviceKeyLocation, opts: LoadDeviceKeyOptions): string {
  const where = loc.setting === 'default' ? `the data folder's default (no security.deviceKeyFile in the board config)` : `${loc.setting} in the board config`;
  const board = opts.boardFile ?? 'BOARD.json';
  const data = loc.setting === 'default' || !isAbsolute(opts.security.deviceKeyFile ?? opts.security.journalKeyFile ?? '') ? ` --data ${opts.dataDir}` : '';
  return [
    `no device key at ${loc.path} (${where}).`,
    'The device key wraps the per-batch keys that seal card data at rest; the terminal does not start without it.',
    `Create it once on this board: posfw keys init --board ${board}${data}`,
    '(as root it is given to the service user, mode 0600; docs/keys.md also shows how to seal it with a TPM).',
  ].join('\n');
}
