// The emulated PIN pad's key memory: initial key + current KSN, advanced per PIN block and optionally kept in a file.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { encryptPin, nextKsn } from '../../firmware/crypto/dukpt';
import type { InitialKey } from '../../firmware/hal/pinpad/pinpad';

/**
 * Key memory. Like a real pad, what was injected (and its KSN counter) survives power cycles when a
 * state file is given: the file, when present, wins over the factory key passed in. The file uses the
 * same JSON shape as the simulated PIN pad's (`scheme`, `initialKey`, `ksn` in hex), written atomically.
 */
export class EmulatorKeys {
  private key: InitialKey;

  constructor(
    factoryKey: InitialKey,
    private readonly stateFile?: string,
  ) {
    this.key = copy(factoryKey);
    if (stateFile && existsSync(stateFile)) {
      const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { scheme: InitialKey['scheme']; initialKey: string; ksn: string };
      this.key = { scheme: saved.scheme, initialKey: Buffer.from(saved.initialKey, 'hex'), ksn: Buffer.from(saved.ksn, 'hex') };
    }
  }

  get scheme(): InitialKey['scheme'] {
    return this.key.scheme;
  }

  /** KSN of the last PIN block (the initial KSN before the first one). */
  get ksn(): Buffer {
    return Buffer.from(this.key.ksn);
  }

  /** Throws DukptError (`exhausted`, ...) when no further transaction key is available. */
  checkUsable(): void {
    nextKsn(this.key.ksn, this.key.scheme);
  }

  /** Replaces the key (LOAD_INITIAL_KEY) and persists it. */
  load(key: InitialKey): void {
    this.key = copy(key);
    this.save();
  }

  /** Advances the KSN, persists it, then encrypts `pin` under the new transaction key (real DUKPT). */
  encrypt(pin: string, pan: string): { format: 0 | 4; pinBlock: Buffer; ksn: Buffer } {
    const ksn = nextKsn(this.key.ksn, this.key.scheme);
    const { format, pinBlock } = encryptPin({ scheme: this.key.scheme, initialKey: this.key.initialKey, ksn, pin, pan });
    this.key = { ...this.key, ksn };
    this.save();
    return { format, pinBlock, ksn: Buffer.from(ksn) };
  }

  private save(): void {
    if (!this.stateFile) return;
    mkdirSync(dirname(this.stateFile), { recursive: true });
    const tmp = `${this.stateFile}.tmp`;
    const body = { scheme: this.key.scheme, initialKey: this.key.initialKey.toString('hex'), ksn: this.key.ksn.toString('hex') };
    writeFileSync(tmp, JSON.stringify(body), { mode: 0o600 });
    renameSync(tmp, this.stateFile);
  }
}

const copy = (k: InitialKey): InitialKey => ({ scheme: k.scheme, initialKey: Buffer.from(k.initialKey), ksn: Buffer.from(k.ksn) });
