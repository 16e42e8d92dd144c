// Console key mapping: raw terminal input, including several keys in one chunk, becomes terminal keys.
import { mapInput, tokenize } from './console';

it('splits a chunk into keystrokes, keeping escape sequences whole', () => {
  expect(tokenize('1234\r')).toEqual(['1', '2', '3', '4', '\r']);
  expect(tokenize('\x1bOP5\x1b[A\x1b[11~\x1b')).toEqual(['\x1bOP', '5', '\x1b[A', '\x1b[11~', '\x1b']);
});

it('maps keystrokes to terminal keys', () => {
  const keys = tokenize('12\x7f\r\x1b\x1bOQm\x1b[B').map(mapInput);
  expect(keys).toEqual(['1', '2', 'CLEAR', 'OK', 'CANCEL', 'F2', 'MENU', 'DOWN']);
  expect(mapInput('s')).toBeUndefined();
});
