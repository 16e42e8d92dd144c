// Issue 14 end to end: after a day of card transactions and a settlement nothing in the data folder (raw LevelDB files
// included) gives a PAN back with the keys on the device; a PIN pad loaded from a published TR-31 block makes PIN
// blocks the acquirer verifies.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { auditDataFolder } from '../../firmware/journal/audit/audit';
import { readDeviceKey } from '../../firmware/keys/device-key';
import { runLoadPinPad } from '../../cli/commands/keys-load-pinpad';
import { GOOD_PAN, GOOD_TRACK2, Harness, waitFor } from './harness';

const DECLINED_PAN = '4000000000000002';
const DECLINED_TRACK2 = `;${DECLINED_PAN}=30121010000000000000?`;
const SIM_BOARD = resolve(__dirname, '../../board-configs/sim.json');
// ASC X9 TR-31:2018 Annex A.7.3.2: a TDES BDK (B0, mode X, KS 00604B120F9292800000) under a TDES KBPK.
const A732 = { kbpk: '1D22BF32387C600AD97F9B97A51311AC', bdk: 'E8BC63E5479455E26577F715D587FE68', block: 'B0104B0TX12S0100KS1800604B120F9292800000BB68BE8680A400D9191AD4ECE45B6E6C0D21C4738A52190E248719E24B433627' };

describe('card data at rest after a day and a settlement', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ host: { responseTimeoutMs: 800 }, policy: { reversalRetryMs: 100, reversalRetryMaxMs: 400 } });
  });
  afterAll(async () => {
    await h.stop().catch(() => undefined);
    h.cleanup();
  });

  test('every card transaction type, then a settlement: the audit and a brute force over every masked PAN find nothing', async () => {
    const status = async (p: Promise<{ body: { status: string } }>) => (await p).body.status;
    expect(await status(h.cardTxn({ reference: 'KR-S1', type: 'sale', amount: 8800 }))).toBe('approved');
    expect(await status(h.cardTxn({ reference: 'KR-S2', type: 'sale', amount: 5000 }))).toBe('approved');
    expect(await status(h.referencedTxn({ reference: 'KR-V', type: 'void', original: { reference: 'KR-S2' } }))).toBe('approved');
    expect(await status(h.referencedTxn({ reference: 'KR-R', type: 'refund', amount: 1000, original: { reference: 'KR-S1' } }))).toBe('approved');
    expect(await status(h.cardTxn({ reference: 'KR-P', type: 'preauth', amount: 20000 }))).toBe('approved');
    expect(await status(h.referencedTxn({ reference: 'KR-C', type: 'completion', amount: 15000, original: { reference: 'KR-P' } }))).toBe('approved');
    expect(await status(h.cardTxn({ reference: 'KR-B', type: 'balance' }))).toBe('approved');
    expect(await status(h.cardTxn({ reference: 'KR-D51', type: 'sale', amount: 2051 }))).toBe('declined');
    expect(await status(h.cardTxn({ reference: 'KR-D05', type: 'sale', amount: 3000 }, { track2: DECLINED_TRACK2 }))).toBe('declined');
    await h.faults({ seed: 3, dropResponse: 1, onlyMti: ['0200'] });
    await h.cardTxn({ reference: 'KR-U', type: 'sale', amount: 7700 });
    await h.waitReversed('KR-U');
    await h.clearFaults();

    const journal = h.terminal.money.journal;
    // Kept only while needed: declined, balance and reversed records hold no card data; approved money does, for now.
    for (const ref of ['KR-B', 'KR-D51', 'KR-D05', 'KR-U']) expect({ ref, sealed: (await journal.byReference(ref))?.sealed }).toEqual({ ref, sealed: undefined });
    for (const ref of ['KR-S1', 'KR-P', 'KR-C', 'KR-R']) expect((await journal.byReference(ref))?.sealed).toMatch(/^dk1:000001-/);

    // While the batch is open its card data opens under its key: the audit sees it (it is not blind).
    const deviceKey = await readDeviceKey(join(h.dataDir, 'device.key'));
    const open = await auditDataFolder(h.dataDir, { deviceKey, bruteForce: false });
    expect(open).toMatchObject({ clean: true, openBatch: '000001' });
    expect(open.sealed.openBatch).toBeGreaterThan(0);

    const s = await h.call('POST', '/v1/settlement', {});
    expect(s.body).toMatchObject({ status: 'settled', batch: '000001', nextBatch: '000002' });
    expect(journal.dataKeyIds()).toEqual([expect.stringMatching(/^000002-/)]);
    await h.stop(true);

    const report = await auditDataFolder(h.dataDir, { deviceKey, settled: true, knownPans: [GOOD_PAN, DECLINED_PAN] });
    expect(report.findings).toEqual([]);
    expect(report.clean).toBe(true);
    expect(report.levelDbFolders).toEqual(['acquirer', 'journal']);
    expect(report.openBatch).toBe('000002');
    expect(report.keys.dataKeys).toEqual([{ id: expect.stringMatching(/^000002-/), batch: '000002', open: true }]);
    expect(report.keys.keyFiles.sort()).toEqual([join('acquirer', 'card-vault.key'), 'device.key']);
    expect(report.sealed.found).toBeGreaterThanOrEqual(6); // what LevelDB's files still hold of the day's sealed card data...
    expect(report.sealed.openable).toBe(0); // ...and none of it opens with the keys on the device
    // Brute force: every Luhn-valid middle of every masked PAN, hashed and MACed under every key on the device,
    // against every hash-like value on disk (the ECR request hashes at least).
    expect(report.hashLike).toBeGreaterThan(0);
    expect(report.maskedPans).toEqual(['400000******0002', '476173******0010']);
    expect(report.bruteForce).toEqual([
      { maskedPan: '400000******0002', candidates: 100000 },
      { maskedPan: '476173******0010', candidates: 100000 },
    ]);
    // The simulated PIN pad's key and the host's PANs are wrapped, not in the clear.
    const pad = readFileSync(join(h.dataDir, 'sim-pinpad.json'), 'utf8');
    expect(JSON.parse(pad)).toMatchObject({ wrappedKey: expect.stringMatching(/^w1:/) });
    expect(pad.toUpperCase()).not.toContain('6AC292FAA1315B4D858AB3A3D7D5933A');
    expect(readdirSync(join(h.dataDir, 'journal-keys'))).toHaveLength(1);
  }, 180_000);
});

