// ISO 8583 errors: IsoError names the field, the byte offset and what was expected; IsoSpecError names the spec file and JSON path.

/** Where an element sits, for messages: a field number, or a label such as "MTI" or "primary bitmap". */
export type IsoLocation = number | string | undefined;

/**
 * A message that cannot be packed or unpacked. `field` is the data element (absent for the MTI, the bitmaps
 * and trailing bytes), `offset` the byte where the element starts in the message (unpack only).
 * Message: `field 4 at byte 23: expected 6 BCD bytes, got 2`.
 */
export class IsoError extends Error {
  field?: number;
  offset?: number;
  expected: string;
  got?: string;

  constructor(where: IsoLocation, offset: number | undefined, expected: string, got?: string) {
    const label = typeof where === 'number' ? `field ${where}` : (where ?? 'message');
    const at = offset === undefined ? '' : ` at byte ${offset}`;
    super(`${label}${at}: expected ${expected}${got === undefined ? '' : `, got ${got}`}`);
    this.name = 'IsoError';
    if (typeof where === 'number') this.field = where;
    if (offset !== undefined) this.offset = offset;
    this.expected = expected;
    if (got !== undefined) this.got = got;
  }
}

/** An invalid spec: `source` is the file (or the spec name for specs built in code), `problems` one line each. */
export class IsoSpecError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source}: invalid ISO 8583 spec\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'IsoSpecError';
  }
}
