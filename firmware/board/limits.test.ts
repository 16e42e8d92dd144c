// Limits a board config cannot pass: timers Node cannot wait for, host headers that crowd out the message, retry
// floors, prototype keys, runaway nesting, and an ECR API on the LAN without TLS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBoard, BoardConfigError } from './load';

const SIM = JSON.parse(readFileSync(join(__dirname, '..', '..', 'board-configs', 'sim.json'), 'utf8'));

function problems(edit: (b: any) => void): string[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const b = structuredClone(SIM);
  edit(b);
  try {
    parseBoard(b, 'b.json');
  } catch (err) {
    if (err instanceof BoardConfigError) return err.problems;
    throw err;
  }
  return [];
}

it.each([
  ['a host timeout above 2^31-1 ms', (b: any) => (b.host.responseTimeoutMs = 2 ** 31), /^\$\.host\.responseTimeoutMs: 2147483648 is longer than a timer can wait \(at most 2147483647, 2\^31 − 1 ms\)$/], // eslint-disable-line @typescript-eslint/no-explicit-any
  ['a device timer above it', (b: any) => (b.devices.keypad = { driver: 'gpio-matrix', rows: [1], cols: [2], keymap: [['1']], repeatDelayMs: 1e12 }), /\$\.devices\.keypad\.repeatDelayMs: 1000000000000 is longer than a timer/], // eslint-disable-line @typescript-eslint/no-explicit-any
  ['seconds that overflow as milliseconds', (b: any) => (b.policy.timeouts = { cardSec: 3_000_000 }), /\$\.policy\.timeouts\.cardSec: 3000000 is longer than a timer can wait \(at most 2147483\b/], // eslint-disable-line @typescript-eslint/no-explicit-any
  ['a header larger than a frame allows', (b: any) => (b.host.header = 'ab'.repeat(300)), /^\$\.host\.header: expected at most 256 bytes/], // eslint-disable-line @typescript-eslint/no-explicit-any
  ['a reversal retry below the floor', (b: any) => (b.policy.reversalRetryMs = 10), /^\$\.policy\.reversalRetryMs: expected at least 100 ms between reversal repeats$/], // eslint-disable-line @typescript-eslint/no-explicit-any
  ['a webhook retry below the floor', (b: any) => (b.api.webhook = { url: 'http://127.0.0.1:9/h', secretFile: '/x', retryMs: 5 }), /^\$\.api\.webhook\.retryMs: expected at least 100 ms/], // eslint-disable-line @typescript-eslint/no-explicit-any
  ['a LAN bind without TLS', (b: any) => (b.api.host = '0.0.0.0'), /^\$\.api\.tls: expected tls \{certFile, keyFile\}: the ECR API on 0\.0\.0\.0 is reachable from the LAN and must use TLS$/], // eslint-disable-line @typescript-eslint/no-explicit-any
  ['a bind address that is not an IP', (b: any) => (b.api.host = 'example.com'), /^\$\.api\.host: expected an IP address/], // eslint-disable-line @typescript-eslint/no-explicit-any
  ['a prototype key', (b: any) => Object.defineProperty(b.policy, '__proto__', { value: { polluted: true }, enumerable: true }), /^\$\.policy\.__proto__: forbidden property name "__proto__"$/], // eslint-disable-line @typescript-eslint/no-explicit-any
  ['a constructor key', (b: any) => (b.devices.printer.constructor = { prototype: {} }), /^\$\.devices\.printer\.constructor: forbidden property name "constructor"$/], // eslint-disable-line @typescript-eslint/no-explicit-any
])('refuses %s', (_name, edit, message) => {
  const p = problems(edit);
  expect(p.some((x) => message.test(x))).toBe(true);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

it('refuses runaway nesting without walking it all', () => {
  let deep: unknown = 1;
  for (let i = 0; i < 10000; i++) deep = { d: deep };
  expect(problems((b) => (b.policy = deep))).toEqual([expect.stringMatching(/nested deeper than 32 levels$/)]);
});

it('accepts a LAN bind with TLS, and the limits themselves', () => {
  expect(problems((b) => {
    b.api = { host: '0.0.0.0', tls: { certFile: '/c.pem', keyFile: '/k.pem' } };
    b.host.responseTimeoutMs = 2 ** 31 - 1;
    b.host.header = 'ab'.repeat(256);
    b.policy.reversalRetryMs = 100;
  })).toEqual([]);
});
