// EMV QRCPS merchant-presented mode data dictionary: name, format, length limits and nesting of every ID.
import { charLength } from './tlv';

/** N digits, ans printable ASCII 0x20-0x7E, S any Unicode text (control characters are refused everywhere). */
export type QrFormat = 'N' | 'ans' | 'S';

/** What the spec says about one data object ID in one place (root or a template). */
export interface DataObjectDef {
  name: string;
  format: QrFormat;
  /** Shortest value in characters; equals `max` for fixed-length objects. */
  min: number;
  /** Longest value in characters. */
  max: number;
  /** Present when the value is itself a list of data objects. */
  template?: TemplateDef;
  /** Extra rule on the value; returns the problem ("expected ..., got ...") or undefined. */
  check?: (value: string) => string | undefined;
}

/** The data objects a template may hold and which of them it must hold. */
export interface TemplateDef {
  lookup(tag: string): DataObjectDef;
  required: readonly string[];
}

const def = (name: string, format: QrFormat, min: number, max: number, more: Partial<DataObjectDef> = {}): DataObjectDef => ({ name, format, min, max, ...more });
const oneOf = (allowed: readonly string[], what: string) => (v: string) => (allowed.includes(v) ? undefined : `expected ${what}, got ${JSON.stringify(v)}`);

/** Amount rule (tags 54 and 56): digits with at most one "." as decimal mark, no separators, not zero. */
export function amountProblem(v: string): string | undefined {
  if (!/^[0-9]+(\.[0-9]*)?$/.test(v)) return `expected an amount of digits with an optional "." decimal mark, got ${JSON.stringify(v)}`;
  if (!/[1-9]/.test(v)) return `expected an amount other than zero, got ${JSON.stringify(v)}`;
  return undefined;
}

function percentageProblem(v: string): string | undefined {
  if (!/^[0-9]+(\.[0-9]*)?$/.test(v) || Number(v) <= 0 || Number(v) >= 100) return `expected a percentage between 00.01 and 99.99, got ${JSON.stringify(v)}`;
  return undefined;
}

function consumerDataRequestProblem(v: string): string | undefined {
  if (!/^[AME]{1,3}$/.test(v) || new Set(v).size !== charLength(v)) return `expected one to three of A, M, E, each at most once, got ${JSON.stringify(v)}`;
  return undefined;
}

const GUI = def('Globally Unique Identifier', 'ans', 1, 32);

/** A template whose 00 is a GUI and whose 01-99 are opaque values named `rest`. */
function guiTemplate(rest: DataObjectDef): TemplateDef {
  return { lookup: (tag) => (tag === '00' ? GUI : rest), required: ['00'] };
}

const MERCHANT_ACCOUNT = guiTemplate(def('Payment network specific', 'ans', 1, 99));
const UNRESERVED = guiTemplate(def('Context specific data', 'S', 1, 99));
const PAYMENT_SYSTEM = guiTemplate(def('Payment system specific', 'S', 1, 99));

const ADDITIONAL_BY_ID: Record<string, DataObjectDef> = {
  '01': def('Bill Number', 'ans', 1, 25),
  '02': def('Mobile Number', 'ans', 1, 25),
  '03': def('Store Label', 'ans', 1, 25),
  '04': def('Loyalty Number', 'ans', 1, 25),
  '05': def('Reference Label', 'ans', 1, 25),
  '06': def('Customer Label', 'ans', 1, 25),
  '07': def('Terminal Label', 'ans', 1, 25),
  '08': def('Purpose of Transaction', 'ans', 1, 25),
  '09': def('Additional Consumer Data Request', 'ans', 1, 3, { check: consumerDataRequestProblem }),
  '10': def('Merchant Tax ID', 'ans', 1, 20),
  '11': def('Merchant Channel', 'ans', 3, 3),
};

/** Tag 62 sub-IDs by the field names of the builder spec and of the parsed view. */
export const ADDITIONAL_DATA_IDS = {
  billNumber: '01',
  mobileNumber: '02',
  storeLabel: '03',
  loyaltyNumber: '04',
  referenceLabel: '05',
  customerLabel: '06',
  terminalLabel: '07',
  purposeOfTransaction: '08',
  consumerDataRequest: '09',
  merchantTaxId: '10',
  merchantChannel: '11',
} as const;

/** A named tag 62 field. */
export type AdditionalDataField = keyof typeof ADDITIONAL_DATA_IDS;

/** Tag 62 contents. */
export const ADDITIONAL_DATA: TemplateDef = {
  lookup: (tag) =>
    ADDITIONAL_BY_ID[tag] ??
    (Number(tag) >= 50 ? def('Payment System specific template', 'S', 1, 99, { template: PAYMENT_SYSTEM }) : def('RFU for EMVCo', 'S', 1, 99)),
  required: [],
};

/** Tag 64 contents. */
export const LANGUAGE: TemplateDef = {
  lookup: (tag) =>
    ({
      '00': def('Language Preference', 'ans', 2, 2, { check: (v: string) => (/^[A-Za-z]{2}$/.test(v) ? undefined : `expected an ISO 639-1 two-letter code, got ${JSON.stringify(v)}`) }),
      '01': def('Merchant Name - Alternate Language', 'S', 1, 25),
      '02': def('Merchant City - Alternate Language', 'S', 1, 15),
    })[tag] ?? def('RFU for EMVCo', 'S', 1, 99),
  required: ['00', '01'],
};

