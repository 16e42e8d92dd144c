// No card data in the clear: journal and acquirer LevelDB files, their values, the log and the ECR answers hold no PAN, track 2 or PIN block.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Level } from 'level';
import { GOOD_PAN, GOOD_TRACK2, Harness, waitFor } from './harness';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** Every key and value of a LevelDB (sublevels included), as text. */
async function dumpDb(dir: string): Promise<string> {
  const db = new Level<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open();
  const parts: string[] = [];
  try {
    for await (const [k, v] of db.iterator()) parts.push(k.toString('latin1'), v.toString('latin1'));
  } finally {
    await db.close();
  }
  return parts.join('\n');
}

describe('card data at rest and in logs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({ host: { responseTimeoutMs: 800 }, policy: { reversalRetryMs: 100 }, logLevel: 'trace' });
  });
  afterAll(async () => {
    await h.stop();
    h.cleanup();
  });

  test('after a sale, a balance, a void and a reversal nothing holds the PAN, track 2 or a PIN block', async () => {
    const answers: unknown[] = [];
    answers.push((await h.cardTxn({ reference: 'CD-1', type: 'sale', amount: 8100 })).body);
    answers.push((await h.cardTxn({ reference: 'CD-BAL', type: 'balance' })).body);
    answers.push((await h.referencedTxn({ reference: 'CD-V', type: 'void', original: { reference: 'CD-1' } })).body);
    await h.faults({ seed: 2, dropResponse: 1, onlyMti: ['0200'] });
    answers.push((await h.cardTxn({ reference: 'CD-2', type: 'sale', amount: 8200 })).body);
    await waitFor('reversal done', async () => (await h.txn('CD-2')).body.reversal === 'done', 8000);
    await h.clearFaults();
    answers.push((await h.txn('CD-1')).body);
    expect((answers[0] as { status: string }).status).toBe('approved');
    expect((answers[4] as { status: string }).status).toBe('voided');
    expect(h.pinBlocks).toHaveLength(3);
    expect(h.hostRequests).toEqual(['0200 CD-1', '0200 CD-BAL', '0200 CD-V', '0200 CD-2', '0400 CD-2']);
    expect((await h.ledger()).map((e) => [e.reference, e.kind, e.status])).toEqual([
      ['CD-1', 'sale', 'voided'],
      ['CD-BAL', 'balance', 'approved'],
      ['CD-V', 'void', 'approved'],
      ['CD-2', 'sale', 'reversed'],
    ]);

    const track2 = GOOD_TRACK2.slice(1, -1); // as sent in field 35
    const secrets = [GOOD_PAN, track2, ...h.pinBlocks, ...h.pinBlocks.map((b) => b.toUpperCase())];
    const slips = (await h.call('GET', '/sim/receipts')).body.receipts as Array<{ text: string; bytes: string }>;
    const ecrText = JSON.stringify(answers) + slips.map((s) => s.text + Buffer.from(s.bytes, 'base64').toString('latin1')).join('\n');

    await h.stop(true);
    const logText = h.logLines.join('');
    expect(logText).toContain('"msg":"request answered"'); // the capture works and holds the host's log
    expect(logText).toContain('476173******0010');

    const files = filesUnder(h.dataDir);
    expect(files.some((f) => f.includes(join('data', 'journal')))).toBe(true);
    expect(files.some((f) => f.includes(join('data', 'acquirer')))).toBe(true);
    const raw = files.map((f) => readFileSync(f));
    const stored = (await dumpDb(join(h.dataDir, 'journal'))) + (await dumpDb(join(h.dataDir, 'acquirer')));
    expect(stored).toContain('CD-1'); // the dump reads the records

    for (const secret of secrets) {
      expect({ secret, inLog: logText.includes(secret) }).toEqual({ secret, inLog: false });
      expect({ secret, inDb: stored.includes(secret) }).toEqual({ secret, inDb: false });
      expect({ secret, inEcr: ecrText.includes(secret) }).toEqual({ secret, inEcr: false });
      const hits = files.filter((_f, i) => raw[i].includes(secret));
      expect({ secret, hits }).toEqual({ secret, hits: [] });
    }
    for (const block of h.pinBlocks) {
      const bytes = Buffer.from(block, 'hex');
      const hits = files.filter((_f, i) => raw[i].includes(bytes));
      expect({ block, hits }).toEqual({ block, hits: [] });
    }
  });
});
