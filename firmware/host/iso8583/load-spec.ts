// ISO 8583 spec loader: reads a JSON spec file and validates it, naming the file and the JSON path in errors.
import { readFileSync } from 'node:fs';
import { IsoSpecError } from './errors';
import { validateSpec } from './spec-schema';
import type { IsoSpec } from './spec-types';

/**
 * Reads and validates a spec file (the JSON form of {@link IsoSpec}; `posfw iso8583 spec` prints the default one).
 * Throws IsoSpecError for an unreadable file, invalid JSON or an invalid spec, e.g.
 * `specs/acme.json: invalid ISO 8583 spec\n  - $.fields.52.encoding: expected "binary" or "ascii" for type "b", got "bcd"`.
 */
export function loadSpec(file: string): IsoSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new IsoSpecError(file, [`cannot read file: ${(err as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new IsoSpecError(file, [`not valid JSON: ${(err as Error).message}`]);
  }
  return validateSpec(raw, file);
}