/** Payment networks holding the primitive merchant account IDs 02-25. */
const NETWORK_RANGES: readonly [number, number, string][] = [
  [2, 3, 'Visa'], [4, 5, 'Mastercard'], [6, 8, 'EMVCo'], [9, 10, 'Discover'], [11, 12, 'Amex'], [13, 14, 'JCB'], [15, 16, 'UnionPay'], [17, 25, 'EMVCo'],
];

const ROOT_BY_ID: Record<string, DataObjectDef> = {
  '00': def('Payload Format Indicator', 'N', 2, 2, { check: oneOf(['01'], '"01"') }),
  '01': def('Point of Initiation Method', 'N', 2, 2, { check: oneOf(['11', '12'], '"11" (static) or "12" (dynamic)') }),
  '52': def('Merchant Category Code', 'N', 4, 4),
  '53': def('Transaction Currency', 'N', 3, 3),
  '54': def('Transaction Amount', 'ans', 1, 13, { check: amountProblem }),
  '55': def('Tip or Convenience Indicator', 'N', 2, 2, { check: oneOf(['01', '02', '03'], '"01", "02" or "03"') }),
  '56': def('Value of Convenience Fee Fixed', 'ans', 1, 13, { check: amountProblem }),
  '57': def('Value of Convenience Fee Percentage', 'ans', 1, 5, { check: percentageProblem }),
  '58': def('Country Code', 'ans', 2, 2, { check: (v) => (/^[A-Z]{2}$/.test(v) ? undefined : `expected an ISO 3166-1 alpha-2 code (two capital letters), got ${JSON.stringify(v)}`) }),
  '59': def('Merchant Name', 'ans', 1, 25),
  '60': def('Merchant City', 'ans', 1, 15),
  '61': def('Postal Code', 'ans', 1, 10),
  '62': def('Additional Data Field Template', 'S', 1, 99, { template: ADDITIONAL_DATA }),
  '63': def('CRC', 'ans', 4, 4),
  '64': def('Merchant Information - Language Template', 'S', 1, 99, { template: LANGUAGE }),
};

/** The definition of a root data object ID ("00"-"99"). */
export function rootDef(tag: string): DataObjectDef {
  const n = Number(tag);
  const network = NETWORK_RANGES.find(([lo, hi]) => n >= lo && n <= hi);
  if (network) return def(`Merchant Account Information (${network[2]})`, 'ans', 1, 99);
  if (n >= 26 && n <= 51) return def('Merchant Account Information', 'ans', 1, 99, { template: MERCHANT_ACCOUNT });
  if (n >= 80) return def('Unreserved Template', 'S', 1, 99, { template: UNRESERVED });
  return ROOT_BY_ID[tag] ?? def('RFU for EMVCo', 'S', 1, 99);
}

/** Root IDs every payload must carry (besides at least one merchant account, 02-51). */
export const ROOT_REQUIRED: readonly string[] = ['00', '52', '53', '58', '59', '60', '63'];

/** True for the merchant account IDs 02-51 (primitive 02-25, templates 26-51). */
export function isMerchantAccountTag(tag: string): boolean {
  const n = Number(tag);
  return n >= 2 && n <= 51;
}

/**
 * Checks one value against its definition: length limits, character format and the extra rule.
 * Templates are checked through their children, so only their length is checked here.
 * @returns the error code and problem, or undefined when the value is valid.
 */
export function valueProblem(d: DataObjectDef, value: string): { code: 'too-long' | 'wrong-length' | 'bad-value'; problem: string } | undefined {
  const length = charLength(value);
  if (d.min === d.max && length !== d.min) return { code: 'wrong-length', problem: `expected exactly ${d.min} characters, got ${length}` };
  if (length > d.max) return { code: 'too-long', problem: `value of ${length} characters exceeds the maximum ${d.max}` };
  if (d.template) return undefined;
  const bad = formatProblem(d.format, value);
  if (bad) return { code: 'bad-value', problem: bad };
  const extra = d.check?.(value);
  return extra ? { code: 'bad-value', problem: extra } : undefined;
}

function formatProblem(format: QrFormat, value: string): string | undefined {
  let i = 0;
  for (const ch of value) {
    const cp = ch.codePointAt(0) as number;
    if (format === 'N' && !(cp >= 0x30 && cp <= 0x39)) return `expected digits (format N), got ${showChar(ch)} at character ${i}`;
    if (format === 'ans' && !(cp >= 0x20 && cp <= 0x7e)) return `expected printable ASCII (format ans), got ${showChar(ch)} at character ${i}`;
    i++;
  }
  return undefined;
}

/** A character for an error message: printable ASCII quoted, anything else as U+XXXX. */
export function showChar(ch: string): string {
  const cp = ch.codePointAt(0) as number;
  return cp >= 0x20 && cp <= 0x7e ? JSON.stringify(ch) : `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}
