// The journal's batch keys: the open batch's data key for sealing, and the key rotation around the close of a batch.
import { DataKeyStore } from '../keys/data-keys';
import type { Logger } from '../log';
import type { SealKeys } from './seal';

/**
 * The data keys of one journal (firmware/keys/data-keys.ts) seen as the journal needs them: the open batch's key to
 * seal under, any key by id to open with, and the close of a batch as key rotation around the one synced write.
 */
export class BatchKeys implements SealKeys {
  private currentId: string | undefined;

  private constructor(
    private readonly store: DataKeyStore,
    private readonly log: Logger,
  ) {}

  /**
   * Opens the key files in `dir` under the device key (DataKeyError when one does not open); `readOnly` (tools)
   * creates no folder and cleans no temp file.
   */
  static async open(dir: string, deviceKey: Buffer, log: Logger, readOnly = false): Promise<BatchKeys> {
    return new BatchKeys(await DataKeyStore.open(dir, deviceKey, { readOnly }), log);
  }

  /** The folder of the key files. */
  get dir(): string {
    return this.store.dir;
  }

  /** Ids of the keys held (normally the open batch's only). */
  ids(): string[] {
    return this.store.ids();
  }

  /**
   * Makes `batch` (the open one) the batch new card data is sealed for. With `maintain`, it gets a key if it has
   * none (durable before anything is sealed under it) and keys of other batches, which a power cut during a close
   * left behind, are destroyed. Without (read-only tools) nothing changes on disk.
   */
  async useBatch(batch: string, now: Date, maintain: boolean): Promise<void> {
    if (!maintain) return void (this.currentId = this.store.forBatch(batch)?.id);
    const { current, destroyed } = await this.store.keepOnlyBatch(batch, now);
    if (destroyed.length) this.log.warn({ batch, destroyed }, 'journal: data keys of closed batches destroyed (a close was interrupted)');
    this.currentId = current.id;
  }

  /** The open batch's key, for sealing. Throws when there is none (a read-only journal seals nothing). */
  current(): { id: string; key: Buffer } {
    const key = this.currentId === undefined ? undefined : this.store.get(this.currentId);
    if (!key) throw new Error('the journal has no data key for the open batch (opened read-only?): card data cannot be sealed');
    return { id: this.currentId!, key };
  }

  /** A key by id, for opening; undefined once destroyed. */
  get(id: string): Buffer | undefined {
    return this.store.get(id);
  }

  /**
   * Crypto-shredding around the close of a batch: 1. the next batch's key is made durable, 2. `close` (the synced
   * journal write that advances the batch) runs, 3. every other key, the closed batch's, is destroyed. A power cut
   * after 1 leaves an unused key and the batch open (reopening destroys the unused key); after 2, the closed batch's
   * key (reopening destroys it). A failed `close` destroys the unused key and rethrows. Returns the destroyed ids.
   */
  async rotate(nextBatch: string, now: Date, close: () => Promise<void>): Promise<string[]> {
    const next = await this.store.create(nextBatch, now);
    try {
      await close();
    } catch (err) {
      await this.store.destroy(next.id).catch(() => undefined);
      throw err;
    }
    this.currentId = next.id;
    return this.store.destroyAllBut([next.id]).catch((err: Error) => {
      this.log.error({ err: err.message, nextBatch }, 'journal: closed batch data key not destroyed yet; retried when the journal opens');
      return [];
    });
  }
}
