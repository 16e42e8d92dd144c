// Keymap validation and the debounce/repeat state machine, stepped with explicit sample times.
import { MatrixDebouncer, resolveKeymap, resolveRepeatKeys } from './matrix-scan';

const KEYMAP = resolveKeymap([['1', '2'], ['CLEAR', 'OK']], 2, 2);
const config = { debounceMs: 20, repeatDelayMs: 500, repeatIntervalMs: 100, repeatKeys: resolveRepeatKeys(['CLEAR']) };
const only = (r: number, c: number) => [0, 1].map((rr) => [0, 1].map((cc) => rr === r && cc === c));
const none = [[false, false], [false, false]];

/** Samples every `step` ms from `from` to `to` with the same reading; returns the events. */
function hold(d: MatrixDebouncer, reading: boolean[][], from: number, to: number, step = 5) {
  const events = [];
  for (let t = from; t <= to; t += step) events.push(...d.sample(reading, t).map((e) => ({ ...e, t })));
  return events;
}

describe('resolveKeymap', () => {
  it('maps names to keys and "" to no key', () => {
    expect(resolveKeymap([['1', ''], ['OK', 'CLEAR']], 2, 2)).toEqual([['1', null], ['OK', 'CLEAR']]);
  });

  it('names a bad key and where it is', () => {
    expect(() => resolveKeymap([['1', 'ENTER']], 1, 2)).toThrow('keymap[0][1]: "ENTER" is not a key (expected one of 0, 1,');
  });

  it('checks the keymap against the row and column lines', () => {
    expect(() => resolveKeymap([['1']], 2, 1)).toThrow('keymap: expected 2 rows');
    expect(() => resolveKeymap([['1'], ['2', '3']], 2, 1)).toThrow('keymap[1]: expected 1 entries');
    expect(() => resolveRepeatKeys(['CLEAR', 'DEL'])).toThrow('repeatKeys[1]: "DEL" is not a key');
  });
});

describe('MatrixDebouncer', () => {
  it('emits one press once the contact has been steady for debounceMs', () => {
    const d = new MatrixDebouncer(KEYMAP, config);
    expect(hold(d, only(1, 1), 0, 15)).toEqual([]);
    expect(hold(d, only(1, 1), 20, 400)).toEqual([{ key: 'OK', repeat: false, t: 20 }]);
    expect(hold(d, none, 405, 440)).toEqual([]);
    expect(d.idle).toBe(true);
  });

  it('ignores chatter shorter than debounceMs and glitches that never settle', () => {
    const d = new MatrixDebouncer(KEYMAP, config);
    const seq = [only(0, 0), none, only(0, 0), none, only(0, 0)];
    const events = seq.flatMap((r, i) => d.sample(r, i * 3));
    expect(events).toEqual([]);
    // steady since t = 12: settled at the first sample at or after 32
    expect(hold(d, only(0, 0), 15, 40)).toEqual([{ key: '1', repeat: false, t: 35 }]);
    const g = new MatrixDebouncer(KEYMAP, config);
    expect([...g.sample(only(0, 1), 0), ...g.sample(only(0, 1), 10), ...g.sample(none, 15), ...hold(g, none, 20, 60)]).toEqual([]);
    expect(g.idle).toBe(true);
  });

  it('repeats CLEAR after repeatDelayMs, then every repeatIntervalMs, and only CLEAR', () => {
    const d = new MatrixDebouncer(KEYMAP, config);
    const clear = hold(d, only(1, 0), 0, 720);
    expect(clear).toEqual([
      { key: 'CLEAR', repeat: false, t: 20 },
      { key: 'CLEAR', repeat: true, t: 520 },
      { key: 'CLEAR', repeat: true, t: 620 },
      { key: 'CLEAR', repeat: true, t: 720 },
    ]);
    hold(d, none, 725, 800);
    expect(hold(d, only(1, 1), 805, 2000)).toEqual([{ key: 'OK', repeat: false, t: 825 }]);
  });
});
