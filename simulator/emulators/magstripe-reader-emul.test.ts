// The emulated serial magstripe reader sends exactly what the serial driver's decoder reads back as the same card.
import { SwipeLineFramer, swipeFromText } from '../../firmware/hal/magstripe/magstripe-decode';
import { MagstripeReaderEmulator, swipeLine, trackText } from './magstripe-reader-emul';
import type { SerialPeer } from './serial-peer';

const T1 = 'B4761739001010010^DOE/JOHN^30121010000000000000';
const T2 = '4761739001010010=30121010000000000000';

function recordingLine(): SerialPeer & { sent: Buffer[] } {
  const sent: Buffer[] = [];
  return { path: '/dev/null', sent, write: async (d) => void sent.push(Buffer.from(d)), close: async () => undefined };
}

describe('magstripe reader emulator', () => {
  it('adds sentinels to bare tracks and leaves tracks that have one alone (partial reads stay partial)', () => {
    expect(trackText(T1, 1)).toBe(`%${T1}?`);
    expect(trackText(T2, 2)).toBe(`;${T2}?`);
    expect(trackText(`;${T2}?`, 2)).toBe(`;${T2}?`);
    expect(trackText(`;${T2}`, 2)).toBe(`;${T2}`);
    expect(trackText(`${T2}?`, 2)).toBe(`${T2}?`);
    expect(swipeLine({ track1: T1, track2: T2 })).toBe(`%${T1}?;${T2}?`);
    expect(swipeLine({ track2: T2 })).toBe(`;${T2}?`);
  });

  it('writes one CR-terminated line per swipe and returns the card the driver decodes from it', async () => {
    const line = recordingLine();
    const reader = new MagstripeReaderEmulator(line);
    const event = await reader.swipe({ track1: T1, track2: T2 });
    expect(line.sent).toEqual([Buffer.from(`%${T1}?;${T2}?\r`, 'latin1')]);
    expect(event).toEqual({ kind: 'card', card: { pan: '4761739001010010', expiry: '3012', serviceCode: '101', cardholderName: 'DOE/JOHN', track2: T2 } });
    const lines = new SwipeLineFramer().push(line.sent[0]);
    expect(lines).toEqual([{ kind: 'line', line: `%${T1}?;${T2}?` }]);
    expect(swipeFromText(`%${T1}?;${T2}?`)).toEqual(event);
  });

  it('a partial track 2 is sent as it is and reads as a bad read', async () => {
    const line = recordingLine();
    const event = await new MagstripeReaderEmulator(line).swipe({ track2: `;${T2}` });
    expect(line.sent[0].toString('latin1')).toBe(`;${T2}\r`);
    expect(event.kind).toBe('bad-read');
  });
});
