// PIN pad messages (pure): CMD | REF | TLV fields for PIN entry, key loading, status, echo and errors.
import { FieldReader, ProtocolViolation, Tag, encodeTlvs, text, u8, uintBE, type Tlv } from './pinpad-protocol-tlv';

export { ProtocolViolation, Tag } from './pinpad-protocol-tlv';

/** Command bytes. Requests go terminal → pad; replies pad → terminal and echo the request's REF. */
export const Cmd = {
  PIN_ENTRY: 0x10,
  PIN_RESULT: 0x11,
  PIN_CANCEL: 0x12,
  LOAD_KEY: 0x20,
  KEY_LOADED: 0x21,
  STATUS: 0x30,
  STATUS_REPLY: 0x31,
  ECHO: 0x32,
  ECHO_REPLY: 0x33,
  ERROR: 0x7f,
} as const;

/** ERROR reply codes. */
export const PadErrorCode = {
  UNKNOWN_COMMAND: 0x01,
  BAD_FIELD: 0x02,
  BUSY: 0x03,
  NO_KEY: 0x04,
  KEY_EXHAUSTED: 0x05,
  BAD_KEY: 0x06,
  INTERNAL: 0x7f,
} as const;

export type PinStatus = 'pin' | 'bypass' | 'cancelled' | 'timeout';
export type KeyScheme = 'tdes' | 'aes128' | 'aes256';
export type PadState = 'idle' | 'prompting';

const STATUSES: readonly PinStatus[] = ['pin', 'bypass', 'cancelled', 'timeout'];
const SCHEMES: readonly KeyScheme[] = ['tdes', 'aes128', 'aes256'];
const STATES: readonly PadState[] = ['idle', 'prompting'];

/** Largest value the 48-bit AMOUNT field holds. */
export const MAX_AMOUNT_MINOR = 2 ** 48 - 1;
/** REF 0 in PIN_CANCEL means "whatever entry is in progress"; requests use 1-65535. */
export const ANY_REF = 0;

export type PinPadMessage =
  | {
      cmd: 'pinEntry';
      ref: number;
      pan: string;
      amount?: { minor: number; currency: string };
      label: string;
      minLength: number;
      maxLength: number;
      allowBypass: boolean;
      timeoutMs: number;
    }
  | { cmd: 'pinResult'; ref: number; status: Exclude<PinStatus, 'pin'> }
  | { cmd: 'pinResult'; ref: number; status: 'pin'; format: 0 | 4; pinBlock: Buffer; ksn: Buffer }
  | { cmd: 'pinCancel'; ref: number }
  | { cmd: 'loadKey'; ref: number; scheme: KeyScheme; initialKey: Buffer; ksn: Buffer }
  | { cmd: 'keyLoaded'; ref: number; ksn: Buffer }
  | { cmd: 'status'; ref: number }
  | { cmd: 'statusReply'; ref: number; state: PadState; scheme: KeyScheme; ksn: Buffer; version: string }
  | { cmd: 'echo'; ref: number; data: Buffer }
  | { cmd: 'echoReply'; ref: number; data: Buffer }
  | { cmd: 'error'; ref: number; code: number; text: string };

export type PinPadMessageName = PinPadMessage['cmd'];

const CMD_BY_NAME: Record<PinPadMessageName, number> = {
  pinEntry: Cmd.PIN_ENTRY,
  pinResult: Cmd.PIN_RESULT,
  pinCancel: Cmd.PIN_CANCEL,
  loadKey: Cmd.LOAD_KEY,
  keyLoaded: Cmd.KEY_LOADED,
  status: Cmd.STATUS,
  statusReply: Cmd.STATUS_REPLY,
  echo: Cmd.ECHO,
  echoReply: Cmd.ECHO_REPLY,
  error: Cmd.ERROR,
};
const NAME_BY_CMD = new Map(Object.entries(CMD_BY_NAME).map(([k, v]) => [v, k as PinPadMessageName]));

const KSN_LENGTHS = [10, 12];
const KEY_LENGTH: Record<KeyScheme, number> = { tdes: 16, aes128: 16, aes256: 32 };
const KSN_LENGTH: Record<KeyScheme, number> = { tdes: 10, aes128: 12, aes256: 12 };

/** Key and KSN lengths a scheme requires: 16/10 bytes TDES, 16/12 AES-128, 32/12 AES-256. */
export function keyShape(scheme: KeyScheme): { keyBytes: number; ksnBytes: number } {
  return { keyBytes: KEY_LENGTH[scheme], ksnBytes: KSN_LENGTH[scheme] };
}

function fieldsOf(m: PinPadMessage): Tlv[] {
  switch (m.cmd) {
    case 'pinEntry': {
      const f: Tlv[] = [text(Tag.PAN, m.pan)];
      if (m.amount) f.push(uintBE(Tag.AMOUNT, m.amount.minor, 6), text(Tag.CURRENCY, m.amount.currency));
      f.push(
        text(Tag.LABEL, m.label, 'utf8'),
        u8(Tag.MIN_LENGTH, m.minLength),
        u8(Tag.MAX_LENGTH, m.maxLength),
        u8(Tag.ALLOW_BYPASS, m.allowBypass ? 1 : 0),
        uintBE(Tag.TIMEOUT, m.timeoutMs, 4),
      );
      return f;
    }
    case 'pinResult': {
      const f: Tlv[] = [u8(Tag.STATUS, STATUSES.indexOf(m.status))];
      if (m.status === 'pin') f.push(u8(Tag.FORMAT, m.format), { tag: Tag.PIN_BLOCK, value: m.pinBlock }, { tag: Tag.KSN, value: m.ksn });
      return f;
    }
    case 'loadKey':
      return [u8(Tag.SCHEME, SCHEMES.indexOf(m.scheme)), { tag: Tag.INITIAL_KEY, value: m.initialKey }, { tag: Tag.KSN, value: m.ksn }];
    case 'keyLoaded':
      return [{ tag: Tag.KSN, value: m.ksn }];
    case 'statusReply':
      return [u8(Tag.STATE, STATES.indexOf(m.state)), u8(Tag.SCHEME, SCHEMES.indexOf(m.scheme)), { tag: Tag.KSN, value: m.ksn }, text(Tag.VERSION, m.version)];
    case 'echo':
    case 'echoReply':
      return [{ tag: Tag.ECHO_DATA, value: m.data }];
    case 'error':
      return [u8(Tag.ERROR_CODE, m.code), text(Tag.ERROR_TEXT, m.text)];
    case 'pinCancel':
    case 'status':
      return [];
  }
}

