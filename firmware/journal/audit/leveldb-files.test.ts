// LevelDB's files read without LevelDB, checked against LevelDB itself: compressed tables, logs, tombstones.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { logRecords, tableEntries, writeBatchEntries, type RawEntry } from './leveldb-files';
import { snappyUncompress, SnappyError } from './snappy';

describe('snappy', () => {
  it('decodes the format description example (literal, 1-byte-offset copy, literal)', () => {
    const text = 'Wikipedia is a free, web-based, collaborative, multilingual encyclopedia project.';
    const packed = Buffer.concat([Buffer.from([0x51, 0xf0, 0x42]), Buffer.from(text.slice(0, 67)), Buffer.from([0x09, 0x3f, 0x1c]), Buffer.from('project.')]);
    expect(snappyUncompress(packed).toString()).toBe(text);
  });

  it('refuses streams that do not add up', () => {
    expect(() => snappyUncompress(Buffer.from([0x05, 0x08, 0x61]))).toThrow(SnappyError);
    expect(() => snappyUncompress(Buffer.from([0x04, 0x05, 0x10]))).toThrow(/copy outside the output/);
  });
});

describe('LevelDB files', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'posfw-ldbfiles-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Newest version of every key found in the files, as LevelDB would answer. */
  const view = (entries: RawEntry[]) => {
    const newest = new Map<string, RawEntry>();
    for (const e of entries) {
      const k = e.key.toString('latin1');
      if ((newest.get(k)?.seq ?? -1) < e.seq) newest.set(k, e);
    }
    return new Map([...newest].filter(([, e]) => !e.deleted).map(([k, e]) => [k, e.value.toString('latin1')]));
  };

  it('reads what LevelDB wrote: Snappy-compressed tables after compaction, then the log, newest version winning', async () => {
    const db = new Level<string, string>(dir);
    await db.open();
    const secret = 'SECRET-VALUE-0123456789';
    for (let i = 0; i < 3000; i++) await db.put(`k${String(i).padStart(5, '0')}`, `${secret} repeated text repeated text ${i}`);
    // classic-level's compactRange (not in abstract-level's types): forces the values into Snappy-compressed tables.
    await (db as unknown as { compactRange(a: string, b: string): Promise<void> }).compactRange('k', 'l');
    for (let i = 0; i < 10; i++) await db.put(`k${String(i).padStart(5, '0')}`, `new ${i}`);
    await db.del('k00010');
    const expected = new Map<string, string>();
    for await (const [k, v] of db.iterator()) expected.set(k, v);
    await db.close();

    const files = readdirSync(dir);
    const tables = files.filter((f) => f.endsWith('.ldb'));
    expect(tables.length).toBeGreaterThan(0);
    const raw = tables.map((f) => readFileSync(join(dir, f)));
    expect(raw.some((b) => !b.includes(`${secret} repeated text repeated text 2999`))).toBe(true); // compressed: not in the raw bytes
    const entries: RawEntry[] = [];
    for (const b of raw) entries.push(...tableEntries(b));
    for (const f of files.filter((n) => n.endsWith('.log'))) for (const r of logRecords(readFileSync(join(dir, f)))) entries.push(...writeBatchEntries(r));
    expect(view(entries)).toEqual(expected);
  });

  it('reassembles a record split across 32 KiB blocks', async () => {
    const db = new Level<string, string>(dir);
    await db.open();
    const big = 'X'.repeat(70000) + 'END-OF-BIG';
    await db.put('big', big);
    await db.close();
    const log = readdirSync(dir).find((n) => n.endsWith('.log'))!;
    const file = readFileSync(join(dir, log));
    const records = logRecords(file);
    const found = records.flatMap(writeBatchEntries).find((e) => e.key.toString() === 'big');
    expect(found?.value.toString()).toBe(big);
    expect(file.includes('END-OF-BIG')).toBe(true);
  });
});
