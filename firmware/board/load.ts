// Board-config loader: reads JSON, validates it, and reports errors naming the file, the JSON path and what was expected.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { boardSchema, type BoardConfig } from './schema';
import { MAX_TIMER_MS } from './api-schema';

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

/** Keys that could reach an object's prototype when a config is merged or copied: refused anywhere in a board file. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** How a timer field's unit turns into the milliseconds Node's timers take. */
const TIMER_UNITS: ReadonlyArray<[RegExp, number]> = [
  [/Ms$/, 1],
  [/Sec$/, 1000],
  [/Us$/, 0.001],
];
const MAX_DEPTH = 32;

/**
 * Problems no schema rule is needed for: prototype keys, nesting deeper than any board has, and any timer field
 * (`...Ms`, `...Sec`, `...Us`) longer than Node's timers can wait (2^31 − 1 ms: a longer delay fires at once).
 */
function structuralProblems(value: unknown, path: PropertyKey[] = [], out: string[] = []): string[] {
  if (out.length >= 20 || value === null || typeof value !== 'object') return out;
  if (path.length > MAX_DEPTH) return (out.push(`${jsonPath(path)}: nested deeper than ${MAX_DEPTH} levels`), out);
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    const at = [...path, Array.isArray(value) ? Number(key) : key];
    if (FORBIDDEN_KEYS.has(key)) out.push(`${jsonPath(at)}: forbidden property name "${key}"`);
    const unit = TIMER_UNITS.find(([re]) => re.test(key));
    if (unit && typeof child === 'number' && child * unit[1] > MAX_TIMER_MS) {
      out.push(`${jsonPath(at)}: ${child} is longer than a timer can wait (at most ${Math.floor(MAX_TIMER_MS / unit[1])}, 2^31 − 1 ms)`);
    }
    structuralProblems(child, at, out);
  }
  return out;
}

/** Validates an already-parsed object; `file` names its source in errors. */
export function parseBoard(raw: unknown, file: string): BoardConfig {
  const structural = structuralProblems(raw);
  if (structural.length) throw new BoardConfigError(file, structural);
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
