// EMV QR data objects: two-digit ID, two-digit length (in characters), value; read from and written to text.
import { QrError } from './errors';

/** One data object as read from the payload. */
export interface Tlv {
  /** Two-digit ID, e.g. "59". */
  tag: string;
  /** The value, exactly `length` characters. */
  value: string;
  /** Length in characters (Unicode code points), as written in the payload. */
  length: number;
  /** Character offset of the ID in the whole payload. */
  position: number;
  /** Character offset of the value in the whole payload. */
  valuePosition: number;
}

/** Length in characters as EMV QR counts them: Unicode code points ("最佳运输" is 4). */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Joins a parent path and an ID into the path used in errors and decoded objects: "62" + "07" -> "62.07". */
export function tagPath(parent: string | undefined, tag: string): string {
  return parent === undefined ? tag : `${parent}.${tag}`;
}

const TWO_DIGITS = /^[0-9]{2}$/;

/**
 * Reads the data objects in `chars[start, end)`, a payload split into code points.
 * @param parent path of the enclosing template ("62"), or undefined at the root; used in error messages.
 * @throws QrError `truncated`, `bad-tag`, `bad-length` or `overrun`, naming the position of the bad object.
 */
export function readTlvs(chars: readonly string[], start: number, end: number, parent?: string): Tlv[] {
  const out: Tlv[] = [];
  const scope = parent === undefined ? 'the payload' : `template ${parent}`;
  let at = start;
  while (at < end) {
    const left = end - at;
    const id = chars.slice(at, at + 2).join('');
    if (left < 2 || !TWO_DIGITS.test(id)) {
      if (left < 2) throw new QrError('truncated', `expected a two-digit ID, got 1 character at the end of ${scope}`, { tag: parent, position: at });
      throw new QrError('bad-tag', `expected a two-digit ID, got ${JSON.stringify(id)}`, { tag: parent, position: at });
    }
    const path = tagPath(parent, id);
    if (left < 4) throw new QrError('truncated', `expected a two-digit length after the ID, got ${left - 2} of 2 digits at the end of ${scope}`, { tag: path, position: at });
    const len = chars.slice(at + 2, at + 4).join('');
    if (!TWO_DIGITS.test(len)) throw new QrError('bad-length', `expected a two-digit length, got ${JSON.stringify(len)}`, { tag: path, position: at });
    const length = Number(len);
    if (length === 0) throw new QrError('bad-length', 'length 00: a data object that is present has at least one character', { tag: path, position: at });
    if (length > left - 4) {
      throw new QrError('overrun', `length ${len} runs past the end of ${scope}: ${left - 4} characters left`, { tag: path, position: at });
    }
    out.push({ tag: id, value: chars.slice(at + 4, at + 4 + length).join(''), length, position: at, valuePosition: at + 4 });
    at += 4 + length;
  }
  return out;
}

/**
 * One data object as text: ID, two-digit length, value.
 * @throws QrError `bad-tag` for an ID that is not two digits, `too-long`/`bad-length` for a value of more than 99 or no characters.
 */
export function encodeTlv(tag: string, value: string): string {
  if (!TWO_DIGITS.test(tag)) throw new QrError('bad-tag', `expected a two-digit ID, got ${JSON.stringify(tag)}`);
  const length = charLength(value);
  if (length === 0) throw new QrError('bad-length', 'a data object needs at least one character', { tag });
  if (length > 99) throw new QrError('too-long', `value of ${length} characters does not fit a two-digit length (at most 99)`, { tag });
  return `${tag}${String(length).padStart(2, '0')}${value}`;
}
