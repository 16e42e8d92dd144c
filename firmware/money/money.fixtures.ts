// Shared fixtures for money-layer tests: a real journal in a temp folder, the sim board's terminal, a scripted host.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal, type NewTxn } from '../journal/journal';
import { loadBoard } from '../board/load';
import { silentLogger } from '../log';
import type { IsoMessage } from '../host/iso8583';
import type { HostRequester } from './authoriser';

export const BOARD = loadBoard(join(__dirname, '..', '..', 'board-configs', 'sim.json'));
/** A device key for tests (never a board's: boards keep theirs in a file, docs/keys.md). */
export const KEY = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
export const PAN = '4761739001010010';
export const TRACK2 = '4761739001010010=30121010000000000000';

export async function openJournal(dir?: string): Promise<{ journal: Journal; dir: string; cleanup(): Promise<void> }> {
  const d = dir ?? mkdtempSync(join(tmpdir(), 'posfw-journal-'));
  const journal = await Journal.open(d, KEY, silentLogger);
  const cleanup = async () => {
    await journal.close().catch(() => undefined);
    rmSync(d, { recursive: true, force: true });
    rmSync(`${d}-keys`, { recursive: true, force: true });
  };
  return { journal, dir: d, cleanup };
}

let stanSeq = 0;
export function newSale(over: Partial<NewTxn> = {}): NewTxn {
  stanSeq++;
  return {
    reference: `REF-${stanSeq}`,
    origin: 'ecr',
    type: 'sale',
    stan: String(stanSeq).padStart(6, '0'),
    batch: '000001',
    amount: 1000,
    currency: 'CNY',
    currencyNumeric: '156',
    operator: '01',
    card: { pan: PAN, expiry: '3012' },
    ...over,
  };
}

/** A host that answers from a script; records what it was sent and what the journal said at that moment. */
export class ScriptedHost implements HostRequester {
  sent: IsoMessage[] = [];
  constructor(private readonly answer: (msg: IsoMessage, n: number) => Promise<IsoMessage> | IsoMessage) {}
  async request(msg: IsoMessage): Promise<IsoMessage> {
    this.sent.push(msg);
    return this.answer(msg, this.sent.length);
  }
}

/** A reply echoing the request's matching fields with this response code. */
export function reply(msg: IsoMessage, rc: string, extra: Record<number, string> = {}): IsoMessage {
  const mti = msg.mti.slice(0, 2) + String(Number(msg.mti[2]) + 1) + '0';
  const f: Record<number, string | Buffer> = { 11: msg.fields[11], 39: rc, 41: msg.fields[41] };
  for (const k of [4, 62]) if (msg.fields[k] !== undefined) f[k] = msg.fields[k];
  Object.assign(f, extra);
  if (rc === '00' && !extra[37]) f[37] = '000000000042';
  if (rc === '00' && !extra[38]) f[38] = 'AB1234';
  return { mti, fields: f };
}

/** Every byte under `dir` (LevelDB files), to look for card data in the clear. */
export function allBytes(dir: string): Buffer {
  const parts: Buffer[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else parts.push(readFileSync(p));
    }
  };
  walk(dir);
  return Buffer.concat(parts);
}

/** Every key and value in a LevelDB folder, decoded (LevelDB compresses blocks, so raw file bytes alone can hide text). */
export async function allEntries(dir: string): Promise<string> {
  const { Level } = await import('level');
  const db = new Level<string, string>(dir, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  await db.open();
  const out: string[] = [];
  for await (const [k, v] of db.iterator()) out.push(k, v);
  await db.close();
  return out.join('\n');
}
