// Tests for the two-way link pieces: reply matching and timeouts (FakeClock), chunk grouping, status-checked jobs.
import { DeviceError } from '../device';
import type { PrinterStatus } from './printer';
import { FakeClock } from '../../common/clock';
import { ReplyReader, groupChunks, printChecked, queryStatus, statusError } from './escpos-link';

const online: PrinterStatus = { state: 'online', paperNearEnd: false };

describe('ReplyReader', () => {
  it('resolves with the next N bytes, across pushes, and drops bytes nobody asked for', async () => {
    const clock = new FakeClock();
    const r = new ReplyReader(clock);
    r.push(Buffer.from([0x99]));
    const sent: string[] = [];
    const reply = r.request(async () => void sent.push('q'), 3, 100);
    await Promise.resolve();
    r.push(Buffer.from([0x12]));
    r.push(Buffer.from([0x16, 0x1e, 0x55]));
    expect(await reply).toEqual(Buffer.from([0x12, 0x16, 0x1e]));
    expect(sent).toEqual(['q']);
    expect(clock.pendingCount).toBe(0);
  });

  it('rejects with ETIMEOUT when the printer stays silent', async () => {
    const clock = new FakeClock();
    const r = new ReplyReader(clock);
    const reply = r.request(async () => undefined, 3, 250);
    await Promise.resolve();
    r.push(Buffer.from([0x12]));
    await clock.advance(250);
    await expect(reply).rejects.toMatchObject({ code: 'ETIMEOUT', message: 'printer did not answer within 250 ms (got 1 of 3 bytes)' });
  });

  it('runs requests one after another, and cancel() rejects the one outstanding', async () => {
    const r = new ReplyReader(new FakeClock());
    const order: number[] = [];
    const a = r.request(async () => void order.push(1), 1, 100);
    const b = r.request(async () => void order.push(2), 1, 100);
    await Promise.resolve();
    expect(order).toEqual([1]);
    r.push(Buffer.from([0x12]));
    await expect(a).resolves.toEqual(Buffer.from([0x12]));
    await new Promise((res) => setImmediate(res));
    expect(order).toEqual([1, 2]);
    r.cancel(new DeviceError('ECANCELED', 'closed'));
    await expect(b).rejects.toMatchObject({ code: 'ECANCELED' });
  });

  it('passes a failed write on as EIO', async () => {
    const r = new ReplyReader(new FakeClock());
    await expect(r.request(async () => Promise.reject(new Error('boom')), 1, 100)).rejects.toMatchObject({ code: 'EIO' });
  });

  it('queryStatus sends DLE EOT 1, 2, 4 and decodes the answer', async () => {
    const r = new ReplyReader(new FakeClock());
    const written: Buffer[] = [];
    const s = queryStatus(r, async (b) => void written.push(b), 100);
    await Promise.resolve();
    r.push(Buffer.from([0x1a, 0x32, 0x72]));
    expect(await s).toEqual({ state: 'paper-out', paperNearEnd: false });
    expect(written.map((b) => b.toString('hex'))).toEqual(['100401100402100404']);
  });
});

describe('status-checked jobs', () => {
  it('groups per-line chunks, the preamble riding with the first group', () => {
    const c = (s: string) => Buffer.from(s);
    expect(groupChunks([c('P'), c('a'), c('b'), c('c')], 2).map(String)).toEqual(['Pab', 'c']);
    expect(groupChunks([c('P')], 4).map(String)).toEqual(['P']);
    expect(() => groupChunks([c('P')], 0)).toThrow('linesPerChunk: expected an integer >= 1, got 0');
  });

  it('maps statuses to the errors a job stops with', () => {
    expect(statusError(online, 'x')).toBeUndefined();
    expect(statusError({ state: 'paper-out', paperNearEnd: true }, 'now')?.code).toBe('EPAPER');
    expect(statusError({ state: 'cover-open', paperNearEnd: false }, 'now')?.code).toBe('ECOVER');
    expect(statusError({ state: 'offline', paperNearEnd: false }, 'now')?.code).toBe('EIO');
  });

  it('checks before the first chunk and after each, stopping at the first bad status', async () => {
    const log: string[] = [];
    const states: PrinterStatus['state'][] = ['online', 'online', 'paper-out', 'online'];
    const link = {
      write: async (b: Buffer) => void log.push(`w:${b}`),
      status: async () => {
        log.push('s');
        return { state: states.shift()!, paperNearEnd: false };
      },
    };
    const err = await printChecked([Buffer.from('1'), Buffer.from('2'), Buffer.from('3')], link).catch((e: DeviceError) => e);
    expect(err).toMatchObject({ code: 'EPAPER', message: 'printer out of paper part-way through the job (after chunk 2 of 3)' });
    expect(log).toEqual(['s', 'w:1', 's', 'w:2', 's']);
  });
});
