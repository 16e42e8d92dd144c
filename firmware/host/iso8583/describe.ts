// JSON-friendly, card-data-safe view of an ISO 8583 message: names per field, PAN masked, track data and PIN blocks redacted.
import { maskPan, scrubText } from '../../log';
import { toHex } from './bcd';
import { kindOf, type FieldCodec } from './field-codec';
import type { IsoMessage } from './spec-types';

export interface DescribedField {
  name: string;
  /** The value: text as is, b fields as upper-case hex, sensitive fields masked unless revealed. */
  value: string;
}

export interface DescribedMessage {
  [key: string]: unknown;
  mti: string;
  fields: Record<string, DescribedField>;
}

function redacted(value: unknown, codec: FieldCodec | undefined): string {
  if (value instanceof Uint8Array) return `[REDACTED ${value.length} bytes]`;
  if (typeof value === 'string' && codec) return `[REDACTED ${codec.dataBytes(value.length)} bytes]`;
  return '[REDACTED]';
}

function show(value: unknown, codec: FieldCodec | undefined, reveal: boolean): string {
  const sensitive = codec?.spec.sensitive;
  if (!reveal && sensitive) {
    if (sensitive === 'pan' && typeof value === 'string') return maskPan(value);
    return redacted(value, codec);
  }
  if (!reveal && !codec) {
    if (typeof value === 'string') return scrubText(value);
    return value instanceof Uint8Array ? `[${value.length} bytes]` : `[invalid: ${kindOf(value)}]`;
  }
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return toHex(value);
  return `[invalid: ${kindOf(value)}]`;
}

/** Builds the view; never throws, whatever `msg` holds. Fields missing from the spec are named "unknown field". */
export function describeMessage(msg: IsoMessage, codecs: readonly (FieldCodec | undefined)[], reveal: boolean): DescribedMessage {
  const fields: Record<string, DescribedField> = {};
  const src: Record<string, unknown> = msg && typeof msg.fields === 'object' && msg.fields !== null ? msg.fields : {};
  for (const key of Object.keys(src)) {
    const value = src[key];
    if (value === undefined) continue;
    const codec = /^\d{1,3}$/.test(key) ? codecs[Number(key)] : undefined;
    fields[key] = { name: codec?.spec.name ?? 'unknown field', value: show(value, codec, reveal) };
  }
  const mti = msg && typeof msg.mti === 'string' ? msg.mti : `[invalid: ${kindOf(msg?.mti)}]`;
  return { mti, fields };
}
