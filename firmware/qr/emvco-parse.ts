// EMV merchant-presented QR decoder: payload text to nested data objects, then every rule of the spec checked.
import { crc16Hex } from './crc16';
import { QrError } from './errors';
import { isMerchantAccountTag, rootDef, ROOT_REQUIRED, showChar, valueProblem, type TemplateDef } from './emvco-tags';
import { readTlvs, tagPath } from './tlv';

/** One decoded data object; templates (26-51, 62, 64, 80-99, and 50-99 inside 62) carry their children. */
export interface QrDataObject {
  /** Two-digit ID within its template, e.g. "07". */
  tag: string;
  /** Full path, e.g. "62.07". */
  path: string;
  /** Name from the EMV QRCPS data dictionary. */
  name: string;
  /** The value as written (for a template: its raw text). */
  value: string;
  /** Length in characters. */
  length: number;
  /** Character offset (0-based, code points) of the ID in the payload. */
  position: number;
  children?: QrDataObject[];
}

/** The checksum verdict: `expected` is computed over the payload up to and including "6304", `found` is written in it. */
export interface CrcVerdict {
  ok: boolean;
  /** Undefined when the payload does not end with a "6304" + 4-character CRC object. */
  expected?: string;
  found?: string;
}

/** Longest payload the decoder accepts, in characters: a bound against hostile input (published payloads are far shorter). */
export const MAX_PAYLOAD_CHARS = 512;

/** The root seen as a template: every ID is defined, the mandatory ones are listed. */
const ROOT: TemplateDef = { lookup: rootDef, required: ROOT_REQUIRED };

/** C0 controls, DEL and C1 controls: no EMV QR format allows them, and they are how terminal escapes get in. */
const isControl = (cp: number) => cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
const isLoneSurrogate = (cp: number) => cp >= 0xd800 && cp <= 0xdfff;

function toChars(payload: string): string[] {
  if (typeof payload !== 'string') throw new TypeError(`expected the payload as a string, got ${typeof payload}`);
  const chars = Array.from(payload);
  if (chars.length > MAX_PAYLOAD_CHARS) throw new QrError('payload-too-long', `payload of ${chars.length} characters exceeds ${MAX_PAYLOAD_CHARS}`);
  chars.forEach((ch, i) => {
    const cp = ch.codePointAt(0) as number;
    if (isControl(cp)) throw new QrError('bad-character', `control character ${showChar(ch)} is not allowed in a payload`, { position: i });
    if (isLoneSurrogate(cp)) throw new QrError('bad-character', `${showChar(ch)} is not valid Unicode (a lone surrogate)`, { position: i });
  });
  return chars;
}

function readTree(chars: readonly string[], start: number, end: number, parent: string | undefined, template: TemplateDef): QrDataObject[] {
  return readTlvs(chars, start, end, parent).map((t) => {
    const path = tagPath(parent, t.tag);
    const d = template.lookup(t.tag);
    const node: QrDataObject = { tag: t.tag, path, name: d.name, value: t.value, length: t.length, position: t.position };
    if (d.template) node.children = readTree(chars, t.valuePosition, t.valuePosition + t.length, path, d.template);
    return node;
  });
}

/**
 * Splits a payload into its data objects, templates decoded into their children. Checks the TLV syntax and the
 * characters only, not the spec's rules: use it to show a payload, and {@link parseMerchantQr} to accept one.
 * @throws QrError `truncated`, `bad-tag`, `bad-length`, `overrun`, `bad-character` or `payload-too-long`.
 */
export function decodeMerchantQrObjects(payload: string): QrDataObject[] {
  const chars = toChars(payload);
  if (chars.length === 0) throw new QrError('format-indicator', 'expected tag 00 (Payload Format Indicator) first, got an empty payload', { position: 0 });
  return readTree(chars, 0, chars.length, undefined, ROOT);
}

/** Compares the CRC written at the end of `payload` ("6304" + 4 characters) with the one computed over it. Never throws. */
export function checkCrc(payload: string): CrcVerdict {
  const chars = Array.from(String(payload));
  const n = chars.length;
  if (n < 8 || chars.slice(n - 8, n - 4).join('') !== '6304') return { ok: false };
  const expected = crc16Hex(chars.slice(0, n - 4).join(''));
  const found = chars.slice(n - 4).join('');
  return { ok: expected === found, expected, found };
}

