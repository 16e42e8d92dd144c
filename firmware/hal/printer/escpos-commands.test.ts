// Exact-byte tests for each ESC/POS command (values from the Epson ESC/POS command reference).
import { commandBytes, encodeCommands } from './escpos-commands';

const hex = (b: Buffer) => b.toString('hex');

describe('ESC/POS commands', () => {
  it.each([
    [{ type: 'init' }, '1b40'],
    [{ type: 'codepage', codepage: 'cp437' }, '1b7400'],
    [{ type: 'codepage', codepage: 'cp858' }, '1b7413'],
    [{ type: 'chinese', on: true }, '1c26'],
    [{ type: 'chinese', on: false }, '1c2e'],
    [{ type: 'bold', on: true }, '1b4501'],
    [{ type: 'bold', on: false }, '1b4500'],
    [{ type: 'underline', on: true }, '1b2d01'],
    [{ type: 'underline', on: false }, '1b2d00'],
    [{ type: 'kanjiUnderline', on: true }, '1c2d01'],
    [{ type: 'size', width: 1, height: 1 }, '1d2100'],
    [{ type: 'size', width: 2, height: 2 }, '1d2111'],
    [{ type: 'size', width: 2, height: 1 }, '1d2110'],
    [{ type: 'size', width: 1, height: 2 }, '1d2101'],
    [{ type: 'size', width: 8, height: 8 }, '1d2177'],
    [{ type: 'align', align: 'left' }, '1b6100'],
    [{ type: 'align', align: 'center' }, '1b6101'],
    [{ type: 'align', align: 'right' }, '1b6102'],
    [{ type: 'newline' }, '0a'],
    [{ type: 'feed', lines: 3 }, '1b6403'],
    [{ type: 'cut' }, '1d564200'],
    [{ type: 'cut', full: true, feed: 16 }, '1d564110'],
    [{ type: 'raw', bytes: Buffer.from('AB') }, '4142'],
  ] as const)('%j -> %s', (cmd, bytes) => {
    expect(hex(commandBytes(cmd as never))).toBe(bytes);
  });

  it('concatenates a command list in order', () => {
    expect(hex(encodeCommands([{ type: 'init' }, { type: 'bold', on: true }, { type: 'raw', bytes: Buffer.from('Hi') }, { type: 'newline' }]))).toBe(
      '1b401b450148690a',
    );
  });

  it('throws synchronously on arguments outside the command range', () => {
    expect(() => commandBytes({ type: 'size', width: 9, height: 1 })).toThrow('size.width: expected an integer 1..8, got 9');
    expect(() => commandBytes({ type: 'feed', lines: 256 })).toThrow('feed.lines: expected an integer 0..255, got 256');
    expect(() => commandBytes({ type: 'feed', lines: 1.5 })).toThrow(RangeError);
    expect(() => commandBytes({ type: 'align', align: 'middle' as never })).toThrow('align: expected left, center or right');
    expect(() => commandBytes({ type: 'codepage', codepage: 'cp1252' as never })).toThrow('codepage: expected one of cp437, cp858');
    expect(() => commandBytes({ type: 'nope' } as never)).toThrow('unknown command type nope');
  });
});
