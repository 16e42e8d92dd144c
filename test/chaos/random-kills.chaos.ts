// Chaos soak (make chaos): random host faults and random SIGKILLs across many sales, then the money invariants.
// Bounded: CHAOS_ROUNDS rounds (default 12), each one sale and at most one kill; all traffic on 127.0.0.1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, http, startPosfw, until, type Proc } from '../helpers/procs';
import { mulberry32 as prng } from '../../firmware/common/prng';

const ROUNDS = Number(process.env.CHAOS_ROUNDS ?? 12);
const SEED = Number(process.env.CHAOS_SEED ?? 7);
const TRACK2 = ';4761739001010010=30121010000000000000?';

jest.setTimeout(15 * 60 * 1000);

it(`keeps every invariant through ${ROUNDS} rounds of faults and kills (seed ${SEED})`, async () => {
  const rnd = prng(SEED);
  const acqData = mkdtempSync(join(tmpdir(), 'posfw-chaos-acq-'));
  const data = mkdtempSync(join(tmpdir(), 'posfw-chaos-'));
  const acquirer = startPosfw(['acquirer', '--port', '0', '--admin-port', '0', '--data', acqData]);
  const [, port, adminPort] = await acquirer.waitFor(/ACQUIRER READY (\d+) (\d+)/);
  const admin = `http://127.0.0.1:${adminPort}`;
  const apiPort = await freePort();
  const api = `http://127.0.0.1:${apiPort}`;
  const references: string[] = [];
  let terminal: Proc | undefined;
  const boot = async () => {
    terminal = startPosfw(['sim', '--headless', '--data', data, '--port', String(apiPort), '--acquirer', `127.0.0.1:${port}`]);
    await terminal.waitFor(/^READY$/m);
  };
  try {
    await boot();
    for (let round = 0; round < ROUNDS; round++) {
      const fault = ['none', 'dropResponse', 'delayResponse', 'garbleReply', 'disconnectMidReply', 'dropRequest'][Math.floor(rnd() * 6)];
      await http(`${admin}/faults`, undefined, 'DELETE');
      if (fault !== 'none') await http(`${admin}/faults`, { [fault]: 0.7, delayMs: 7000, seed: round + SEED });
      const reference = `CHAOS-${SEED}-${round}`;
      references.push(reference);
      void http(`${api}/v1/transactions`, { reference, type: 'sale', amount: 1000 + round }).catch(() => undefined);
      await until(async () => (await http<{ lines: string[] }>(`${api}/sim/lcd`)).body.lines.includes('SWIPE CARD'), 'card prompt');
      await http(`${api}/sim/card`, { track2: TRACK2 });
      await http(`${api}/sim/pin`, { pin: '1234' });
      if (rnd() < 0.5) {
        await new Promise((r) => setTimeout(r, Math.floor(rnd() * 1500)));
        await terminal!.kill('SIGKILL');
        await http(`${admin}/faults`, undefined, 'DELETE');
        await boot();
      } else {
        await until(async () => !(await http<{ busy: boolean }>(`${api}/v1/health`)).body.busy, 'the sale to finish', 30000);
      }
    }
    await http(`${admin}/faults`, undefined, 'DELETE');
    await until(async () => (await http<{ safPending: number }>(`${api}/v1/health`)).body.safPending === 0, 'SAF drained', 120000);
    for (const reference of references) {
      const txn = (await http<{ status: string }>(`${api}/v1/transactions/${reference}`)).body;
      const entries = (await http<{ entries: Array<{ mti: string; responseCode: string; status: string }> }>(`${admin}/ledger?reference=${reference}`)).body.entries;
      const charged = entries.filter((e) => e.mti === '0200' && e.responseCode === '00' && e.status === 'approved').length;
      expect({ reference, charged: charged <= 1 }).toEqual({ reference, charged: true });
      if (txn.status === 'approved') expect({ reference, charged }).toEqual({ reference, charged: 1 });
      else expect({ reference, status: txn.status, charged }).toEqual({ reference, status: txn.status, charged: 0 });
    }
  } finally {
    await terminal?.kill();
    await acquirer.kill();
    rmSync(acqData, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  }
});
