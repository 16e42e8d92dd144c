// Board-config loader: reads JSON, validates it, and reports errors naming the file, the JSON path and what was expected.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { boardSchema, type BoardConfig } from './schema';

export class BoardConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid board config\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'BoardConfigError';
  }
}

/** `$.devices.printer.columns` style path for error messages. */
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
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
    return `${jsonPath([...issue.path, issue.discriminator])}: ${issue.message}`;
  }
  return `${jsonPath(issue.path)}: ${issue.message}`;
}

/** Validates an already-parsed object; `file` names its source in errors. */
export function parseBoard(raw: unknown, file: string): BoardConfig {
  const result = boardSchema.safeParse(raw);
  if (!result.success) throw new BoardConfigError(file, result.error.issues.map(describeIssue));
  return result.data;
}

/** Reads and validates a board file. Throws BoardConfigError for unreadable, non-JSON or invalid files. */
export function loadBoard(file: string): BoardConfig {
  const abs = resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new BoardConfigError(file, [`cannot read file: ${(err as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new BoardConfigError(file, [`not valid JSON: ${(err as Error).message}`]);
  }
  return parseBoard(raw, file);
}
