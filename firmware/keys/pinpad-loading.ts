// Loading a PIN pad from a TR-31 / X9.143 key block: verify and apply the policy, derive the initial key, inject it.
import { deriveInitialKey, type DukptScheme } from '../crypto/dukpt';
import { displayCheckValue } from '../crypto/key-check-value';
import { unwrapPinPadKey, type PinPadRefusalCode } from '../crypto/tr31-policy';

/** The key-loading side of a PIN pad driver (`PinPad.keys`); flows are never handed it. */
export interface InitialKeyLoader {
  loadInitialKey(key: { scheme: DukptScheme; initialKey: Buffer; ksn: Buffer }): Promise<void>;
}

/** Why nothing was loaded: the block's refusal code (MAC, usage, mode, version ...) or a KSN problem. */
export class PinPadLoadError extends Error {
  override readonly name = 'PinPadLoadError';
  constructor(
    readonly code: PinPadRefusalCode | 'ksn',
    message: string,
  ) {
    super(message);
  }
}

export interface PinPadLoadOptions {
  /** Versions A and C too (the board config's security.allowLegacyKeyBlocks). */
  allowLegacy?: boolean;
  /** The initial KSN when the block carries none (KS for TDES, IK for AES); must agree with the block's when both are given. */
  ksn?: Buffer;
}

/** What was loaded (no key material: check values only). */
export interface PinPadLoadResult {
  /** B1: the block held the initial key; B0: it held a BDK and the initial key was derived from it here. */
  keyUsage: 'B0' | 'B1';
  scheme: DukptScheme;
  /** Check value of the key in the block (the BDK for B0), as the key's issuer states it. */
  blockCheckValue: string;
  /** Check value of the initial key now in the PIN pad. */
  initialKeyCheckValue: string;
  /** The initial KSN, upper-case hex. */
  ksn: string;
}

const KSN_BYTES: Record<DukptScheme, number> = { tdes: 10, aes128: 12, aes256: 12 };

/** The initial KSN: TDES takes the KS block's 10 bytes; AES the IK block's 8-byte initial key ID and a zero counter. */
function initialKsn(scheme: DukptScheme, fromBlock: Buffer | undefined, given: Buffer | undefined): Buffer {
  const blockKsn = fromBlock && (scheme === 'tdes' ? fromBlock : Buffer.concat([fromBlock, Buffer.alloc(4)]));
  if (given && given.length !== KSN_BYTES[scheme]) throw new PinPadLoadError('ksn', `a ${scheme} initial KSN is ${KSN_BYTES[scheme]} bytes, --ksn has ${given.length}`);
  if (blockKsn && given && !blockKsn.equals(given)) {
    throw new PinPadLoadError('ksn', `the key block's ${scheme === 'tdes' ? 'KS' : 'IK'} block gives the initial KSN ${blockKsn.toString('hex').toUpperCase()}, --ksn another one`);
  }
  const ksn = blockKsn ?? given;
  if (!ksn) throw new PinPadLoadError('ksn', `the key block carries no ${scheme === 'tdes' ? 'KS (initial KSN)' : 'IK (initial key ID)'} optional block: give the initial KSN with --ksn`);
  return ksn;
}

/**
 * Verifies `block` under `kbpk` with the PIN-pad policy (B1 initial key or B0 BDK, mode X or N, version B or D,
 * A/C only with `allowLegacy`, a KBPK as strong as the key), works out the initial key and KSN, and injects them
 * through `pad`. Clear keys are wiped once the pad holds its key.
 * @throws PinPadLoadError naming the refusal; the pad is not touched then.
 */
export async function loadPinPadKeyBlock(pad: InitialKeyLoader, block: string, kbpk: Buffer, opts: PinPadLoadOptions = {}): Promise<PinPadLoadResult> {
  const d = unwrapPinPadKey(block.trim(), kbpk, { allowLegacy: opts.allowLegacy });
  if (!d.accepted) throw new PinPadLoadError(d.code, d.reason);
  let initialKey: Buffer | undefined;
  try {
    const ksn = initialKsn(d.scheme, d.initialKeyId, opts.ksn);
    initialKey = d.keyUsage === 'B1' ? Buffer.from(d.key) : deriveInitialKey(d.key, ksn).initialKey;
    const algorithm = d.scheme === 'tdes' ? 'T' : 'A';
    const result: PinPadLoadResult = {
      keyUsage: d.keyUsage,
      scheme: d.scheme,
      blockCheckValue: d.checkValue,
      initialKeyCheckValue: displayCheckValue(algorithm, initialKey) as string,
      ksn: ksn.toString('hex').toUpperCase(),
    };
    await pad.loadInitialKey({ scheme: d.scheme, initialKey, ksn });
    return result;
  } finally {
    d.key.fill(0);
    initialKey?.fill(0);
  }
}
