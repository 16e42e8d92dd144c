// AIM symbology identifiers (ISO/IEC 15424 "]cm"): split them off a decoded code and name the symbology.
import type { ScanEvent } from './scanner';

/** Symbology names by AIM code character, refined by modifier where the modifier changes the meaning. */
const BY_CODE: Record<string, string> = {
  A: 'code39',
  C: 'code128',
  d: 'datamatrix',
  E: 'ean13',
  e: 'gs1-databar',
  F: 'codabar',
  G: 'code93',
  H: 'code11',
  I: 'itf',
  L: 'pdf417',
  M: 'msi',
  Q: 'qr',
  R: 'straight-2-of-5',
  S: 'industrial-2-of-5',
  U: 'maxicode',
  X: 'other',
  z: 'aztec',
};

/** Full identifiers whose modifier selects a distinct symbology (GS1 variants, EAN-8, add-ons). */
const BY_ID: Record<string, string> = {
  ']C1': 'gs1-128',
  ']E4': 'ean8',
  ']E3': 'ean13-addon',
  ']d2': 'gs1-datamatrix',
  ']Q3': 'gs1-qr',
  ']Q5': 'gs1-qr',
  ']L2': 'micropdf417',
};

/** Symbology name for an AIM identifier such as `]Q1`; unknown identifiers come back as the identifier itself. */
export function aimSymbology(id: string): string {
  if (!/^\][A-Za-z][0-9A-Za-z]$/.test(id)) throw new Error(`aimSymbology: expected an AIM identifier like "]Q1", got ${JSON.stringify(id)}`);
  return BY_ID[id] ?? BY_CODE[id[1] as string] ?? id;
}

/** Splits a leading AIM identifier off `data`. Data that does not start with one is returned unchanged. */
export function stripAim(data: string): ScanEvent {
  if (/^\][A-Za-z][0-9A-Za-z]/.test(data)) return { data: data.slice(3), symbology: aimSymbology(data.slice(0, 3)) };
  return { data };
}