describe('PIN pad loaded from a TR-31 key block', () => {
  const loaded = (acquirerBdk?: Buffer) =>
    Harness.start({
      prepare: async (data) => void (await runLoadPinPad(A732.block, { board: SIM_BOARD, data, kbpk: A732.kbpk })),
      acquirerBdk,
    });

  test('the published A.7.3.2 block (a BDK) loads; a sale with PIN verifies at an acquirer holding that BDK', async () => {
    const h = await loaded(Buffer.from(A732.bdk, 'hex'));
    try {
      const r = await h.cardTxn({ reference: 'TR31-S', type: 'sale', amount: 4200 });
      expect(r.body).toMatchObject({ status: 'approved', responseCode: '00' });
      expect((await h.ledger('TR31-S'))[0]).toMatchObject({ kind: 'sale', status: 'approved', amount: 4200 });
      expect(h.pinBlocks).toHaveLength(1);
    } finally {
      await h.stop();
    }
  });

  test('the board config\'s key is gone: against the test BDK the same PIN is wrong (55)', async () => {
    const h = await loaded();
    try {
      const r = await h.cardTxn({ reference: 'TR31-X', type: 'sale', amount: 4200 }, { track2: GOOD_TRACK2 });
      expect(r.body).toMatchObject({ status: 'declined', responseCode: '55' });
      await waitFor('ledger entry', async () => (await h.ledger('TR31-X')).length === 1);
    } finally {
      await h.stop();
    }
  });
});
