// Link-layer tests with hand-driven time: exact wire bytes, ACK/NAK, retransmission, duplicate discard, give-up, reset.
import { DeviceError } from '../device';
import { FakeClock } from '../../common/clock';
import { PinPadLink, type LinkEvent } from './pinpad-link';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

interface End {
  link: PinPadLink;
  bodies: string[];
  events: LinkEvent[];
  wrote: string[];
}

/** Two link ends joined by a wire that delivers only when pumped (no re-entrancy), with an optional tap. */
function rig(opts: { retries?: number; answerB?: () => 'ack' | 'nak' | 'none'; tapAtoB?: (b: Buffer) => Buffer | undefined } = {}) {
  const clock = new FakeClock();
  const wire: Array<{ to: 'a' | 'b'; bytes: Buffer }> = [];
  const make = (name: 'a' | 'b', answerFrame?: () => 'ack' | 'nak' | 'none'): End => {
    const end: End = { link: undefined as unknown as PinPadLink, bodies: [], events: [], wrote: [] };
    end.link = new PinPadLink({
      write: (bytes) => {
        end.wrote.push(bytes.toString('hex'));
        const tapped = name === 'a' && opts.tapAtoB ? opts.tapAtoB(bytes) : bytes;
        if (tapped) wire.push({ to: name === 'a' ? 'b' : 'a', bytes: tapped });
      },
      onBody: (b) => end.bodies.push(b.toString('hex')),
      onEvent: (e) => end.events.push(e),
      ackTimeoutMs: 100,
      retries: opts.retries ?? 3,
      clock,
      ...(answerFrame ? { answerFrame } : {}),
    });
    return end;
  };
  const a = make('a');
  const b = make('b', opts.answerB);
  const pump = async () => {
    for (let i = 0; i < 1000 && wire.length > 0; i++) {
      const w = wire.shift()!;
      (w.to === 'a' ? a : b).link.receive(w.bytes);
      await Promise.resolve();
    }
  };
  return { a, b, clock, pump, wire };
}

describe('PinPadLink', () => {
  it('sends SEQ 0 then 1, ACKs each frame, and delivers bodies in order', async () => {
    const { a, b, pump } = rig();
    const first = a.link.send(hex('301234'));
    const second = a.link.send(hex('300001'));
    await pump();
    await expect(first).resolves.toBeUndefined();
    await expect(second).resolves.toBeUndefined();
    expect(a.wrote).toEqual(['020004003012340311', '020004013000010337']);
    expect(b.wrote).toEqual(['06', '06']);
    expect(b.bodies).toEqual(['301234', '300001']);
  });

  it('retransmits the same frame after a lost ACK; the receiver discards the duplicate', async () => {
    let lose = 1;
    const { a, b, pump, clock } = rig({ answerB: () => (lose-- > 0 ? 'none' : 'ack') });
    const sent = a.link.send(hex('301234'));
    await pump();
    expect(b.bodies).toEqual(['301234']);
    await clock.advance(100);
    await pump();
    await expect(sent).resolves.toBeUndefined();
    expect(a.wrote).toEqual(['020004003012340311', '020004003012340311']);
    expect(b.bodies).toEqual(['301234']);
    expect(b.events).toEqual([{ type: 'duplicate', seq: 0 }]);
    expect(a.events).toEqual([{ type: 'retransmit', seq: 0, attempt: 2, cause: 'timeout' }]);
  });

  it('accepts a new frame that reuses a SEQ with different content (peer restarted)', async () => {
    const { a, b, pump } = rig();
    await Promise.all([a.link.send(hex('301234')), pump()]);
    a.link.reset();
    await Promise.all([a.link.send(hex('300002')), pump()]);
    expect(b.bodies).toEqual(['301234', '300002']);
  });

  it('gives up with ETIMEOUT after `retries` retransmissions in a NAK storm', async () => {
    const { a, b, pump } = rig({ retries: 2, answerB: () => 'nak' });
    const sent = a.link.send(hex('301234'));
    const outcome = sent.catch((e: unknown) => e);
    await pump();
    const err = (await outcome) as DeviceError;
    expect(err).toBeInstanceOf(DeviceError);
    expect(err.code).toBe('ETIMEOUT');
    expect(err.message).toMatch(/after 3 attempts \(3 NAK\(s\), 0 timeout\(s\)\)/);
    expect(a.wrote).toHaveLength(3);
    expect(b.wrote).toEqual(['15', '15', '15']);
    expect(b.bodies).toEqual([]);
  });

  it('gives up with ETIMEOUT when nobody answers, then sends the next queued frame', async () => {
    const { a, clock, wire } = rig({ retries: 1, tapAtoB: () => undefined });
    const lost = a.link.send(hex('301234')).catch((e: DeviceError) => e.code);
    const next = a.link.send(hex('300002')).catch((e: DeviceError) => e.code);
    await clock.advance(100);
    await clock.advance(100);
    expect(await lost).toBe('ETIMEOUT');
    expect(a.wrote).toEqual(['020004003012340311', '020004003012340311', '020004013000020334']);
    await clock.advance(200);
    expect(await next).toBe('ETIMEOUT');
    expect(wire).toEqual([]);
  });

  it('NAKs a garbled frame and takes the clean retransmission', async () => {
    let garble = 1;
    const { a, b, pump } = rig({
      tapAtoB: (bytes) => {
        if (bytes.length === 1 || garble-- <= 0) return bytes;
        const g = Buffer.from(bytes);
        g[g.length - 1] ^= 0x40;
        return g;
      },
    });
    const sent = a.link.send(hex('301234'));
    await pump();
    await expect(sent).resolves.toBeUndefined();
    expect(b.wrote).toEqual(['15', '06']);
    expect(b.events).toEqual([{ type: 'bad-frame', reason: 'lrc' }, { type: 'noise', bytes: 8 }]);
    expect(b.bodies).toEqual(['301234']);
  });

  it('NAKs a frame cut short once the line stays quiet', async () => {
    const { b, clock } = rig();
    b.link.receive(hex('02 0004 00 30'));
    expect(b.wrote).toEqual([]);
    await clock.advance(50);
    expect(b.wrote).toEqual(['15']);
    expect(b.events).toEqual([{ type: 'bad-frame', reason: 'truncated' }, { type: 'noise', bytes: 4 }]);
  });

  it('ignores stray ACK/NAK when nothing is in flight', () => {
    const { a } = rig();
    a.link.receive(hex('06 15'));
    expect(a.wrote).toEqual([]);
    expect(a.link.busy).toBe(false);
  });

  it('reset fails queued frames with the given error and restarts SEQ at 0', async () => {
    const { a, pump } = rig({ tapAtoB: () => undefined });
    const p1 = a.link.send(hex('301234')).catch((e: DeviceError) => e.code);
    const p2 = a.link.send(hex('300002')).catch((e: DeviceError) => e.code);
    a.link.reset(new DeviceError('EIO', 'unplugged'));
    expect(await p1).toBe('EIO');
    expect(await p2).toBe('EIO');
    expect(a.link.busy).toBe(false);
    void a.link.send(hex('301234')).catch(() => undefined);
    await pump();
    expect(a.wrote.at(-1)).toBe('020004003012340311');
  });

  it('refuses bad settings', () => {
    const base = { write: () => undefined, onBody: () => undefined, retries: 1 };
    expect(() => new PinPadLink({ ...base, ackTimeoutMs: 0 })).toThrow(/ackTimeoutMs must be positive/);
    expect(() => new PinPadLink({ ...base, ackTimeoutMs: 10, retries: -1 })).toThrow(/retries/);
  });
});