/** Message body (the frame payload after SEQ): CMD(1) | REF(2, big-endian) | TLV fields. Throws RangeError on a bad REF or field. */
export function encodeMessage(m: PinPadMessage): Buffer {
  if (!Number.isInteger(m.ref) || m.ref < 0 || m.ref > 0xffff) throw new RangeError(`REF must be 0-65535, got ${m.ref}`);
  const head = Buffer.from([CMD_BY_NAME[m.cmd], m.ref >> 8, m.ref & 0xff]);
  return Buffer.concat([head, encodeTlvs(fieldsOf(m))]);
}

/** Decodes a message body. Unknown tags are ignored; throws ProtocolViolation (with `ref` when readable) otherwise. */
export function decodeMessage(body: Buffer): PinPadMessage {
  if (body.length < 3) throw new ProtocolViolation(`message body must be at least 3 bytes, got ${body.length}`);
  const cmdByte = body[0];
  const ref = body.readUInt16BE(1);
  const name = NAME_BY_CMD.get(cmdByte);
  if (!name) throw new ProtocolViolation(`unknown command 0x${cmdByte.toString(16).padStart(2, '0')}`, ref, cmdByte);
  const r = new FieldReader(body.subarray(3), ref, cmdByte);
  switch (name) {
    case 'pinEntry': {
      const minLength = r.uint(Tag.MIN_LENGTH, 'min length', 1);
      const maxLength = r.uint(Tag.MAX_LENGTH, 'max length', 1);
      if (minLength < 4 || maxLength > 12 || minLength > maxLength) r.fail(`PIN length range ${minLength}-${maxLength} is outside 4-12`);
      const bypass = r.uint(Tag.ALLOW_BYPASS, 'allow bypass', 1);
      if (bypass > 1) r.fail('allow bypass must be 0 or 1');
      const hasAmount = r.has(Tag.AMOUNT) || r.has(Tag.CURRENCY);
      return {
        cmd: name,
        ref,
        pan: r.ascii(Tag.PAN, 'PAN', /^\d{12,19}$/),
        ...(hasAmount
          ? { amount: { minor: r.uint(Tag.AMOUNT, 'amount', 6), currency: r.ascii(Tag.CURRENCY, 'currency', /^[A-Z]{3}$/) } }
          : {}),
        label: r.utf8(Tag.LABEL, 'label', 64),
        minLength,
        maxLength,
        allowBypass: bypass === 1,
        timeoutMs: r.uint(Tag.TIMEOUT, 'timeout', 4),
      };
    }
    case 'pinResult': {
      const status = r.code(Tag.STATUS, 'status', STATUSES);
      if (status !== 'pin') return { cmd: name, ref, status };
      const fmt = r.uint(Tag.FORMAT, 'format', 1);
      const format = fmt === 0 ? 0 : fmt === 4 ? 4 : r.fail(`PIN block format ${fmt} is not 0 or 4`);
      const pinBlock = r.bytes(Tag.PIN_BLOCK, 'PIN block', [format === 0 ? 8 : 16]);
      return { cmd: name, ref, status, format, pinBlock, ksn: r.bytes(Tag.KSN, 'KSN', KSN_LENGTHS) };
    }
    case 'loadKey': {
      const scheme = r.code(Tag.SCHEME, 'scheme', SCHEMES);
      const shape = keyShape(scheme);
      return { cmd: name, ref, scheme, initialKey: r.bytes(Tag.INITIAL_KEY, 'initial key', [shape.keyBytes]), ksn: r.bytes(Tag.KSN, 'KSN', [shape.ksnBytes]) };
    }
    case 'keyLoaded':
      return { cmd: name, ref, ksn: r.bytes(Tag.KSN, 'KSN', KSN_LENGTHS) };
    case 'statusReply':
      return {
        cmd: name,
        ref,
        state: r.code(Tag.STATE, 'state', STATES),
        scheme: r.code(Tag.SCHEME, 'scheme', SCHEMES),
        ksn: r.bytes(Tag.KSN, 'KSN', KSN_LENGTHS),
        version: r.ascii(Tag.VERSION, 'version', /^[\x20-\x7e]{0,64}$/),
      };
    case 'echo':
    case 'echoReply':
      return { cmd: name, ref, data: r.bytes(Tag.ECHO_DATA, 'echo data') };
    case 'error':
      return { cmd: name, ref, code: r.uint(Tag.ERROR_CODE, 'error code', 1), text: r.has(Tag.ERROR_TEXT) ? r.bytes(Tag.ERROR_TEXT, 'error text').toString('latin1') : '' };
    case 'pinCancel':
    case 'status':
      return { cmd: name, ref };
  }
}

/** Frame payload = SEQ(1) | message body. */
export function withSeq(seq: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([seq & 0xff]), body]);
}
