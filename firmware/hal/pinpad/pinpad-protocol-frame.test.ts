// Exact-byte tests for PIN pad framing and the resyncing stream parser.
import { FrameParser, MAX_PAYLOAD, encodeFrame, lrc, type LineEvent } from './pinpad-protocol-frame';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
// STATUS request, SEQ 0, REF 0x1234: payload 00 30 12 34; LRC = 00^04^00^30^12^34^03 = 0x11.
const STATUS_FRAME = hex('02 0004 00301234 03 11');
// ECHO, SEQ 1, REF 1, data "06 15 02" (control bytes inside the payload): 01 32 0001 32 03 061502.
const ECHO_PAYLOAD = hex('01 32 0001 32 03 061502');

function frames(events: LineEvent[]): string[] {
  return events.filter((e) => e.type === 'frame').map((e) => (e as { payload: Buffer }).payload.toString('hex'));
}

describe('encodeFrame', () => {
  it('wraps a payload as STX | LEN | PAYLOAD | ETX | LRC(LEN..ETX)', () => {
    expect(encodeFrame(hex('00301234'))).toEqual(STATUS_FRAME);
    expect(encodeFrame(ECHO_PAYLOAD)).toEqual(hex('02 0009 013200013203061502 03 18'));
    expect(lrc(hex('0009 013200013203061502 03'))).toBe(0x18);
  });

  it('refuses empty and oversized payloads', () => {
    expect(() => encodeFrame(Buffer.alloc(0))).toThrow(/1-1024 bytes, got 0/);
    expect(() => encodeFrame(Buffer.alloc(MAX_PAYLOAD + 1))).toThrow(RangeError);
    expect(encodeFrame(Buffer.alloc(MAX_PAYLOAD)).length).toBe(MAX_PAYLOAD + 5);
  });
});

describe('FrameParser', () => {
  it('parses a whole frame, ACK and NAK', () => {
    const p = new FrameParser();
    expect(p.push(Buffer.concat([STATUS_FRAME, hex('06 15')]))).toEqual([{ type: 'frame', payload: hex('00301234') }, { type: 'ack' }, { type: 'nak' }]);
    expect(p.pending).toBe(false);
  });

  it('reassembles a frame split into single bytes', () => {
    const p = new FrameParser();
    const events: LineEvent[] = [];
    for (const b of encodeFrame(ECHO_PAYLOAD)) {
      events.push(...p.push(Buffer.from([b])));
      if (events.length === 0) expect(p.pending).toBe(true);
    }
    expect(events).toEqual([{ type: 'frame', payload: ECHO_PAYLOAD }]);
  });

  it('does not take ACK/NAK/STX bytes inside a payload as control bytes', () => {
    const p = new FrameParser();
    expect(p.push(encodeFrame(ECHO_PAYLOAD))).toEqual([{ type: 'frame', payload: ECHO_PAYLOAD }]);
  });

  it('skips noise between frames and counts it', () => {
    const p = new FrameParser();
    const line = Buffer.concat([hex('ff 41 00'), STATUS_FRAME, hex('7f 80'), encodeFrame(ECHO_PAYLOAD)]);
    const events = p.push(line);
    expect(frames(events)).toEqual(['00301234', ECHO_PAYLOAD.toString('hex')]);
    expect(events.at(-1)).toEqual({ type: 'noise', bytes: 5 });
  });

  it('treats STX with a zero or oversized LEN as noise', () => {
    const p = new FrameParser();
    const events = p.push(Buffer.concat([hex('02 0000'), hex('02 ffff'), STATUS_FRAME]));
    expect(frames(events)).toEqual(['00301234']);
    expect(events.at(-1)).toEqual({ type: 'noise', bytes: 6 });
  });

  it('reports a bad LRC and resyncs on the next STX', () => {
    const p = new FrameParser();
    const bad = Buffer.from(STATUS_FRAME);
    bad[8] ^= 0x01;
    const events = p.push(Buffer.concat([bad, STATUS_FRAME]));
    expect(events[0]).toEqual({ type: 'bad-frame', reason: 'lrc' });
    expect(frames(events)).toEqual(['00301234']);
  });

  it('reports a missing ETX', () => {
    const p = new FrameParser();
    const bad = Buffer.from(STATUS_FRAME);
    bad[7] = 0x04;
    expect(p.push(bad)[0]).toEqual({ type: 'bad-frame', reason: 'etx' });
  });

  it('never reads ACK or NAK inside a rejected frame, and reports one bad frame for it', () => {
    const p = new FrameParser();
    // A frame whose payload holds 06 15 and a bogus STX, with a wrong LRC.
    const bad = encodeFrame(hex('00 32 0001 06 15 02 00 01 06'));
    bad[bad.length - 1] ^= 0xff;
    const events = p.push(Buffer.concat([bad, hex('06')]));
    expect(events.filter((e) => e.type === 'bad-frame')).toEqual([{ type: 'bad-frame', reason: 'lrc' }]);
    expect(events.filter((e) => e.type === 'ack')).toEqual([{ type: 'ack' }]); // only the real ACK after it
  });

  it('gives up on a truncated frame and finds the frame hiding behind it', () => {
    const p = new FrameParser();
    // A frame whose LEN was corrupted upward swallows the retransmission that follows it.
    const cut = hex('02 0010 00 30');
    expect(p.push(Buffer.concat([cut, STATUS_FRAME]))).toEqual([]);
    expect(p.pending).toBe(true);
    const events = p.flushPartial();
    expect(events[0]).toEqual({ type: 'bad-frame', reason: 'truncated' });
    expect(frames(events)).toEqual(['00301234']);
    expect(p.pending).toBe(false);
    expect(p.flushPartial()).toEqual([]);
  });

  it('reset drops a partial frame', () => {
    const p = new FrameParser();
    p.push(STATUS_FRAME.subarray(0, 4));
    p.reset();
    expect(p.push(STATUS_FRAME.subarray(4))).toEqual([{ type: 'noise', bytes: 5 }]);
  });
});
