// The audit finds what it must: clear PANs, track data, known PANs in any encoding, sealed data that still opens,
// leftover data keys and tags that a brute force turns back into PANs; and a settled journal is clean.
import { createHash, createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { Journal } from '../journal';
import { silentLogger } from '../../log';
import { KEY, newSale, PAN } from '../../money/money.fixtures';
import { DataKeyStore } from '../../keys/data-keys';
import { auditDataFolder } from './audit';

const TOTALS = { debitCount: 1, debitAmount: 1000, creditCount: 0, creditAmount: 0 };

describe('audit of a data folder', () => {
  let data: string;
  let journal: Journal;
  beforeEach(async () => {
    data = mkdtempSync(join(tmpdir(), 'posfw-audit-'));
    journal = await Journal.open(join(data, 'journal'), KEY, silentLogger);
  });
  afterEach(async () => {
    await journal.close().catch(() => undefined);
    rmSync(data, { recursive: true, force: true });
  });

  async function dayOfSales(n = 3): Promise<void> {
    for (let i = 0; i < n; i++) {
      const r = await journal.create(newSale({ requestHash: createHash('sha256').update(`req ${i}`).digest('hex') }));
      await journal.update(r.id, { state: 'sending' });
      await journal.update(r.id, { state: 'approved', wasApproved: true });
    }
  }

  it('while the batch is open its card data opens under its key (expected); with --settled that is a finding', async () => {
    await dayOfSales();
    await journal.close();
    const open = await auditDataFolder(data, { deviceKey: KEY });
    expect(open).toMatchObject({ openBatch: '000001', clean: true, sealed: { found: 3, openable: 3, openBatch: 3 } });
    expect(open.keys.dataKeys).toEqual([{ id: expect.stringMatching(/^000001-/), batch: '000001', open: true }]);
    const strict = await auditDataFolder(data, { deviceKey: KEY, settled: true, bruteForce: false });
    expect(strict.findings.filter((f) => f.kind === 'decryptable')).toHaveLength(3);
    expect(JSON.stringify(strict)).not.toContain(PAN);
  });

  it('after the batch closed nothing opens, no key of the closed batch is left, and the brute force finds nothing', async () => {
    await dayOfSales();
    const sales = await journal.list();
    await journal.closeBatch({ batch: '000001', totals: TOTALS, uploaded: false, responseCode: '00', settledAt: 'x', byType: {}, byScheme: {} }, sales);
    await journal.close();
    const r = await auditDataFolder(data, { deviceKey: KEY, settled: true, knownPans: [PAN] });
    expect(r.findings).toEqual([]);
    expect(r).toMatchObject({ clean: true, openBatch: '000002', sealed: { found: 3, openable: 0 }, maskedPans: ['476173******0010'] });
    expect(r.hashLike).toBeGreaterThanOrEqual(3); // the request hashes were tried
    expect(r.bruteForce).toEqual([{ maskedPan: '476173******0010', candidates: 100000 }]);
    expect(r.levelDbFolders).toEqual(['journal']);
  });

  it('finds a card tag beside the masked PAN and gives the PAN back with the key on the device (what issue 14 removed)', async () => {
    await dayOfSales(1);
    const [sale] = await journal.list();
    const tag = createHmac('sha256', KEY).update(`card:${PAN}`).digest('hex').slice(0, 32);
    await journal.update(sale.id, {}, { others: [{ ...sale, cardTag: tag }] });
    await journal.close();
    const r = await auditDataFolder(data, { deviceKey: KEY });
    expect(r.findings).toEqual(
      expect.arrayContaining([
        { kind: 'hash-beside-masked-pan', file: expect.stringContaining('journal'), detail: '"cardTag" field: a hash of the PAN kept beside its masked form' },
        { kind: 'recoverable-tag', file: expect.stringContaining('journal'), detail: '476173******0010: a value on disk is HMAC-SHA256(key, "card:"+PAN) under the device key of the PAN, which gives the PAN back' },
      ]),
    );
    expect(JSON.stringify(r)).not.toContain(PAN);
  });

  it('finds the old acquirer ledger: a PAN hash beside the masked PAN, its key inside the same database', async () => {
    await journal.close();
    const dir = join(data, 'acquirer');
    const db = new Level<string, unknown>(dir, { valueEncoding: 'json' });
    await db.open();
    const panKey = Buffer.alloc(32, 0x5c);
    const meta = db.sublevel<string, unknown>('meta', { valueEncoding: 'json' });
    const entries = db.sublevel<string, unknown>('entries', { valueEncoding: 'json' });
    await meta.put('panKey', panKey.toString('hex'));
    await entries.put('000000000001', { maskedPan: '400000******0036', panHash: createHmac('sha256', panKey).update('4000000000000036').digest('hex').slice(0, 32) });
    await db.close();
    const r = await auditDataFolder(data, { deviceKey: KEY });
    expect(r.findings.map((f) => [f.kind, f.detail])).toEqual(
      expect.arrayContaining([['recoverable-tag', '400000******0036: a value on disk is HMAC-SHA256(key, PAN) under acquirer: !meta!panKey of the PAN, which gives the PAN back']]),
    );
  });

  it('finds card data in the clear: PAN runs, track 2, a known PAN in BCD, and a closed batch key left behind', async () => {
    await journal.close();
    mkdirSync(join(data, 'logs'));
    writeFileSync(join(data, 'logs', 'a.log'), `{"msg":"oops","pan":"${PAN}"}\n`);
    writeFileSync(join(data, 'logs', 'b.bin'), Buffer.concat([Buffer.from([0, 1]), Buffer.from(';4000000000000002=30121010000000000000?'), Buffer.from('4000000000000044', 'hex')]));
    await (await DataKeyStore.open(join(data, 'journal-keys'), KEY)).create('000000', new Date());
    const r = await auditDataFolder(data, { deviceKey: KEY, knownPans: ['4000000000000044'], bruteForce: false });
    expect(r.findings.map((f) => [f.kind, f.file, f.detail])).toEqual(
      expect.arrayContaining([
        ['clear-pan', join('logs', 'a.log'), 'PAN 476173******0010 in the clear'],
        ['track-data', join('logs', 'b.bin'), 'track data of 400000******0002'],
        ['known-pan', join('logs', 'b.bin'), '400000******0044 (ASCII, UTF-16, hex, base64 or BCD)'],
        ['closed-batch-key', expect.stringMatching(/^000000-/), 'data key of batch 000000 is still on the device (the open batch is 000001)'],
        ['clear-pan', join('logs', 'b.bin'), 'PAN 400000******0002 in the clear'],
      ]),
    );
    expect(r.clean).toBe(false);
  });
});
