// Typed view of a validated merchant-presented QR: the fields a transaction flow reads, by name.
import { ADDITIONAL_DATA_IDS, isMerchantAccountTag, type AdditionalDataField } from './emvco-tags';
import type { QrDataObject } from './emvco-parse';

/** A merchant account: primitive (02-25, `value` only) or template (26-51, with `guid` and `fields`). */
export interface MerchantAccountInfo {
  tag: string;
  /** The value as written; for a template, its raw text. */
  value: string;
  /** Template only: sub-ID 00. */
  guid?: string;
  /** Template only: every sub-object by ID, "00" included. Empty for a primitive account. */
  fields: Record<string, string>;
}

/** Tag 62 by name; `fields` holds every sub-object by ID (named ones too, templates 50-99 as raw text). */
export type AdditionalData = Partial<Record<AdditionalDataField, string>> & { fields: Record<string, string> };

/** Tag 64. */
export interface AlternateLanguage {
  /** ISO 639-1 code as written, e.g. "ZH". */
  language: string;
  merchantName: string;
  merchantCity?: string;
}

/** A template 80-99. */
export interface UnreservedTemplate {
  tag: string;
  guid: string;
  /** Every sub-object by ID, "00" included. */
  fields: Record<string, string>;
}

/** A valid EMV merchant-presented QR, decoded. Amounts stay text as written; convert with `amountToMinor`. */
export interface MerchantQr {
  payload: string;
  /** Tag 01: "11" static, "12" dynamic; undefined when absent (it is optional). */
  pointOfInitiation?: 'static' | 'dynamic';
  /** Tags 02-51 in payload order; at least one. */
  merchantAccounts: MerchantAccountInfo[];
  /** Tag 52 (ISO 18245). */
  mcc: string;
  /** Tag 53 (ISO 4217 numeric, e.g. "156"). */
  currencyNumeric: string;
  /** Tag 54 as written, e.g. "23.72". */
  amount?: string;
  /** Tag 55: "01" prompt for a tip, "02" fixed fee (tag 56), "03" percentage fee (tag 57). */
  tipIndicator?: 'prompt' | 'fixed' | 'percentage';
  convenienceFeeFixed?: string;
  convenienceFeePercentage?: string;
  /** Tag 58 (ISO 3166-1 alpha-2). */
  countryCode: string;
  merchantName: string;
  merchantCity: string;
  postalCode?: string;
  additionalData?: AdditionalData;
  alternateLanguage?: AlternateLanguage;
  unreservedTemplates: UnreservedTemplate[];
  /** Tag 63, four upper-case hex digits (already checked). */
  crc: string;
  /** Every data object, templates decoded: what `posfw qr decode` prints. */
  objects: QrDataObject[];
}

const TIP = { '01': 'prompt', '02': 'fixed', '03': 'percentage' } as const;

function fieldsOf(o: QrDataObject | undefined): Record<string, string> {
  return Object.fromEntries((o?.children ?? []).map((c) => [c.tag, c.value]));
}

function additionalData(o: QrDataObject): AdditionalData {
  const fields = fieldsOf(o);
  const named: Partial<Record<AdditionalDataField, string>> = {};
  for (const [name, id] of Object.entries(ADDITIONAL_DATA_IDS) as [AdditionalDataField, string][]) {
    const v = fields[id];
    if (v !== undefined) named[name] = v;
  }
  return { ...named, fields };
}

/** Removes the keys whose value is undefined, so views compare and print cleanly. */
function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** Builds the typed view of objects that `validateMerchantQr` accepted (mandatory tags are known to be present). */
export function merchantQrView(payload: string, objects: QrDataObject[]): MerchantQr {
  const byTag = new Map(objects.map((o) => [o.tag, o]));
  const value = (tag: string) => byTag.get(tag)?.value;
  const lang = byTag.get('64');
  const langFields = fieldsOf(lang);
  const poi = value('01');
  const tip = value('55') as keyof typeof TIP | undefined;
  return compact<MerchantQr>({
    payload,
    pointOfInitiation: poi === undefined ? undefined : poi === '11' ? 'static' : 'dynamic',
    merchantAccounts: objects
      .filter((o) => isMerchantAccountTag(o.tag))
      .map((o) => compact({ tag: o.tag, value: o.value, guid: o.children ? fieldsOf(o)['00'] : undefined, fields: fieldsOf(o) })),
    mcc: value('52') as string,
    currencyNumeric: value('53') as string,
    amount: value('54'),
    tipIndicator: tip === undefined ? undefined : TIP[tip],
    convenienceFeeFixed: value('56'),
    convenienceFeePercentage: value('57'),
    countryCode: value('58') as string,
    merchantName: value('59') as string,
    merchantCity: value('60') as string,
    postalCode: value('61'),
    additionalData: byTag.has('62') ? additionalData(byTag.get('62') as QrDataObject) : undefined,
    alternateLanguage: lang ? compact({ language: langFields['00'] as string, merchantName: langFields['01'] as string, merchantCity: langFields['02'] }) : undefined,
    unreservedTemplates: objects.filter((o) => Number(o.tag) >= 80).map((o) => ({ tag: o.tag, guid: fieldsOf(o)['00'] as string, fields: fieldsOf(o) })),
    crc: value('63') as string,
    objects,
  });
}
