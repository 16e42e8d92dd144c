// QrError: the one typed error of the EMV QR codec, naming the tag, the position and what was wrong.

/** Why a payload (or a builder spec) was refused. */
export type QrErrorCode =
  | 'truncated' // fewer than 4 characters left for an ID and a length
  | 'bad-tag' // an ID that is not two digits
  | 'bad-length' // a length that is not two digits, or 00
  | 'overrun' // a length running past the end of the payload or of the enclosing template
  | 'bad-character' // a control character or invalid Unicode anywhere in the payload
  | 'payload-too-long' // more characters than the decoder accepts at all
  | 'too-long' // a value longer than the spec's maximum for its tag
  | 'wrong-length' // a fixed-length value (MCC, currency, country ...) of another length
  | 'bad-value' // a value of the wrong format (digits, characters) or not one the spec allows
  | 'missing-tag' // a mandatory data object is absent
  | 'duplicate-tag' // the same ID twice in one template
  | 'inconsistent' // data objects that contradict each other (tip indicator and fee values)
  | 'format-indicator' // tag 00 is not first or is not "01"
  | 'crc-missing' // no tag 63
  | 'crc-not-last' // tag 63 present but not the last data object
  | 'crc-format' // tag 63 is not four upper-case hex digits
  | 'crc-mismatch' // the checksum does not match the payload
  | 'invalid-spec'; // buildMerchantQr: a spec field is missing, of the wrong type or not encodable

/** Where and what: every field is optional because a builder error has a spec field, a decoder error a position. */
export interface QrErrorDetail {
  /** Data object path: "59", or "62.07" inside a template. */
  tag?: string;
  /** Character offset (0-based, counting Unicode code points) where the data object's ID starts. */
  position?: number;
  /** Builder only: the spec field, e.g. "merchantName" or "merchantAccount.guid". */
  field?: string;
  /** CRC mismatch only: the checksum computed over the payload. */
  expected?: string;
  /** CRC mismatch only: the checksum written in tag 63. */
  found?: string;
}

/**
 * Raised for a payload that is not a valid EMV merchant-presented QR, or a spec the builder cannot encode.
 * The message starts with where (`tag 62.07 at position 120:` or `merchantName:`) and says what was wrong.
 */
export class QrError extends Error {
  override readonly name = 'QrError';
  readonly tag?: string;
  readonly position?: number;
  readonly field?: string;
  readonly expected?: string;
  readonly found?: string;

  constructor(
    readonly code: QrErrorCode,
    problem: string,
    detail: QrErrorDetail = {},
  ) {
    super(`${where(detail)}${problem}`);
    if (detail.tag !== undefined) this.tag = detail.tag;
    if (detail.position !== undefined) this.position = detail.position;
    if (detail.field !== undefined) this.field = detail.field;
    if (detail.expected !== undefined) this.expected = detail.expected;
    if (detail.found !== undefined) this.found = detail.found;
  }
}

function where(d: QrErrorDetail): string {
  if (d.field !== undefined) return `${d.field}${d.tag !== undefined ? ` (tag ${d.tag})` : ''}: `;
  const tag = d.tag !== undefined ? `tag ${d.tag}` : '';
  const at = d.position !== undefined ? `${tag ? ' ' : ''}at position ${d.position}` : '';
  return tag || at ? `${tag}${at}: ` : '';
}
