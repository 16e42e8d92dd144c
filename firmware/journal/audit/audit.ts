// Audit of a data folder at rest: card data in the clear, sealed card data the device's keys still open, tags that give PANs back.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { DataKeyStore, type DataKey } from '../../keys/data-keys';
import { openSealed } from '../seal';
import { bruteForceMaskedPan, type BruteForceResult, type FoundKey } from './brute-force';
import { hashLikeIn, masked, maskedPansIn, panCandidatesIn, trackDataIn } from './card-patterns';
import { logRecords, tableEntries, writeBatchEntries, type RawEntry } from './leveldb-files';

export interface AuditOptions {
  /** The device key (what `posfw run` loads): it unwraps the data keys, and is tried as a tag key. */
  deviceKey?: Buffer;
  /**
   * Sub-folders holding the host's books (the embedded acquirer simulator shares the simulator's data folder):
   * scanned for card data in the clear like the rest; their keys are the host's (still tried as tag keys).
   */
  hostFolders?: string[];
  /** PANs that must appear nowhere, in any encoding (tests know the cards they used). */
  knownPans?: string[];
  /** After a settlement: no sealed value may open at all, not even under the open batch's key. */
  settled?: boolean;
  /** Try every completion of every masked PAN against every hash-like value (default true). */
  bruteForce?: boolean;
}

export type FindingKind =
  | 'clear-pan' // a PAN-like digit run (Luhn, card IIN)
  | 'track-data' // track 2 equivalent
  | 'known-pan' // one of `knownPans`, in some encoding
  | 'decryptable' // sealed card data that a key on the device still opens
  | 'recoverable-tag' // a hash or MAC on disk that gives a masked PAN's missing digits back
  | 'hash-beside-masked-pan' // a card tag / PAN hash field, whether or not a key on the device opens it
  | 'closed-batch-key' // a data key of a batch that is not the open one
  | 'unreadable'; // a key file or LevelDB file that does not decode (what it hides was not checked)

/** One problem; `detail` never holds a PAN (masked at most). */
export interface AuditFinding {
  kind: FindingKind;
  file: string;
  detail: string;
}

export interface AuditReport {
  dataDir: string;
  files: number;
  levelDbFolders: string[];
  hostFolders: string[];
  /** The journal's open batch, read from its files (undefined when no journal was found). */
  openBatch?: string;
  keys: { device: boolean; dataKeys: Array<{ id: string; batch: string; open: boolean }>; keyFiles: string[] };
  /** Sealed card data found (every copy LevelDB keeps counts once), how many open, how many of those under the open batch's key. */
  sealed: { found: number; openable: number; openBatch: number };
  maskedPans: string[];
  hashLike: number;
  bruteForce: Array<{ maskedPan: string } & Omit<BruteForceResult, 'pan' | 'token'>>;
  findings: AuditFinding[];
  clean: boolean;
}

interface View {
  file: string;
  text: string;
}

const SEALED_ANYWHERE = /dk1:(\d{6}-[0-9a-f]{8}):(\d{10}):([A-Za-z0-9+/]+={0,2})/g;
const DATA_KEY_FILE = /^\d{6}-[0-9a-f]{8}\.key$/;
const TAG_FIELD = /"(cardTag|panHash)":"([^"]+)"/g;

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** What a LevelDB file holds, decoded: log records (write batches) and table blocks; MANIFEST records as they are. */
function decodeLevelDb(name: string, raw: Buffer): RawEntry[] | Buffer[] {
  if (/\.(ldb|sst)$/.test(name)) return tableEntries(raw);
  if (name.endsWith('.log')) return logRecords(raw).flatMap(writeBatchEntries);
  if (name.startsWith('MANIFEST-')) return logRecords(raw);
  return [];
}

/** The newest value of `key` among a LevelDB folder's entries. */
function newest(entries: RawEntry[], key: string): RawEntry | undefined {
  let best: RawEntry | undefined;
  for (const e of entries) if (e.key.toString('latin1') === key && (!best || e.seq > best.seq)) best = e;
  return best && !best.deleted ? best : undefined;
}

