// JSON form of ISO 8583 messages for tools and APIs: text fields as strings, b fields as hex (optionally "hex:"-prefixed).
import { HEX_NIBBLES, toHex } from './bcd';
import { IsoError } from './errors';
import { kindOf } from './field-codec';
import type { IsoMessage, IsoSpec } from './spec-types';

/** `{ "mti": "0200", "fields": { "2": "4761...", "52": "0123ABCD..." } }`. */
export interface IsoMessageJson {
  mti: string;
  fields: Record<string, string>;
}

function hexToBuffer(field: number, text: string): Buffer {
  const hex = text.slice(0, 4).toLowerCase() === 'hex:' ? text.slice(4) : text;
  if (hex.length % 2 !== 0) throw new IsoError(field, undefined, 'hex bytes (b field), an even number of hex digits', `${hex.length} digits`);
  const out = Buffer.alloc(hex.length / 2);
  for (let i = 0; i < hex.length; i++) {
    const c = hex.charCodeAt(i);
    const v = c < 128 ? HEX_NIBBLES[c] : -1;
    if (v < 0) throw new IsoError(field, undefined, 'hex bytes (b field)', `${JSON.stringify(hex[i])} at position ${i}`);
    out[i >> 1] |= i % 2 === 0 ? v << 4 : v;
  }
  return out;
}

/**
 * Turns the JSON form into an IsoMessage for `spec`: b fields from hex strings ("hex:" prefix optional), other
 * fields as given. A field value may also be `{ "value": "..." }`, so `describe(..., { reveal: true })` output
 * reads back. Throws IsoError for a bad shape, a field the spec does not define or bad hex; values are otherwise
 * checked by `pack`.
 */
export function messageFromJson(raw: unknown, spec: IsoSpec): IsoMessage {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new IsoError('message', undefined, 'a JSON object { "mti", "fields" }', kindOf(raw));
  const { mti, fields } = raw as { mti?: unknown; fields?: unknown };
  if (typeof mti !== 'string') throw new IsoError('MTI', undefined, 'a string of 4 digits', kindOf(mti));
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) throw new IsoError('message', undefined, '"fields" as an object', kindOf(fields));
  const out: Record<number, string | Buffer> = {};
  for (const [key, entry] of Object.entries(fields as Record<string, unknown>)) {
    const f = Number(key);
    if (!/^[1-9][0-9]{0,2}$/.test(key) || f < 2 || f > 128) throw new IsoError('message', undefined, 'field numbers 2-128', `field key ${JSON.stringify(key)}`);
    const fs = spec.fields[f];
    if (!fs) throw new IsoError(f, undefined, `a field defined in spec "${spec.name}"`, 'a value for an undefined field');
    const value = entry !== null && typeof entry === 'object' && 'value' in entry ? (entry as { value: unknown }).value : entry;
    if (typeof value !== 'string') throw new IsoError(f, undefined, fs.type === 'b' ? 'a hex string (b field)' : 'a string', kindOf(value));
    out[f] = fs.type === 'b' ? hexToBuffer(f, value) : value;
  }
  return { mti, fields: out };
}

/** The JSON form of a message: b values as upper-case hex. Contains card data in the clear: never log it. */
export function messageToJson(msg: IsoMessage): IsoMessageJson {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(msg.fields)) {
    if (value === undefined) continue;
    fields[key] = typeof value === 'string' ? value : toHex(value);
  }
  return { mti: msg.mti, fields };
}
