// Card-present checks of the host: card data from field 35 or 2/14, DUKPT PIN verification, available balance.
import type { IsoMessage } from '../../firmware/host/iso8583';
import { decryptPin, type DukptScheme } from '../../firmware/crypto/dukpt';
import { PinBlockError } from '../../firmware/crypto/errors';
import { parseTrack2, type CardData } from './cards';
import { has, text } from './iso-fields';
import type { LedgerEntry } from './types';

/** Base derivation keys by DUKPT scheme. */
export type BdkSet = Partial<Record<DukptScheme, Buffer>>;

/** Card data of a request: track 2 (field 35) when present, else PAN and expiry (fields 2 and 14). */
export function readCard(msg: IsoMessage): CardData | undefined {
  if (has(msg, 35)) return parseTrack2(text(msg, 35));
  const pan = text(msg, 2);
  const expiry = text(msg, 14);
  return /^\d{12,19}$/.test(pan) && /^\d{4}$/.test(expiry) ? { pan, expiry } : undefined;
}

/**
 * Verifies the PIN of a request against `expected`: decrypts field 52 with the BDK of the scheme the KSN
 * (field 53) belongs to (10 bytes: TDES, ISO format 0; 12 bytes: AES-128 or AES-256, ISO format 4).
 * Returns 'absent' (no PIN block: bypass), 'ok', or a response code: 55 wrong PIN or a block that does not
 * decode, 30 a KSN of the wrong size, 96 no key for the scheme or an unusable KSN.
 */
export function checkPin(msg: IsoMessage, pan: string, expected: string, bdk: BdkSet): 'absent' | 'ok' | '55' | '30' | '96' {
  const block = msg.fields[52];
  const ksn = msg.fields[53];
  if (block === undefined) return 'absent';
  if (!Buffer.isBuffer(block) || !Buffer.isBuffer(ksn)) return '30';
  if (ksn.length !== 10 && ksn.length !== 12) return '30';
  const keys = ksn.length === 10 ? [bdk.tdes] : [bdk.aes128, bdk.aes256];
  const usable = keys.filter((k): k is Buffer => k !== undefined);
  if (usable.length === 0) return '96';
  let result: '55' | '96' = '55';
  for (const key of usable) {
    try {
      const pin = decryptPin({ bdk: key, ksn, pinBlock: block, pan, format: ksn.length === 10 ? 0 : 4 });
      return pin === expected ? 'ok' : '55';
    } catch (err) {
      // A block that does not decode under this key: maybe the other AES key; else a wrong PIN entry.
      if (!(err instanceof PinBlockError)) result = '96';
    }
  }
  return result;
}

/**
 * Available balance of a card from its ledger entries (approved only): opening balance, minus sales and
 * completions, minus what is left of each pre-authorisation hold, plus refunds.
 */
export function availableBalance(openingBalance: number, entries: LedgerEntry[], holdReleased: (preauth: LedgerEntry) => boolean = () => false): number {
  let balance = openingBalance;
  for (const e of entries) {
    if (e.status !== 'approved') continue;
    if (e.kind === 'sale' || e.kind === 'completion') balance -= e.amount;
    else if (e.kind === 'preauth' && !holdReleased(e)) balance -= Math.max(0, e.amount - e.completedAmount);
    else if (e.kind === 'refund') balance += e.amount;
  }
  return balance;
}
