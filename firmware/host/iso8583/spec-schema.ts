// ISO 8583 spec validation with zod: shape plus cross-field rules (encoding per type, prefix limits, pad chars).
import { z } from 'zod';
import { HEX_NIBBLES } from './bcd';
import { IsoSpecError } from './errors';
import { TEXT_CHARS } from './field-codec';
import type { IsoSpec } from './spec-types';

const ENCODINGS: Record<string, readonly string[]> = {
  n: ['bcd', 'ascii'],
  z: ['bcd', 'ascii'],
  an: ['ascii'],
  ans: ['ascii'],
  b: ['binary', 'ascii'],
};
const MAX_LENGTH: Record<string, number> = { fixed: 9999, llvar: 99, lllvar: 999 };

export const padSchema = z.strictObject({
  side: z.enum(['left', 'right']),
  char: z.string().length(1, 'expected a single character'),
});

export const fieldSpecSchema = z
  .strictObject({
    name: z.string().min(1),
    type: z.enum(['n', 'an', 'ans', 'b', 'z']),
    encoding: z.enum(['bcd', 'ascii', 'binary']),
    lengthType: z.enum(['fixed', 'llvar', 'lllvar']),
    length: z.number().int().min(1),
    prefix: z.enum(['bcd', 'ascii']).optional(),
    pad: padSchema.optional(),
    sensitive: z.enum(['pan', 'track', 'pin']).optional(),
  })
  .superRefine((f, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (!ENCODINGS[f.type].includes(f.encoding)) {
      issue('encoding', `expected ${ENCODINGS[f.type].map((e) => `"${e}"`).join(' or ')} for type "${f.type}", got "${f.encoding}"`);
    }
    if (f.length > MAX_LENGTH[f.lengthType]) issue('length', `expected at most ${MAX_LENGTH[f.lengthType]} for ${f.lengthType}, got ${f.length}`);
    if (f.prefix !== undefined && f.lengthType === 'fixed') issue('prefix', 'expected no prefix on a fixed-length field');
    if (f.pad) {
      const c = f.pad.char.charCodeAt(0);
      if (f.type === 'b') issue('pad', 'expected no pad on a binary (b) field');
      else if (f.encoding === 'bcd' && !(c < 128 && HEX_NIBBLES[c] >= 0)) issue('pad', `expected a hex digit as pad char for a BCD field, got ${JSON.stringify(f.pad.char)}`);
      else if (f.encoding === 'ascii' && !(c < 256 && TEXT_CHARS[f.type][c] === 1)) {
        issue('pad', `expected a pad char valid for type "${f.type}", got ${JSON.stringify(f.pad.char)}`);
      }
    }
  });

const fieldNumber = z.string().regex(/^(?:[2-9]|[1-9][0-9]|1[01][0-9]|12[0-8])$/, 'expected a field number 2-128');

export const isoSpecSchema = z.strictObject({
  name: z.string().min(1),
  mtiEncoding: z.enum(['bcd', 'ascii']),
  bitmapEncoding: z.enum(['binary', 'hex']),
  fields: z.record(fieldNumber, fieldSpecSchema),
});

/** `$.fields.52.encoding` style path for error messages. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => `${jsonPath([...issue.path, k])}: unknown property "${k}"`).join('; ');
  }
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) {
    return `${jsonPath(issue.path)}: missing; expected ${issue.expected}`;
  }
  if (issue.code === 'invalid_key') {
    const detail = issue.issues.map((i) => i.message).join('; ');
    return `${jsonPath(issue.path)}: invalid key: ${detail}`;
  }
  return `${jsonPath(issue.path)}: ${issue.message}`;
}

/** Validates a spec (parsed JSON or built in code); `source` names it in errors. Throws IsoSpecError. */
export function validateSpec(raw: unknown, source: string): IsoSpec {
  const result = isoSpecSchema.safeParse(raw);
  if (!result.success) throw new IsoSpecError(source, result.error.issues.map(describeIssue));
  return result.data as IsoSpec;
}