/**
 * Scans every file of `dataDir` (raw bytes, and LevelDB logs and tables decoded) for card data in the clear, sealed
 * card data the keys on the device still open, card tags, data keys of closed batches, and tags that a brute force
 * over the masked PANs' missing digits turns back into PANs under any key found. Reads only: safe while the
 * terminal runs. Findings never hold a PAN.
 */
export async function auditDataFolder(dataDir: string, opts: AuditOptions = {}): Promise<AuditReport> {
  const hostFolders = opts.hostFolders ?? ['acquirer'];
  const findings = new Map<string, AuditFinding>();
  const find = (kind: FindingKind, file: string, detail: string) => findings.set(`${kind}|${file}|${detail}`, { kind, file, detail });
  const views: View[] = [];
  const raws = new Map<string, Buffer>();
  const levelDb = new Map<string, RawEntry[]>();
  const keyFiles: FoundKey[] = [];
  const dataKeyFolders = new Set<string>();
  const files = await filesUnder(dataDir);
  for (const path of files) {
    const file = relative(dataDir, path);
    const raw = await readFile(path);
    raws.set(file, raw);
    views.push({ file, text: raw.toString('latin1') });
    const folder = dirname(file);
    const name = file.slice(folder === '.' ? 0 : folder.length + 1);
    if (DATA_KEY_FILE.test(name)) dataKeyFolders.add(dirname(path));
    else if (/^[0-9a-fA-F]{64}$/.test(raw.toString('latin1').trim())) keyFiles.push({ name: file, key: Buffer.from(raw.toString('latin1').trim(), 'hex') });
    if (!files.includes(join(dirname(path), 'CURRENT'))) continue;
    try {
      const decoded = decodeLevelDb(name, raw);
      const text = decoded.map((d) => (Buffer.isBuffer(d) ? d.toString('latin1') : `${d.key.toString('latin1')}\u0000${d.value.toString('latin1')}`)).join('\n');
      if (text) views.push({ file: `${file} (decoded)`, text });
      if (decoded.length && !Buffer.isBuffer(decoded[0])) levelDb.set(folder, [...(levelDb.get(folder) ?? []), ...(decoded as RawEntry[])]);
    } catch (err) {
      find('unreadable', file, `LevelDB file does not decode (${(err as Error).message}); its contents were scanned raw only`);
    }
  }

  // The journal's open batch, from its own files: the newest !meta!batch of the LevelDB folder whose data keys sit
  // beside it in `<journal>-keys` (batch 000001 until one was written).
  let openBatch: string | undefined;
  for (const dir of dataKeyFolders) {
    const journal = relative(dataDir, dir).replace(/-keys$/, '');
    const batch = newest(levelDb.get(journal) ?? [], '!meta!batch');
    openBatch = batch ? String((JSON.parse(batch.value.toString()) as { value: number }).value).padStart(6, '0') : '000001';
  }
  // Keys kept inside a database (as the acquirer simulator once kept its PAN hash key) count as keys on the device.
  for (const [folder, entries] of levelDb) {
    for (const e of entries) {
      const value = e.deleted ? '' : e.value.toString('latin1').replace(/^\{"value":|\}$/g, '').replace(/^"|"$/g, '');
      if (/key/i.test(e.key.toString('latin1')) && /^[0-9a-fA-F]{64}$/.test(value)) keyFiles.push({ name: `${folder}: ${e.key.toString('latin1')}`, key: Buffer.from(value, 'hex') });
    }
  }
  const dataKeys: DataKey[] = [];
  for (const dir of dataKeyFolders) {
    if (!opts.deviceKey) {
      find('unreadable', relative(dataDir, dir), 'data keys present but no device key given: sealed card data was not tried');
      continue;
    }
    try {
      dataKeys.push(...(await DataKeyStore.open(dir, opts.deviceKey, { readOnly: true })).all());
    } catch (err) {
      find('unreadable', relative(dataDir, dir), (err as Error).message);
    }
  }
  for (const k of dataKeys) if (k.batch !== openBatch) find('closed-batch-key', k.id, `data key of batch ${k.batch} is still on the device (the open batch is ${openBatch ?? 'unknown'})`);

  // Card data in the clear, known PANs in any encoding, card tag fields, and sealed values that still open.
  const sealedSeen = new Set<string>();
  const sealed = { found: 0, openable: 0, openBatch: 0 };
  const hashLike = new Map<string, string>();
  const maskedPans = new Set<string>();
  for (const v of views) {
    for (const pan of panCandidatesIn(v.text)) find('clear-pan', v.file, `PAN ${masked(pan)} in the clear`);
    for (const t of trackDataIn(v.text)) find('track-data', v.file, `track data of ${masked(t.slice(0, t.search(/[=D]/)))}`);
    for (const m of v.text.matchAll(TAG_FIELD)) find('hash-beside-masked-pan', v.file, `"${m[1]}" field: a hash of the PAN kept beside its masked form`);
    for (const h of hashLikeIn(v.text)) if (!hashLike.has(h)) hashLike.set(h, v.file);
    for (const m of maskedPansIn(v.text)) maskedPans.add(m);
    for (const m of v.text.matchAll(SEALED_ANYWHERE)) {
      if (sealedSeen.has(m[0])) continue;
      sealedSeen.add(m[0]);
      sealed.found++;
      const key = dataKeys.find((k) => k.id === m[1]);
      if (!key) continue;
      let pan: string;
      try {
        pan = openSealed(key.key, m[1], m[2], m[3]).pan;
      } catch {
        continue;
      }
      sealed.openable++;
      if (!opts.settled && key.batch === openBatch) sealed.openBatch++;
      else find('decryptable', v.file, `card data of record ${m[2]} (${masked(pan)}) opens under data key ${m[1]} of batch ${key.batch}`);
    }
  }
  for (const pan of opts.knownPans ?? []) {
    const forms = [Buffer.from(pan), Buffer.from(pan.toLowerCase(), 'utf16le'), Buffer.from(Buffer.from(pan).toString('hex')), Buffer.from(Buffer.from(pan).toString('base64').replace(/=+$/, ''))];
    if (pan.length % 2 === 0) forms.push(Buffer.from(pan, 'hex'));
    for (const [file, raw] of raws) if (forms.some((f) => raw.includes(f))) find('known-pan', file, `${masked(pan)} (ASCII, UTF-16, hex, base64 or BCD)`);
    for (const v of views) if (v.file.endsWith('(decoded)') && v.text.includes(pan)) find('known-pan', v.file, masked(pan));
  }

  // What an attacker with every key on the device does with each masked PAN.
  const keys: FoundKey[] = [...(opts.deviceKey ? [{ name: 'the device key', key: opts.deviceKey }] : []), ...dataKeys.map((k) => ({ name: `data key ${k.id}`, key: k.key })), ...keyFiles.map((k) => ({ name: k.name, key: k.key }))];
  const bruteForce: AuditReport['bruteForce'] = [];
  if (opts.bruteForce !== false) {
    const tokens = new Set(hashLike.keys());
    for (const m of [...maskedPans].sort()) {
      const { pan, token, ...r } = bruteForceMaskedPan(m, tokens, keys);
      bruteForce.push({ maskedPan: m, ...r });
      if (pan) find('recoverable-tag', hashLike.get(token!) ?? '?', `${m}: a value on disk is ${r.how} of the PAN, which gives the PAN back`);
    }
  }

  const out = [...findings.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.file.localeCompare(b.file));
  return {
    dataDir,
    files: files.length,
    levelDbFolders: [...new Set([...levelDb.keys()])].sort(),
    hostFolders: hostFolders.filter((h) => files.some((f) => relative(dataDir, f).split(sep)[0] === h)),
    openBatch,
    keys: { device: !!opts.deviceKey, dataKeys: dataKeys.map((k) => ({ id: k.id, batch: k.batch, open: k.batch === openBatch })), keyFiles: keyFiles.map((k) => k.name) },
    sealed,
    maskedPans: [...maskedPans].sort(),
    hashLike: hashLike.size,
    bruteForce,
    findings: out,
    clean: out.length === 0,
  };
}
