// ECR API keys: created by the CLI, stored as salted scrypt hashes in the data folder, checked by the API on each request.
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (secret: string, salt: Buffer, keylen: number, opts: object) => Promise<Buffer>;

/** What a key may do: a cashier sells and looks up; a supervisor also voids, refunds and settles. */
export const ROLES = ['cashier', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

/** True when `held` includes everything `needed` allows (supervisor includes cashier). */
export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

/** scrypt cost: N=2^14, r=8 (16 MiB, tens of ms per check on a small board; results are cached per key). */
const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const HASH_BYTES = 32;
const TOKEN = /^posfw_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

/** One stored key: never the key itself, only its id, salt and scrypt hash. */
export interface StoredKey {
  id: string;
  name: string;
  role: Role;
  salt: string;
  hash: string;
  createdAt: string;
}

export interface KeyInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
}

interface KeyFile {
  version: 1;
  keys: StoredKey[];
}

export class ApiKeyError extends Error {
  constructor(
    readonly code: 'exists' | 'not-found' | 'bad-name' | 'bad-role' | 'bad-file',
    message: string,
  ) {
    super(message);
    this.name = 'ApiKeyError';
  }
}

/** The key file of a data folder. */
export function apiKeysFile(dataDir: string): string {
  return join(dataDir, 'api-keys.json');
}

/**
 * The key file: the CLI adds and revokes keys (the terminal may be running), the API verifies presented keys. The
 * file is re-read whenever it changed on disk, so a revoked key stops working at once. Verified keys are cached in
 * memory by a hash of the token, so scrypt runs once per key, not once per request.
 */
export class ApiKeyStore {
  private keys: StoredKey[] = [];
  private stamp = '';
  private readonly verified = new Map<string, string>();

  constructor(readonly file: string) {}

  /** Keys as listed (no secrets). */
  list(): KeyInfo[] {
    this.reload();
    return this.keys.map(({ id, name, role, createdAt }) => ({ id, name, role, createdAt }));
  }

  /** Whether any key exists (a terminal without keys and without loopback access answers everything 401). */
  get size(): number {
    this.reload();
    return this.keys.length;
  }

  /** Creates a key for `name` with `role`; returns the token, which is shown once and never stored. */
  async create(name: string, role: Role, now = new Date()): Promise<{ token: string; key: KeyInfo }> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) throw new ApiKeyError('bad-name', `key name "${name}": expected 1-64 letters, digits, ".", "_" or "-"`);
    if (!(ROLES as readonly string[]).includes(role)) throw new ApiKeyError('bad-role', `role "${role}": expected ${ROLES.join(' or ')}`);
    this.reload();
    if (this.keys.some((k) => k.name === name)) throw new ApiKeyError('exists', `a key named "${name}" exists already (revoke it first)`);
    let id: string;
    do id = randomBytes(4).toString('hex');
    while (this.keys.some((k) => k.id === id));
    const secret = randomBytes(32).toString('base64url');
    const salt = randomBytes(16);
    const hash = await scrypt(secret, salt, HASH_BYTES, SCRYPT);
    const stored: StoredKey = { id, name, role, salt: salt.toString('base64'), hash: hash.toString('base64'), createdAt: now.toISOString() };
    this.write([...this.keys, stored]);
    return { token: `posfw_${id}_${secret}`, key: { id, name, role, createdAt: stored.createdAt } };
  }

  /** Removes the key named `name` (or with that id). */
  revoke(nameOrId: string): KeyInfo {
    this.reload();
    const key = this.keys.find((k) => k.name === nameOrId || k.id === nameOrId);
    if (!key) throw new ApiKeyError('not-found', `no key named "${nameOrId}"`);
    this.write(this.keys.filter((k) => k !== key));
    return { id: key.id, name: key.name, role: key.role, createdAt: key.createdAt };
  }

  /** The key a presented token belongs to, or undefined (unknown id, wrong secret, malformed). */
  async verify(token: string): Promise<KeyInfo | undefined> {
    this.reload();
    const m = TOKEN.exec(token);
    if (!m) return undefined;
    const key = this.keys.find((k) => k.id === m[1]);
    if (!key) return undefined;
    const digest = createHash('sha256').update(token).digest('base64');
    if (this.verified.get(digest) !== key.id) {
      const hash = await scrypt(m[2], Buffer.from(key.salt, 'base64'), HASH_BYTES, SCRYPT);
      if (!timingSafeEqual(hash, Buffer.from(key.hash, 'base64'))) return undefined;
      this.verified.set(digest, key.id);
    }
    return { id: key.id, name: key.name, role: key.role, createdAt: key.createdAt };
  }

  private reload(): void {
    if (!existsSync(this.file)) {
      this.keys = [];
      this.stamp = '';
      this.verified.clear();
      return;
    }
    const st = statSync(this.file);
    const stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    if (stamp === this.stamp) return;
    let parsed: KeyFile;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8')) as KeyFile;
    } catch (err) {
      throw new ApiKeyError('bad-file', `${this.file}: not a key file: ${(err as Error).message}`);
    }
    if (parsed?.version !== 1 || !Array.isArray(parsed.keys)) throw new ApiKeyError('bad-file', `${this.file}: not a version 1 key file`);
    this.keys = parsed.keys.filter((k) => typeof k?.id === 'string' && (ROLES as readonly string[]).includes(k.role));
    this.stamp = stamp;
    // A revoked key must stop working: forget every cached check of a key no longer in the file.
    const ids = new Set(this.keys.map((k) => k.id));
    for (const [digest, id] of this.verified) if (!ids.has(id)) this.verified.delete(digest);
  }

  /** Atomic replace, readable by the owner only. */
  private write(keys: StoredKey[]): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, keys } satisfies KeyFile, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, this.file);
    this.stamp = '';
    this.reload();
  }
}
