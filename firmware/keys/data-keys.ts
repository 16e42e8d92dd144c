// Per-batch data keys: random AES-256 keys in small files outside LevelDB, wrapped by the device key, shredded at close.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { KeyWrap } from './key-wrap';
import { TEMP_SUFFIX, shredFile, writeFileDurably } from './key-file';

/** A data key: seals the card data of one batch. `id` is `<batch>-<8 hex>`, unique even when batch numbers wrap. */
export interface DataKey {
  id: string;
  batch: string;
  key: Buffer;
  createdAt: string;
}

/** A data key file that is there but does not open: another device key, or damaged. */
export class DataKeyError extends Error {
  override readonly name = 'DataKeyError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/** The file a data key lives in: JSON with the wrapped key (never the key). */
interface DataKeyFile {
  v: 1;
  id: string;
  batch: string;
  createdAt: string;
  wrapped: string;
}

const ID = /^(\d{6})-([0-9a-f]{8})$/;
const SUFFIX = '.key';

/**
 * The data keys of a journal, one small file each in `dir` (beside the LevelDB folder, never inside it: LevelDB
 * keeps old values in log and table files until it compacts, so a key written there would outlive its
 * destruction). Keys are held in memory once opened; a file is written durably before its key is handed out and
 * overwritten, fsynced and unlinked when destroyed.
 */
export class DataKeyStore {
  private readonly keys = new Map<string, DataKey>();

  private constructor(
    readonly dir: string,
    private readonly wrap: KeyWrap,
  ) {}

  /**
   * Opens (creating the folder, mode 0700) and unwraps every data key in `dir`. Half-written temp files left by a
   * power cut are destroyed. Rejects with DataKeyError naming the file when one does not open under `deviceKey`.
   * With `readOnly` (the audit) nothing is created or destroyed, and a missing folder holds no keys.
   */
  static async open(dir: string, deviceKey: Buffer, opts: { readOnly?: boolean } = {}): Promise<DataKeyStore> {
    const store = new DataKeyStore(dir, new KeyWrap(deviceKey, 'journal-data-keys'));
    if (!opts.readOnly) await mkdir(dir, { recursive: true, mode: 0o700 });
    let names: string[] = [];
    try {
      names = (await readdir(dir)).sort();
    } catch (err) {
      if (!opts.readOnly || (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    for (const name of names) {
      const file = join(dir, name);
      if (name.endsWith(TEMP_SUFFIX) && !opts.readOnly) await shredFile(file);
      else if (name.endsWith(SUFFIX)) store.add(file, await readFile(file, 'utf8'));
    }
    return store;
  }

  /** Every key held (the audit lists them with their batches). */
  all(): DataKey[] {
    return [...this.keys.values()];
  }

  private add(file: string, text: string): void {
    let parsed: DataKeyFile;
    try {
      parsed = JSON.parse(text) as DataKeyFile;
    } catch {
      throw new DataKeyError(file, `data key file ${file} is not JSON (damaged)`);
    }
    if (parsed.v !== 1 || !ID.test(parsed.id) || `${parsed.id}${SUFFIX}` !== basename(file)) {
      throw new DataKeyError(file, `data key file ${file} does not describe the key its name says`);
    }
    try {
      const key = this.wrap.unwrap(parsed.wrapped, `${parsed.id}|${parsed.batch}`);
      this.keys.set(parsed.id, { id: parsed.id, batch: parsed.batch, key, createdAt: parsed.createdAt });
    } catch (err) {
      throw new DataKeyError(
        file,
        `data key ${parsed.id} (batch ${parsed.batch}) does not open under this device key: ${(err as Error).message}. ` +
          'Put back the device key this data folder was made with; if it is lost for good, delete this file (that batch\'s card data is then unreadable: its reversals go without the card number, voids and refunds need the card)',
      );
    }
  }

  /** The key with this id, or undefined once destroyed (its card data is gone for good). */
  get(id: string): Buffer | undefined {
    return this.keys.get(id)?.key;
  }

  /** The newest key of `batch`, if any. */
  forBatch(batch: string): DataKey | undefined {
    return [...this.keys.values()].filter((k) => k.batch === batch).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).pop();
  }

  /**
   * Makes `batch` the only batch with keys: gives it one (durable) if it has none and destroys the keys of every
   * other batch (a close that a power cut interrupted leaves the closed batch's key, or an unused next one).
   */
  async keepOnlyBatch(batch: string, now: Date): Promise<{ current: DataKey; destroyed: string[] }> {
    const current = this.forBatch(batch) ?? (await this.create(batch, now));
    const destroyed = await this.destroyAllBut([...this.keys.values()].filter((k) => k.batch === batch).map((k) => k.id));
    return { current, destroyed };
  }

  /** Ids of the keys present, oldest first by file name. */
  ids(): string[] {
    return [...this.keys.keys()];
  }

  /** A new key for `batch`, durable on disk (file fsynced, then its folder) before this resolves. */
  async create(batch: string, now: Date): Promise<DataKey> {
    if (!/^\d{6}$/.test(batch)) throw new TypeError(`batch: expected 6 digits, got "${batch}"`);
    const id = `${batch}-${randomBytes(4).toString('hex')}`;
    const key = randomBytes(32);
    const file: DataKeyFile = { v: 1, id, batch, createdAt: now.toISOString(), wrapped: this.wrap.wrap(key, `${id}|${batch}`) };
    await writeFileDurably(this.fileOf(id), JSON.stringify(file) + '\n', { mode: 0o600, exclusive: true });
    const dk = { id, batch, key, createdAt: file.createdAt };
    this.keys.set(id, dk);
    return dk;
  }

  /** Destroys a key: wiped from memory, its file overwritten, fsynced, unlinked, the folder fsynced. Idempotent. */
  async destroy(id: string): Promise<void> {
    this.keys.get(id)?.key.fill(0);
    this.keys.delete(id);
    await shredFile(this.fileOf(id));
  }

  /** Destroys every key but those in `keep` (the open batch's); also key files that were never loaded. */
  async destroyAllBut(keep: readonly string[]): Promise<string[]> {
    const gone: string[] = [];
    for (const name of await readdir(this.dir)) {
      const id = name.endsWith(SUFFIX) ? name.slice(0, -SUFFIX.length) : undefined;
      if (id === undefined || keep.includes(id)) continue;
      await this.destroy(id);
      gone.push(id);
    }
    return gone;
  }

  private fileOf(id: string): string {
    return join(this.dir, `${id}${SUFFIX}`);
  }
}
