// Logging: pino with namespaced child loggers and card-data redaction configured once, here.
import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line (matched case-insensitively at any depth). */
const SECRET_KEYS = new Set(
  [
    'track', 'track1', 'track2', 'track3', 'track2Equivalent', 'pin', 'pinBlock', 'encryptedPinBlock', 'pinblock',
    'cvv', 'cvv2', 'cvc', 'key', 'bdk', 'ipek', 'initialKey', 'transactionKey', 'journalKey', 'password',
    'deviceKey', 'dataKey', 'kbpk', 'wrapped', 'wrappedKey', 'keyBlock',
    'supervisorPassword', 'cashierPassword', 'sealed', 'secret', 'field35', 'field52', 'raw', 'rawHex', 'bytes',
    // ISO 8583 field maps keyed by number: track 2/3 and track 1, PIN block, security info, ICC data
    '35', '36', '45', '52', '53', '55',
  ].map((k) => k.toLowerCase()),
);
/** Keys whose values are PANs: masked first 6 / last 4. */
const PAN_KEYS = new Set(['pan', 'cardnumber', 'primaryaccountnumber', 'field2', 'accountnumber', '2'].map((k) => k.toLowerCase()));

/** Masks a PAN to first 6 / last 4 (shorter numbers keep only the last 4). */
export function maskPan(pan: string): string {
  const digits = pan.replace(/\D/g, '');
  if (digits.length < 10) return '*'.repeat(Math.max(0, digits.length - 4)) + digits.slice(-4);
  return digits.slice(0, 6) + '*'.repeat(digits.length - 10) + digits.slice(-4);
}

const PAN_RUN = /\d{13,19}/g;
/** Track-like sentinels and separators: %B...^...? or ;PAN=YYMM...? */
const TRACK_LIKE = /%?B\d{12,19}\^[^?]*\?|;?\d{12,19}[=D]\d{4}[0-9A-F]*\??/gi;

/** Scrubs card data out of free text: track-like runs redacted, PAN-length digit runs masked. */
export function scrubText(text: string): string {
  return text.replace(TRACK_LIKE, '[REDACTED track]').replace(PAN_RUN, (m) => maskPan(m));
}

/** Deep copy of `value` with secrets removed and PANs masked. Cycles and depth are bounded. */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[${value.length} bytes]`;
  if (depth > 8 || seen.has(value)) return '[...]';
  seen.add(value);
  if (value instanceof Error) {
    return { type: value.name, message: scrubText(value.message), code: (value as { code?: unknown }).code, stack: value.stack ? scrubText(value.stack) : undefined };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const lk = k.toLowerCase();
    if (SECRET_KEYS.has(lk)) out[k] = '[REDACTED]';
    else if (PAN_KEYS.has(lk) && typeof v === 'string') out[k] = maskPan(v);
    else out[k] = redact(v, depth + 1, seen);
  }
  return out;
}

export interface LogOptions {
  level?: string;
  destination?: DestinationStream;
  /** Pretty, human output (pino-pretty) for an interactive terminal. */
  pretty?: boolean;
}

/** The root logger. Every module takes a child: `log.child({ ns: 'hal.printer' })`. */
export function createLogger(opts: LogOptions = {}): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level ?? process.env.POSFW_LOG_LEVEL ?? 'info',
    base: undefined,
    formatters: { log: (obj) => redact(obj) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        // pino takes an Error's message as the log message before formatters run: scrub it here.
        if (args[0] instanceof Error) {
          const err = args[0];
          const rest = args.slice(1).map((a) => (typeof a === 'string' ? scrubText(a) : a));
          method.apply(this, [{ err: redact(err) }, ...(rest.length ? rest : [scrubText(err.message)])] as Parameters<typeof method>);
          return;
        }
        const scrubbed = args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>;
        method.apply(this, scrubbed);
      },
    },
  };
  if (opts.destination) return pino(options, opts.destination);
  if (opts.pretty) return pino({ ...options, transport: { target: 'pino-pretty', options: { destination: 2 } } });
  return pino(options, pino.destination(2));
}

/** A logger that writes nothing (tests, tools). */
export const silentLogger: Logger = pino({ level: 'silent' });