/** Tag 00 first and "01"; tag 63 last, four upper-case hex digits, matching the payload. */
function checkEnvelope(payload: string, objects: readonly QrDataObject[]): void {
  const first = objects[0] as QrDataObject;
  if (first.tag !== '00') {
    throw new QrError('format-indicator', `expected tag 00 (Payload Format Indicator) first, got tag ${first.tag}`, { tag: first.tag, position: first.position });
  }
  if (first.value !== '01') throw new QrError('format-indicator', `expected "01", got ${JSON.stringify(first.value)}`, { tag: '00', position: first.position });
  const crcAt = objects.findIndex((o) => o.tag === '63');
  if (crcAt < 0) throw new QrError('crc-missing', 'expected tag 63 (CRC) as the last data object, found none');
  const crc = objects[crcAt] as QrDataObject;
  if (crcAt !== objects.length - 1) {
    const next = objects[crcAt + 1] as QrDataObject;
    throw new QrError('crc-not-last', `expected the CRC as the last data object, got tag ${next.tag} after it`, { tag: '63', position: crc.position });
  }
  if (!/^[0-9A-F]{4}$/.test(crc.value)) {
    throw new QrError('crc-format', `expected four upper-case hex digits, got ${JSON.stringify(crc.value)}`, { tag: '63', position: crc.position });
  }
  const verdict = checkCrc(payload);
  if (!verdict.ok) {
    const { expected, found } = verdict as Required<CrcVerdict>;
    throw new QrError('crc-mismatch', `CRC mismatch: expected ${expected}, found ${found}`, { tag: '63', position: crc.position, expected, found });
  }
}

/** Per template: no duplicate IDs, every value within its limits and format, every mandatory child present. */
function checkObjects(objects: readonly QrDataObject[], template: TemplateDef, parent?: QrDataObject): void {
  const seen = new Map<string, QrDataObject>();
  for (const o of objects) {
    const earlier = seen.get(o.tag);
    if (earlier) throw new QrError('duplicate-tag', `duplicate ID; first at position ${earlier.position}`, { tag: o.path, position: o.position });
    seen.set(o.tag, o);
    const d = template.lookup(o.tag);
    const bad = valueProblem(d, o.value);
    if (bad) throw new QrError(bad.code, `${d.name}: ${bad.problem}`, { tag: o.path, position: o.position });
    if (d.template) checkObjects(o.children ?? [], d.template, o);
  }
  for (const tag of template.required) {
    if (seen.has(tag)) continue;
    const path = tagPath(parent?.path, tag);
    const where = parent ? ` in template ${parent.path}` : '';
    throw new QrError('missing-tag', `${template.lookup(tag).name} is mandatory${where}, but absent`, { tag: path, position: parent?.position });
  }
}

/** At least one merchant account; convenience fee values present exactly when the tip indicator asks for them. */
function checkRootRules(objects: readonly QrDataObject[]): void {
  if (!objects.some((o) => isMerchantAccountTag(o.tag))) {
    throw new QrError('missing-tag', 'expected at least one Merchant Account Information (IDs 02-51), found none', { tag: '02-51' });
  }
  const byTag = new Map(objects.map((o) => [o.tag, o]));
  const tip = byTag.get('55')?.value;
  for (const [tag, wanted] of [['56', '02'], ['57', '03']] as const) {
    const o = byTag.get(tag);
    if (tip === wanted && !o) throw new QrError('inconsistent', `tip indicator ${wanted} needs tag ${tag}, which is absent`, { tag: '55', position: byTag.get('55')?.position });
    if (tip !== wanted && o) {
      throw new QrError('inconsistent', `present only with tip indicator (tag 55) ${wanted}, got ${tip === undefined ? 'no tag 55' : JSON.stringify(tip)}`, { tag, position: o.position });
    }
  }
}

/**
 * Decodes and validates a payload: TLV syntax, tag 00 first and "01", tag 63 last with a matching
 * CRC-16/CCITT-FALSE, no duplicate IDs, every value within the spec's length and format, mandatory data objects
 * present (root and templates), convenience fee fields consistent with tag 55.
 * Checks run in that order, so a corrupted payload reports the CRC before any field.
 * @returns the data objects, templates decoded.
 * @throws QrError naming the tag and position of the first problem.
 */
export function validateMerchantQr(payload: string): QrDataObject[] {
  const objects = decodeMerchantQrObjects(payload);
  checkEnvelope(payload, objects);
  checkObjects(objects, ROOT);
  checkRootRules(objects);
  return objects;
}
