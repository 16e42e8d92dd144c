// EMV merchant-presented QR builder: a typed spec in, a payload with tags in ID order and a valid CRC out.
import { crc16Hex } from './crc16';
import { formatAmount } from './emvco-amount';
import { validateMerchantQr } from './emvco-parse';
import { ADDITIONAL_DATA, ADDITIONAL_DATA_IDS, LANGUAGE, rootDef, valueProblem, type AdditionalDataField, type DataObjectDef, type TemplateDef } from './emvco-tags';
import { QrError } from './errors';
import { encodeTlv } from './tlv';

/** A template with a Globally Unique Identifier in sub-ID 00 (merchant account 26-51, unreserved 80-99). */
export interface TemplateSpec {
  /** Two-digit ID: "26"-"51" for a merchant account, "80"-"99" for an unreserved template. */
  tag: string;
  /** Sub-ID 00: an AID, a UUID without hyphens or a reverse domain name (at most 32 characters). */
  guid: string;
  /** More sub-objects by two-digit ID ("01"-"99"), written in ID order. */
  fields?: Record<string, string>;
}

/** A merchant account template (26-51). */
export interface MerchantAccountSpec extends TemplateSpec {
  /** Written as sub-ID 01 (network specific; where UnionPay, SGQR and QRIS put the merchant ID). */
  merchantId?: string;
}

/** What the terminal puts in a merchant-presented QR. Named tag 62 fields (billNumber ...) sit at the top level. */
export interface MerchantQrSpec extends Partial<Record<AdditionalDataField, string>> {
  /** Tag 01: "static" (11, shown for many payments) or "dynamic" (12, one payment; needs an amount). */
  pointOfInitiation: 'static' | 'dynamic';
  merchantAccount: MerchantAccountSpec;
  /** More accounts (other wallets or networks), each its own tag 26-51. */
  additionalMerchantAccounts?: MerchantAccountSpec[];
  /** Tag 52: four-digit ISO 18245 merchant category code. */
  mcc: string;
  /** Tag 53: three-digit ISO 4217 numeric currency code, e.g. "156". */
  currencyNumeric: string;
  /** Tag 54 in minor units (2372 for 23.72); required for a dynamic QR. */
  amountMinor?: number;
  /** The currency's ISO 4217 minor unit (2 for CNY, 0 for JPY); required with `amountMinor`. */
  currencyDecimals?: number;
  /** Tag 58: ISO 3166-1 alpha-2, capitals. */
  countryCode: string;
  /** Tag 59: at most 25 printable ASCII characters (names in other scripts go in `alternateLanguage`). */
  merchantName: string;
  /** Tag 60: at most 15 printable ASCII characters. */
  merchantCity: string;
  /** Tag 61. */
  postalCode?: string;
  /** Tag 64: the merchant's name (and city) in another language, any script. */
  alternateLanguage?: { language: string; merchantName: string; merchantCity?: string };
  /** Tags 80-99. */
  unreservedTemplates?: TemplateSpec[];
}

const SPEC_KEYS = new Set<string>([
  'pointOfInitiation', 'merchantAccount', 'additionalMerchantAccounts', 'mcc', 'currencyNumeric', 'amountMinor', 'currencyDecimals',
  'countryCode', 'merchantName', 'merchantCity', 'postalCode', 'alternateLanguage', 'unreservedTemplates', ...Object.keys(ADDITIONAL_DATA_IDS),
]);

const spec = (problem: string, field?: string) => new QrError('invalid-spec', problem, { field });
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks one value against its data object definition; errors name the spec field and the tag. */
function checked(field: string, tag: string, d: DataObjectDef, value: unknown): string {
  if (typeof value !== 'string') throw spec(`expected a string, got ${value === null ? 'null' : typeof value}`, field);
  const bad = valueProblem(d, value);
  if (bad) throw new QrError(bad.code, `${d.name}: ${bad.problem}`, { field, tag });
  return value;
}

/** A template child: sub-ID, value, spec field; `required` children are checked even when undefined. */
type Child = [sub: string, value: unknown, field: string, required?: boolean];

/** Encodes a template's children in ID order and checks that the template fits in 99 characters. */
function template(field: string, tag: string, t: TemplateDef, children: Child[]): string {
  const text = children
    .filter(([, v, , required]) => v !== undefined || required === true)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([sub, v, f]) => encodeTlv(sub, checked(f, `${tag}.${sub}`, t.lookup(sub), v)))
    .join('');
  return checked(field, tag, rootDef(tag), text);
}

function guiTemplate(field: string, s: unknown, range: [number, number], extra: Record<string, unknown> = {}): [string, string] {
  if (!isRecord(s)) throw spec('expected an object { tag, guid, fields? }', field);
  const tag = s.tag;
  if (typeof tag !== 'string' || !/^[0-9]{2}$/.test(tag) || Number(tag) < range[0] || Number(tag) > range[1]) {
    throw spec(`expected a two-digit ID "${range[0]}"-"${range[1]}", got ${JSON.stringify(tag)}`, `${field}.tag`);
  }
  const fields = s.fields ?? {};
  if (!isRecord(fields)) throw spec('expected an object of two-digit IDs to strings', `${field}.fields`);
  const children: Child[] = [['00', s.guid, `${field}.guid`, true]];
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) children.push([k, v, `${field}.merchantId`]);
  for (const [sub, v] of Object.entries(fields)) {
    if (!/^[0-9]{2}$/.test(sub) || sub === '00' || children.some(([c]) => c === sub)) {
      throw spec(`expected two-digit IDs other than 00${extra['01'] !== undefined ? ' and 01 (merchantId)' : ''}, got ${JSON.stringify(sub)}`, `${field}.fields`);
    }
    children.push([sub, v, `${field}.fields.${sub}`]);
  }
  return [tag, template(field, tag, rootDef(tag).template as TemplateDef, children)];
}

