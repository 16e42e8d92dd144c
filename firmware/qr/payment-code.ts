// Customer payment codes (付款码, B扫C): sanitise the decoded scan, classify the wallet by prefix and length, mask it.

/** Wallets whose payment codes the terminal accepts. */
export type Wallet = 'wechat' | 'alipay' | 'unionpay';

/** Why a scan was refused as a payment code. */
export type PaymentCodeErrorCode =
  | 'overlong' // more characters than the configured maximum
  | 'prefix-missing' // a prefix is configured and the scan does not start with it
  | 'suffix-missing' // a suffix is configured and the scan does not end with it
  | 'empty' // nothing left after the prefix and suffix
  | 'control-character' // C0, DEL or C1 control characters
  | 'non-ascii' // a character above 0x7E
  | 'not-digits' // printable, but a payment code is digits only
  | 'unknown-prefix' // no wallet issues codes starting with these two digits
  | 'wrong-length'; // a wallet's prefix with a length that wallet does not use

/**
 * A scan that is not an acceptable payment code. The message says what was wrong and never contains the code
 * (at most its first two digits, which name the wallet), so it is safe to log and to show.
 */
export class PaymentCodeError extends Error {
  override readonly name = 'PaymentCodeError';
  constructor(
    readonly code: PaymentCodeErrorCode,
    message: string,
    /** Character offset in the input where the problem is, when there is one. */
    readonly position?: number,
  ) {
    super(message);
  }
}

/** How the scan head frames codes at this layer (after the driver's own framing), and the longest input accepted. */
export interface ScanSanitizeOptions {
  /** Text the head sends before each code; required when set. Default none. */
  prefix?: string;
  /** Text the head sends after each code; required when set. Default none. */
  suffix?: string;
  /** Longest input accepted, prefix and suffix included. Default {@link DEFAULT_MAX_SCAN_LENGTH}. */
  maxLength?: number;
}

/** Default input bound: the longest payment code (24 digits) with room for a prefix and suffix. */
export const DEFAULT_MAX_SCAN_LENGTH = 64;

const hex = (c: number, width: number) => c.toString(16).toUpperCase().padStart(width, '0');

function checkOptions(o: ScanSanitizeOptions): Required<ScanSanitizeOptions> {
  const { prefix = '', suffix = '', maxLength = DEFAULT_MAX_SCAN_LENGTH } = o;
  if (typeof prefix !== 'string' || typeof suffix !== 'string') throw new TypeError('sanitizeScan: expected prefix and suffix to be strings');
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > 8192) throw new RangeError(`sanitizeScan: expected maxLength to be an integer 1-8192, got ${maxLength}`);
  return { prefix, suffix, maxLength };
}

/**
 * Turns what the scan head decoded into the bare code: checks the length bound, strips the configured prefix
 * and suffix, then refuses control characters and anything outside printable ASCII. The HAL drivers already
 * frame the byte stream (serial prefix/suffix, AIM ids, UTF-8, their own length bound); this is the payment
 * layer's stricter rule for input from any source (scan head, `/sim/scan`, an ECR).
 * @throws PaymentCodeError `overlong`, `prefix-missing`, `suffix-missing`, `empty`, `control-character` or `non-ascii`.
 * @throws TypeError/RangeError for a non-string input or bad options (a programming error).
 */
