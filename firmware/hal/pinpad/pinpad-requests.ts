// Checks PinRequest / InitialKey arguments and turns them into PIN pad protocol messages (pure; throws on bad input).
import type { InitialKey, PinRequest } from './pinpad';
import { MAX_AMOUNT_MINOR, keyShape, type PinPadMessage } from './pinpad-protocol';

export const DEFAULT_MIN_LENGTH = 4;
export const DEFAULT_MAX_LENGTH = 12;
export const DEFAULT_TIMEOUT_MS = 60000;
/** Largest timeout the 32-bit TIMEOUT field carries. */
export const MAX_TIMEOUT_MS = 0xffffffff;

const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** The PIN_ENTRY message for `req`. Throws TypeError naming the field and what was expected. */
export function pinEntryMessage(req: PinRequest, ref: number): Extract<PinPadMessage, { cmd: 'pinEntry' }> {
  if (!req || typeof req !== 'object') throw new TypeError('requestPin(): expected a PinRequest object');
  if (typeof req.pan !== 'string' || !/^\d{12,19}$/.test(req.pan)) throw new TypeError('requestPin(): pan must be 12-19 digits');
  if (typeof req.label !== 'string' || Buffer.byteLength(req.label, 'utf8') < 1 || Buffer.byteLength(req.label, 'utf8') > 64) {
    throw new TypeError('requestPin(): label must be a string of 1-64 UTF-8 bytes');
  }
  const minLength = req.minLength ?? DEFAULT_MIN_LENGTH;
  const maxLength = req.maxLength ?? DEFAULT_MAX_LENGTH;
  if (!isInt(minLength, 4, 12) || !isInt(maxLength, 4, 12) || minLength > maxLength) {
    throw new TypeError(`requestPin(): minLength/maxLength must be integers with 4 <= min <= max <= 12, got ${minLength}/${maxLength}`);
  }
  if (typeof req.allowBypass !== 'boolean') throw new TypeError('requestPin(): allowBypass must be a boolean');
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!isInt(timeoutMs, 1, MAX_TIMEOUT_MS)) throw new TypeError(`requestPin(): timeoutMs must be a positive integer, got ${timeoutMs}`);
  if (req.amount !== undefined) {
    if (!isInt(req.amount.minor, 0, MAX_AMOUNT_MINOR)) throw new TypeError(`requestPin(): amount.minor must be an integer 0-${MAX_AMOUNT_MINOR}`);
    if (typeof req.amount.currency !== 'string' || !/^[A-Z]{3}$/.test(req.amount.currency)) {
      throw new TypeError('requestPin(): amount.currency must be 3 upper-case letters (ISO 4217), e.g. "CNY"');
    }
  }
  return {
    cmd: 'pinEntry',
    ref,
    pan: req.pan,
    ...(req.amount ? { amount: { minor: req.amount.minor, currency: req.amount.currency } } : {}),
    label: req.label,
    minLength,
    maxLength,
    allowBypass: req.allowBypass,
    timeoutMs,
  };
}

/** The LOAD_KEY message for `key`. Throws TypeError when the scheme, key or KSN length does not fit. */
export function loadKeyMessage(key: InitialKey, ref: number): Extract<PinPadMessage, { cmd: 'loadKey' }> {
  if (!key || typeof key !== 'object') throw new TypeError('loadInitialKey(): expected an InitialKey object');
  if (key.scheme !== 'tdes' && key.scheme !== 'aes128' && key.scheme !== 'aes256') {
    throw new TypeError(`loadInitialKey(): scheme must be tdes, aes128 or aes256, got ${String(key.scheme)}`);
  }
  const shape = keyShape(key.scheme);
  if (!Buffer.isBuffer(key.initialKey) || key.initialKey.length !== shape.keyBytes) {
    throw new TypeError(`loadInitialKey(): a ${key.scheme} initial key must be a ${shape.keyBytes}-byte Buffer`);
  }
  if (!Buffer.isBuffer(key.ksn) || key.ksn.length !== shape.ksnBytes) {
    throw new TypeError(`loadInitialKey(): a ${key.scheme} KSN must be a ${shape.ksnBytes}-byte Buffer`);
  }
  return { cmd: 'loadKey', ref, scheme: key.scheme, initialKey: Buffer.from(key.initialKey), ksn: Buffer.from(key.ksn) };
}

/** Parses the board config's `emulate` / sim key section (hex strings) into an InitialKey. Throws TypeError on bad hex. */
export function initialKeyFromHex(section: { scheme: InitialKey['scheme']; initialKey: string; ksn: string }): InitialKey {
  const key = { scheme: section.scheme, initialKey: Buffer.from(section.initialKey, 'hex'), ksn: Buffer.from(section.ksn, 'hex') };
  loadKeyMessage(key, 0);
  return key;
}
