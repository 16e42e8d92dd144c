// Power cuts during QR payments, over real processes: the watch of a QR payment survives the restart; never two charges,
// never a payment kept that the ECR was told failed, never a payment lost that the customer made.
import { join } from 'node:path';
import { freePort, http, startPosfw, until, type Proc } from '../helpers/procs';
import { killRig, simBoard } from './kill-rig';

interface Entry {
  reference: string;
  kind: string;
  status: string;
}

const rig = killRig();

describe('terminal killed during a QR payment (SIGKILL)', () => {
  let data: string;
  let apiPort: number;
  beforeEach(async () => {
    data = rig.tmp('posfw-kill-qr-');
    apiPort = await freePort();
    await http(`${rig.admin}/reset`, {});
  });

  /** Starts the terminal; confirmSec is how long a customer may confirm a B扫C payment (the deadline is journaled with it). */
  async function terminal(env: NodeJS.ProcessEnv = {}, confirmSec = 60) {
    const boardFile = simBoard(data, { reversalRetryMs: 200, qr: { confirmSec } });
    const proc = startPosfw(['sim', '--headless', '--board', boardFile, '--data', join(data, 't'), '--port', String(apiPort), '--acquirer', `127.0.0.1:${rig.acquirerPort}`], env);
    await proc.waitFor(/^READY$/m);
    return { proc, api: `http://127.0.0.1:${apiPort}` };
  }
  const api = `http://127.0.0.1:`;
  const ledger = async (ref: string) => (await http<{ entries: Entry[] }>(`${rig.admin}/ledger?reference=${ref}`)).body.entries;
  const view = (port: number, ref: string) => http<{ status: string; reversal: string | null; qr?: { payload?: string } }>(`${api}${port}/v1/transactions/${ref}`).then((r) => r.body);

  /** On a timeout: what the terminal and the acquirer say about the reference, and the restarted terminal's log. */
  const explain = (proc: Proc, ref: string) => async (err: Error) => {
    const state = JSON.stringify({ terminal: await view(apiPort, ref).catch(() => null), acquirer: await ledger(ref).catch(() => null) });
    throw new Error(`${err.message}\n${state}\n${proc.output().slice(-4000)}`);
  };

  async function scan(apiUrl: string, reference: string, code: string) {
    void http(`${apiUrl}/v1/transactions`, { reference, type: 'qr-sale', amount: 1200, wait: 0 }).catch(() => undefined);
    await until(async () => (await http<{ lines: string[] }>(`${apiUrl}/sim/lcd`)).body.lines.includes('SCAN PAYMENT CODE'), 'scan prompt');
    await http(`${apiUrl}/sim/scan`, { data: code });
  }

  it('B扫C killed while the customer confirms: the restarted terminal queries on and keeps the payment once', async () => {
    const { proc, api: url } = await terminal();
    await scan(url, 'KQ-1', '134567890123450001');
    await until(async () => (await view(apiPort, 'KQ-1')).status === 'in-progress' && (await ledger('KQ-1')).length === 1, 'the order posted, confirming');
    await proc.kill('SIGKILL');
    const again = await terminal();
    try {
      await until(async () => (await view(apiPort, 'KQ-1')).status === 'approved', 'approved after the restart', 40000).catch(explain(again.proc, 'KQ-1'));
      expect((await ledger('KQ-1')).map((e) => [e.kind, e.status])).toEqual([['qr-sale', 'approved']]);
      const repeat = await http<{ status: string }>(`${again.api}/v1/transactions`, { reference: 'KQ-1', type: 'qr-sale', amount: 1200 });
      expect(repeat.body.status).toBe('approved');
    } finally {
      await again.proc.kill();
    }
  });

  it('B扫C killed after the journal write, before the send: queried, never found, revoked; nothing charged', async () => {
    const { proc, api: url } = await terminal({ POSFW_CRASH_AT: 'after-journal' }, 5);
    await scan(url, 'KQ-2', '134567890123450000');
    expect((await proc.exited).signal).toBe('SIGKILL');
    const again = await terminal({}, 5);
    try {
      await until(async () => (await view(apiPort, 'KQ-2')).reversal === 'done', 'revoked after the deadline', 40000).catch(explain(again.proc, 'KQ-2'));
      expect(await view(apiPort, 'KQ-2')).toMatchObject({ status: 'failed', reversal: 'done' });
      expect(await ledger('KQ-2')).toEqual([]);
    } finally {
      await again.proc.kill();
    }
  });

  it('C扫B killed while the QR is shown; the customer pays meanwhile: the restarted terminal finds the payment', async () => {
    const { proc, api: url } = await terminal();
    void http(`${url}/v1/transactions`, { reference: 'KQ-3', type: 'qr-present', amount: 900, wait: 0 }).catch(() => undefined);
    const payload = await until(async () => (await view(apiPort, 'KQ-3')).qr?.payload, 'the QR shown');
    await proc.kill('SIGKILL');
    expect((await http(`${rig.admin}/wallet/pay`, { payload })).status).toBe(200);
    const again = await terminal();
    try {
      await until(async () => (await view(apiPort, 'KQ-3')).status === 'approved', 'approved after the restart', 40000).catch(explain(again.proc, 'KQ-3'));
      expect((await ledger('KQ-3')).map((e) => [e.kind, e.status])).toEqual([['qr-present', 'approved']]);
    } finally {
      await again.proc.kill();
    }
  });
});
