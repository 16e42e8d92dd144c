// Power-cut tests over real processes: the terminal is SIGKILLed at each dangerous point; the host ledger must charge the
// reference at most once, and exactly once where the ECR was (or is, after the restart) told approved.
import { freePort, http, startPosfw, until, type Proc } from '../helpers/procs';
import { killRig } from './kill-rig';

const TRACK2 = ';4761739001010010=30121010000000000000?';

interface LedgerEntry {
  reference: string;
  mti: string;
  status: string;
  responseCode: string;
  amount: number;
}

const rig = killRig();

async function startTerminal(dataDir: string, apiPort: number, env: NodeJS.ProcessEnv = {}): Promise<{ proc: Proc; api: string }> {
  const proc = startPosfw(['sim', '--headless', '--data', dataDir, '--port', String(apiPort), '--acquirer', `127.0.0.1:${rig.acquirerPort}`], env);
  await proc.waitFor(/^READY$/m);
  return { proc, api: `http://127.0.0.1:${apiPort}` };
}

/** Starts a sale through the ECR API and drives the card and PIN; the POST itself is left hanging. */
async function saleUpToPin(api: string, reference: string, amount: number): Promise<void> {
  void http(`${api}/v1/transactions`, { reference, type: 'sale', amount }).catch(() => undefined);
  await until(async () => (await http<{ lines: string[] }>(`${api}/sim/lcd`)).body.lines.includes('SWIPE CARD'), 'card prompt');
  await http(`${api}/sim/card`, { track2: TRACK2 });
  const pin = await http(`${api}/sim/pin`, { pin: '1234' });
  expect(pin.status).toBe(200);
}

async function ledgerFor(reference: string): Promise<LedgerEntry[]> {
  return (await http<{ entries: LedgerEntry[] }>(`${rig.admin}/ledger?reference=${encodeURIComponent(reference)}`)).body.entries;
}

/** Approved financial entries that still charge the card (not reversed or voided). */
const charges = (entries: LedgerEntry[]) => entries.filter((e) => e.mti === '0200' && e.responseCode === '00' && e.status === 'approved');

async function restartAndSettle(dataDir: string, apiPort: number, reference: string) {
  const { proc, api } = await startTerminal(dataDir, apiPort);
  try {
    await until(async () => (await http<{ safPending: number }>(`${api}/v1/health`)).body.safPending === 0, 'SAF queue drained');
    const repeat = await http<{ status: string; reversal: string | null; recovered?: boolean }>(`${api}/v1/transactions`, { reference, type: 'sale', amount: 1000 });
    const receipts = (await http<{ receipts: Array<{ text: string }> }>(`${api}/sim/receipts`)).body.receipts;
    return { txn: repeat.body, status: repeat.status, receipts };
  } finally {
    await proc.kill();
  }
}

describe('terminal killed mid-transaction (SIGKILL)', () => {
  let dataDir: string;
  let apiPort: number;
  beforeEach(async () => {
    dataDir = rig.tmp('posfw-kill-');
    apiPort = await freePort();
    // Each test boots a fresh terminal whose STANs start again at 000001: the host must not see them as repeats.
    await http(`${rig.admin}/reset`, {});
  });

  it('after the journal write, before the send: nothing charged, reversal acknowledged after restart', async () => {
    const { proc, api } = await startTerminal(dataDir, apiPort, { POSFW_CRASH_AT: 'after-journal' });
    await saleUpToPin(api, 'KILL-1', 1000);
    expect((await proc.exited).signal).toBe('SIGKILL');
    expect(charges(await ledgerFor('KILL-1'))).toHaveLength(0);
    const after = await restartAndSettle(dataDir, apiPort, 'KILL-1');
    expect(after.txn).toMatchObject({ status: 'failed', reversal: 'done' });
    expect(charges(await ledgerFor('KILL-1'))).toHaveLength(0);
  });

  it('after the send, before the reply: the host posted it, the restarted terminal reverses it', async () => {
    await http(`${rig.admin}/faults`, { delayResponse: 1, delayMs: 4000, seed: 1 });
    const { proc, api } = await startTerminal(dataDir, apiPort);
    await saleUpToPin(api, 'KILL-2', 1000);
    await until(async () => (await ledgerFor('KILL-2')).length > 0, 'the host to post the sale');
    await proc.kill('SIGKILL');
    await http(`${rig.admin}/faults`, undefined, 'DELETE');
    expect(charges(await ledgerFor('KILL-2'))).toHaveLength(1);
    const after = await restartAndSettle(dataDir, apiPort, 'KILL-2');
    expect(after.txn).toMatchObject({ status: 'failed', reversal: 'done' });
    const entries = await ledgerFor('KILL-2');
    expect(charges(entries)).toHaveLength(0);
    expect(entries.some((e) => e.status === 'reversed')).toBe(true);
  });

  it('reversal marked "may have been sent", killed before it leaves: the restarted terminal repeats it as 0401', async () => {
    await http(`${rig.admin}/faults`, { onlyMti: ['0200'], dropResponse: 1, seed: 3 });
    const { proc, api } = await startTerminal(dataDir, apiPort, { POSFW_CRASH_AT: 'saf-before-send' });
    await saleUpToPin(api, 'KILL-4', 1000);
    // The sale is posted, its answer dropped; at the timeout the SAF entry is marked sent and the process dies.
    expect((await proc.exited).signal).toBe('SIGKILL');
    await http(`${rig.admin}/faults`, undefined, 'DELETE');
    expect(charges(await ledgerFor('KILL-4'))).toHaveLength(1);
    const after = await restartAndSettle(dataDir, apiPort, 'KILL-4');
    expect(after.txn).toMatchObject({ status: 'failed', reversal: 'done' });
    const received = (await http<{ messages: Array<{ mti: string }> }>(`${rig.admin}/messages?reference=KILL-4`)).body.messages.map((m) => m.mti);
    expect(received).toEqual(['0200', '0401']);
    expect(charges(await ledgerFor('KILL-4'))).toHaveLength(0);
  });

  it('after the reply, before the print: approved exactly once, receipt printed as recovered after restart', async () => {
    const { proc, api } = await startTerminal(dataDir, apiPort, { POSFW_CRASH_AT: 'before-print' });
    await saleUpToPin(api, 'KILL-3', 1000);
    expect((await proc.exited).signal).toBe('SIGKILL');
    expect(charges(await ledgerFor('KILL-3'))).toHaveLength(1);
    const after = await restartAndSettle(dataDir, apiPort, 'KILL-3');
    // The ECR repeats its request with the same reference after the restart: same transaction, approved, no second charge.
    expect(after.status).toBe(200);
    expect(after.txn).toMatchObject({ status: 'approved', reversal: null, recovered: true });
    expect(after.receipts.map((r) => r.text).join('\n')).toContain('RECOVERED AFTER POWER LOSS');
    expect(charges(await ledgerFor('KILL-3'))).toHaveLength(1);
  });
});