export function sanitizeScan(raw: string, options: ScanSanitizeOptions = {}): string {
  if (typeof raw !== 'string') throw new TypeError(`sanitizeScan: expected a string, got ${typeof raw}`);
  const { prefix, suffix, maxLength } = checkOptions(options);
  if (raw.length > maxLength) throw new PaymentCodeError('overlong', `scan of ${raw.length} characters exceeds the maximum ${maxLength}`);
  if (!raw.startsWith(prefix)) throw new PaymentCodeError('prefix-missing', 'scan does not start with the configured prefix', 0);
  if (!raw.slice(prefix.length).endsWith(suffix)) throw new PaymentCodeError('suffix-missing', 'scan does not end with the configured suffix');
  const code = raw.slice(prefix.length, raw.length - suffix.length);
  if (code.length === 0) throw new PaymentCodeError('empty', 'scan holds no code');
  let at = prefix.length;
  for (const ch of code) {
    const c = ch.codePointAt(0) as number;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) throw new PaymentCodeError('control-character', `control character 0x${hex(c, 2)} at position ${at}`, at);
    if (c > 0x7e) throw new PaymentCodeError('non-ascii', `non-ASCII character U+${hex(c, 4)} at position ${at}`, at);
    at += ch.length;
  }
  return code;
}

/** Each wallet's code: the range of its first two digits and its lengths in digits. */
const WALLET_RULES: readonly { wallet: Wallet; name: string; first: [number, number]; lengths: [number, number] }[] = [
  { wallet: 'wechat', name: 'WeChat Pay', first: [10, 15], lengths: [18, 18] },
  { wallet: 'alipay', name: 'Alipay', first: [25, 30], lengths: [16, 24] },
  { wallet: 'unionpay', name: 'UnionPay', first: [62, 62], lengths: [19, 19] },
];

/** A classified payment code. */
export interface PaymentCode {
  wallet: Wallet;
  /** The digits, for the host message only: never log, print or show it; use `masked`. */
  code: string;
  /** First 4 / last 4 digits, for receipts, the display and logs. */
  masked: string;
}

/**
 * Classifies a bare code by wallet: WeChat Pay 18 digits starting 10-15, Alipay 16-24 digits starting 25-30,
 * UnionPay QR 19 digits starting 62. Anything else is refused.
 * @throws PaymentCodeError `not-digits`, `unknown-prefix` or `wrong-length`.
 */
export function classifyPaymentCode(code: string): PaymentCode {
  const bad = code.search(/[^0-9]/);
  if (bad >= 0) throw new PaymentCodeError('not-digits', `expected a payment code of digits only, got ${JSON.stringify(code[bad])} at position ${bad}`, bad);
  const first = Number(code.slice(0, 2));
  const rule = code.length >= 2 ? WALLET_RULES.find((r) => first >= r.first[0] && first <= r.first[1]) : undefined;
  if (!rule) throw new PaymentCodeError('unknown-prefix', `no wallet issues payment codes starting ${JSON.stringify(code.slice(0, 2))}; accepted: WeChat Pay 10-15, Alipay 25-30, UnionPay 62`);
  const [min, max] = rule.lengths;
  if (code.length < min || code.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    throw new PaymentCodeError('wrong-length', `a code starting ${code.slice(0, 2)} is ${rule.name}, which has ${want} digits; got ${code.length}`);
  }
  return { wallet: rule.wallet, code, masked: maskPaymentCode(code) };
}

/** First 4 and last 4 characters with the rest as "*"; a code of 8 characters or fewer is masked entirely. */
export function maskPaymentCode(code: string): string {
  if (code.length <= 8) return '*'.repeat(code.length);
  return code.slice(0, 4) + '*'.repeat(code.length - 8) + code.slice(-4);
}

/** The outcome of reading one scan as a payment code; a refusal carries the reason for the rescan prompt. */
export type PaymentCodeResult = { ok: true; paymentCode: PaymentCode } | { ok: false; error: PaymentCodeError };

/**
 * Sanitises and classifies one scan without throwing for bad input: what a B扫C flow calls on each scan event.
 * @throws TypeError/RangeError only for a non-string input or bad options.
 */
export function readPaymentCode(raw: string, options: ScanSanitizeOptions = {}): PaymentCodeResult {
  try {
    return { ok: true, paymentCode: classifyPaymentCode(sanitizeScan(raw, options)) };
  } catch (err) {
    if (err instanceof PaymentCodeError) return { ok: false, error: err };
    throw err;
  }
}
