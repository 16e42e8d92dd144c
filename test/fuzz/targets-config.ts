// Fuzz target over board configs: hostile values, prototype-pollution keys, timer and frame overflows, deep nesting.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBoard, BoardConfigError } from '../../firmware/board/load';
import { MAX_TIMER_MS } from '../../firmware/board/api-schema';
import { Crash, withPrototypeKey, type Rng } from './fuzz-kit';

const SIM = JSON.parse(readFileSync(join(__dirname, '../../board-configs/sim.json'), 'utf8'));

/** Every [container, key] pair in a JSON value, to pick one to change. */
function slots(v: unknown, out: Array<[Record<string, unknown>, string]> = []): Array<[Record<string, unknown>, string]> {
  if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      out.push([v as Record<string, unknown>, k]);
      slots((v as Record<string, unknown>)[k], out);
    }
  }
  return out;
}

const TIMER_KEYS = [['host', 'responseTimeoutMs'], ['host', 'connectTimeoutMs'], ['policy', 'reversalRetryMs'], ['policy', 'reversalRetryMaxMs'], ['api', 'requestTimeoutMs'], ['devices', 'pinpad', 'ackTimeoutMs'], ['devices', 'display', 'clearDelayUs'], ['policy', 'timeouts', 'cardSec']];

function setPath(o: Record<string, unknown>, path: string[], value: unknown): void {
  let at = o;
  for (const k of path.slice(0, -1)) {
    if (!at[k] || typeof at[k] !== 'object') at[k] = {};
    at = at[k] as Record<string, unknown>;
  }
  at[path[path.length - 1]] = value;
}

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { deeper: v };
  return v;
}

/** A config is a BoardConfig within the limits (timers, header) or a BoardConfigError naming where; nothing reaches a prototype. */
export function boardConfig(rng: Rng): { verdict: 'accepted' | 'rejected'; input: string } {
  const board = structuredClone(SIM) as Record<string, unknown>;
  for (let n = 1 + rng.int(3); n > 0; n--) {
    switch (rng.int(6)) {
      case 0: {
        const [o, k] = rng.pick(slots(board));
        o[k] = rng.hostileValue();
        break;
      }
      case 1: {
        const [o, k] = rng.pick(slots(board));
        delete o[k];
        break;
      }
      case 2:
        setPath(board, rng.pick(TIMER_KEYS), rng.pick([2 ** 31, 2 ** 31 - 1, 1e12, 3_000_000, 1e308, 0, -5, 99]));
        break;
      case 3:
        setPath(board, ['host', 'header'], rng.pick(['60', '6000030000', 'ab'.repeat(300), 'ab'.repeat(9000), 'xyz']));
        break;
      case 4: {
        const [o] = rng.pick(slots(board));
        if (o && typeof o === 'object') o[rng.pick(['extra', 'toString', 'hasOwnProperty'])] = rng.hostileValue();
        break;
      }
      default:
        setPath(board, [rng.pick(['policy', 'api', 'devices'])], nested(rng.pick([5, 40, 400])));
    }
  }
  let text = JSON.stringify(board);
  if (rng.chance(0.3)) {
    // A prototype key somewhere inside (JSON.parse makes it an own property; merging code could still follow it).
    const opens = [...text.matchAll(/\{/g)].map((m) => m.index!);
    const at = rng.pick(opens);
    text = text.slice(0, at) + withPrototypeKey(text.slice(at), rng);
  }
  const input = text.length > 600 ? `${text.slice(0, 600)}…` : text;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { verdict: 'rejected', input };
  }
  let parsed;
  try {
    parsed = parseBoard(raw, 'fuzz.json');
  } catch (err) {
    if (!(err instanceof BoardConfigError) || err.problems.length === 0 || err.problems.some((p) => !/^\$/.test(p))) {
      throw Object.assign(new Crash(`untyped or unexplained refusal: ${String((err as Error).stack ?? err)}`), { input });
    }
    return { verdict: 'rejected', input };
  } finally {
    if (({} as Record<string, unknown>).polluted !== undefined || Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')) throw Object.assign(new Crash('Object.prototype polluted'), { input });
  }
  const limits = [parsed.host.responseTimeoutMs, parsed.host.connectTimeoutMs, parsed.policy.reversalRetryMs, parsed.policy.reversalRetryMaxMs, parsed.api.requestTimeoutMs, parsed.policy.timeouts.cardSec * 1000];
  if (limits.some((ms) => !(ms >= 0 && ms <= MAX_TIMER_MS))) throw Object.assign(new Crash(`accepted a timer beyond 2^31-1 ms: ${JSON.stringify(limits)}`), { input });
  if (parsed.host.header.length / 2 > 256) throw Object.assign(new Crash('accepted a header larger than a frame allows'), { input });
  if (parsed.policy.reversalRetryMs < 100) throw Object.assign(new Crash('accepted a reversal retry below the floor'), { input });
  return { verdict: 'accepted', input };
}