function accounts(s: MerchantQrSpec): [string, string][] {
  const extra = s.additionalMerchantAccounts ?? [];
  if (!Array.isArray(extra)) throw spec('expected an array of merchant accounts', 'additionalMerchantAccounts');
  return [s.merchantAccount, ...extra].map((a, i) =>
    guiTemplate(i === 0 ? 'merchantAccount' : `additionalMerchantAccounts[${i - 1}]`, a, [26, 51], { '01': isRecord(a) ? a.merchantId : undefined }),
  );
}

function amount(s: MerchantQrSpec): [string, string][] {
  if (s.amountMinor === undefined) {
    if (s.pointOfInitiation === 'dynamic') throw spec('a dynamic QR is one payment of a known amount: expected amountMinor', 'amountMinor');
    return [];
  }
  if (s.currencyDecimals === undefined) throw spec('expected the currency decimals with amountMinor', 'currencyDecimals');
  return [['54', formatAmount(s.amountMinor, s.currencyDecimals)]];
}

function additionalData(s: MerchantQrSpec): [string, string][] {
  const children = (Object.entries(ADDITIONAL_DATA_IDS) as [AdditionalDataField, string][]).map(([name, id]): Child => [id, s[name], name]);
  if (children.every(([, v]) => v === undefined)) return [];
  return [['62', template('additional data', '62', ADDITIONAL_DATA, children)]];
}

function language(s: MerchantQrSpec): [string, string][] {
  const l: unknown = s.alternateLanguage;
  if (l === undefined) return [];
  if (!isRecord(l)) throw spec('expected an object { language, merchantName, merchantCity? }', 'alternateLanguage');
  const f = 'alternateLanguage';
  return [['64', template(f, '64', LANGUAGE, [['00', l.language, `${f}.language`, true], ['01', l.merchantName, `${f}.merchantName`, true], ['02', l.merchantCity, `${f}.merchantCity`]])]];
}

function unreserved(s: MerchantQrSpec): [string, string][] {
  const list = s.unreservedTemplates ?? [];
  if (!Array.isArray(list)) throw spec('expected an array of templates', 'unreservedTemplates');
  return list.map((t, i) => guiTemplate(`unreservedTemplates[${i}]`, t, [80, 99]));
}

function rootValue(s: MerchantQrSpec, field: keyof MerchantQrSpec, tag: string, optional = false): [string, string][] {
  if (optional && s[field] === undefined) return [];
  return [[tag, checked(field, tag, rootDef(tag), s[field])]];
}

function checkShape(s: unknown): asserts s is MerchantQrSpec {
  if (!isRecord(s)) throw spec('expected the spec as an object');
  const unknown = Object.keys(s).find((k) => !SPEC_KEYS.has(k));
  if (unknown !== undefined) throw spec(`unknown field; expected one of ${[...SPEC_KEYS].join(', ')}`, unknown);
  if (s.pointOfInitiation !== 'static' && s.pointOfInitiation !== 'dynamic') {
    throw spec(`expected "static" or "dynamic", got ${JSON.stringify(s.pointOfInitiation)}`, 'pointOfInitiation');
  }
}

/**
 * Builds a merchant-presented QR payload: data objects in ID order, tag 00 first, tag 63 last with the
 * CRC-16/CCITT-FALSE over everything before it including "6304". The result is parsed back as a self-check.
 * @throws QrError with `field` naming the spec field: `invalid-spec` (missing, wrong type, unknown key, dynamic
 *   without amount, duplicate template ID), `too-long`, `wrong-length` or `bad-value` per the spec's limits.
 */
export function buildMerchantQr(s: MerchantQrSpec): string {
  checkShape(s);
  const objects: [string, string][] = [
    ['00', '01'],
    ['01', s.pointOfInitiation === 'static' ? '11' : '12'],
    ...accounts(s),
    ...rootValue(s, 'mcc', '52'),
    ...rootValue(s, 'currencyNumeric', '53'),
    ...amount(s),
    ...rootValue(s, 'countryCode', '58'),
    ...rootValue(s, 'merchantName', '59'),
    ...rootValue(s, 'merchantCity', '60'),
    ...rootValue(s, 'postalCode', '61', true),
    ...additionalData(s),
    ...language(s),
    ...unreserved(s),
  ].sort(([a], [b]) => a.localeCompare(b)) as [string, string][];
  const dup = objects.find(([tag], i) => i > 0 && objects[i - 1]?.[0] === tag);
  if (dup) throw spec(`two templates use ID ${dup[0]}`, Number(dup[0]) >= 80 ? 'unreservedTemplates' : 'additionalMerchantAccounts');
  const body = objects.map(([tag, value]) => encodeTlv(tag, value)).join('') + '6304';
  const payload = body + crc16Hex(body);
  validateMerchantQr(payload);
  return payload;
}
