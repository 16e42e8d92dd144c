// Power cuts during settlement, over real processes: SIGKILL before the 0500 leaves, during batch upload, and after the
// host closed the batch but before the terminal knew. Every time the restarted terminal closes the batch exactly once.
import { join } from 'node:path';
import { freePort, http, startPosfw, until } from '../helpers/procs';
import { killRig, simBoard } from './kill-rig';

const TRACK2 = ';4761739001010010=30121010000000000000?';

interface TotalsRow {
  batch: string;
  debitCount: number;
  debitAmount: number;
  settlement: null | { closed: boolean; adjusted: boolean; terminalTotals: { debitAmount: number } };
}

const rig = killRig();

describe('terminal killed during settlement (SIGKILL)', () => {
  let data: string;
  let apiPort: number;
  let boardFile: string;
  beforeEach(async () => {
    data = rig.tmp('posfw-kill-settle-');
    apiPort = await freePort();
    boardFile = simBoard(data, { settlementRetryMs: 200 });
    await http(`${rig.admin}/reset`, {});
  });

  async function terminal(env: NodeJS.ProcessEnv = {}) {
    const proc = startPosfw(['sim', '--headless', '--board', boardFile, '--data', join(data, 't'), '--port', String(apiPort), '--acquirer', `127.0.0.1:${rig.acquirerPort}`], env);
    await proc.waitFor(/^READY$/m);
    return { proc, api: `http://127.0.0.1:${apiPort}` };
  }

  async function sale(api: string, reference: string, amount: number) {
    const answer = http<{ status: string }>(`${api}/v1/transactions`, { reference, type: 'sale', amount });
    await until(async () => (await http<{ lines: string[] }>(`${api}/sim/lcd`)).body.lines.includes('SWIPE CARD'), 'card prompt');
    await http(`${api}/sim/card`, { track2: TRACK2 });
    await http(`${api}/sim/pin`, { pin: '1234' });
    expect((await answer).body.status).toBe('approved');
    await until(async () => !(await http<{ busy: boolean }>(`${api}/v1/health`)).body.busy, 'idle');
  }

  /** Restarts the terminal (no crash point) and waits until its resumer closed batch 000001. */
  async function restartUntilClosed() {
    const { proc, api } = await terminal();
    try {
      await until(async () => (await http<{ batch: string }>(`${api}/v1/health`)).body.batch === '000002', 'batch 000001 closed', 20000);
      const report = (await http<{ status: string; totals: { debitAmount: number } }>(`${api}/v1/reports/settlement?batch=1`)).body;
      const sale = await http<{ status: string }>(`${api}/v1/transactions/K-2`);
      return { report, messages: (await http<{ messages: Array<{ mti: string }> }>(`${rig.admin}/messages`)).body.messages.map((m) => m.mti), sale };
    } finally {
      await proc.kill();
    }
  }

  async function hostBatch1(): Promise<TotalsRow> {
    const rows = (await http<{ totals: TotalsRow[] }>(`${rig.admin}/totals`)).body.totals;
    return rows.find((r) => r.batch === '000001')!;
  }

  it('before the 0500 leaves: the restart resends the journaled totals as 0501 and closes the batch once', async () => {
    const { proc, api } = await terminal({ POSFW_CRASH_AT: 'settlement-before-send' });
    await sale(api, 'K-1', 2500);
    void http(`${api}/v1/settlement`, {}).catch(() => undefined);
    expect((await proc.exited).signal).toBe('SIGKILL');
    const after = await restartUntilClosed();
    expect(after.report).toMatchObject({ status: 'settled', totals: { debitAmount: 2500 } });
    expect(after.messages.filter((m) => m.startsWith('05'))).toEqual(['0501']);
    expect(await hostBatch1()).toMatchObject({ debitAmount: 2500, settlement: { closed: true, adjusted: false, terminalTotals: { debitAmount: 2500 } } });
  });

  it('during batch upload: the restart settles the same totals and the host closes the batch once', async () => {
    await http(`${rig.admin}/faults`, { seed: 4, onlyMti: ['0500'], forceResponseCode: { code: '95', probability: 1 } });
    const { proc, api } = await terminal({ POSFW_CRASH_AT: 'settlement-during-upload' });
    await sale(api, 'K-1', 1800);
    await sale(api, 'K-3', 700);
    void http(`${api}/v1/settlement`, {}).catch(() => undefined);
    expect((await proc.exited).signal).toBe('SIGKILL');
    await http(`${rig.admin}/faults`, undefined, 'DELETE');
    const after = await restartUntilClosed();
    expect(after.report).toMatchObject({ status: 'settled', totals: { debitCount: 2, debitAmount: 2500 } });
    expect(after.messages.filter((m) => m.startsWith('05') || m.startsWith('03'))).toEqual(['0500', '0320', '0501']);
    expect(await hostBatch1()).toMatchObject({ debitCount: 2, debitAmount: 2500, settlement: { closed: true, adjusted: false } });
  });

  it('after the host closed the batch, before the terminal knew: the repeat is answered 00 and nothing is settled twice', async () => {
    await http(`${rig.admin}/faults`, { seed: 5, onlyMti: ['0500'], delayResponse: 1, delayMs: 8000 });
    const { proc, api } = await terminal();
    await sale(api, 'K-1', 3300);
    void http(`${api}/v1/settlement`, {}).catch(() => undefined);
    await until(async () => (await hostBatch1())?.settlement?.closed === true, 'the host to close the batch');
    await proc.kill('SIGKILL');
    await http(`${rig.admin}/faults`, undefined, 'DELETE');
    const after = await restartUntilClosed();
    expect(after.report).toMatchObject({ status: 'settled', totals: { debitAmount: 3300 } });
    expect(after.messages.filter((m) => m.startsWith('05'))).toEqual(['0500', '0501']);
    expect(await hostBatch1()).toMatchObject({ debitAmount: 3300, settlement: { closed: true } });
  });
});
