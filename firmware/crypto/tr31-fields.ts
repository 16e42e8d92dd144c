// Names of the TR-31 / ANSI X9.143 header field values (key usage, algorithm, mode of use, ...), for people and tools.

/** Key usage (X9.143 table "Key Usage"); numeric values are proprietary. */
export const KEY_USAGES: Readonly<Record<string, string>> = {
  B0: 'Base Derivation Key (BDK)',
  B1: 'Initial DUKPT key (IK/IPEK)',
  B2: 'Base key variant key',
  B3: 'Key derivation key (non-X9.24)',
  C0: 'Card verification key (CVK)',
  D0: 'Symmetric data encryption key',
  D1: 'Asymmetric data encryption key',
  D2: 'Data encryption key for decimalization table',
  D3: 'Data encryption key for sensitive data',
  E0: 'EMV issuer master key: application cryptograms',
  E1: 'EMV issuer master key: secure messaging for confidentiality',
  E2: 'EMV issuer master key: secure messaging for integrity',
  E3: 'EMV issuer master key: data authentication code',
  E4: 'EMV issuer master key: dynamic numbers',
  E5: 'EMV issuer master key: card personalization',
  E6: 'EMV issuer master key: other',
  E7: 'EMV master personalization key',
  I0: 'Initialization vector (IV)',
  K0: 'Key encryption or wrapping key',
  K1: 'TR-31 key block protection key (KBPK)',
  K2: 'TR-34 asymmetric key',
  K3: 'Asymmetric key for key agreement/wrapping',
  K4: 'ISO 20038 key block protection key',
  M0: 'ISO 16609 MAC algorithm 1 (TDES)',
  M1: 'ISO 9797-1 MAC algorithm 1',
  M2: 'ISO 9797-1 MAC algorithm 2',
  M3: 'ISO 9797-1 MAC algorithm 3',
  M4: 'ISO 9797-1 MAC algorithm 4',
  M5: 'ISO 9797-1:1999 MAC algorithm 5',
  M6: 'ISO 9797-1:2011 MAC algorithm 5 (CMAC)',
  M7: 'HMAC',
  M8: 'ISO 9797-1:2011 MAC algorithm 6',
  P0: 'PIN encryption key',
  P1: 'PIN generation key',
  S0: 'Asymmetric key pair for digital signature',
  S1: 'Asymmetric key pair, CA key',
  S2: 'Asymmetric key pair, non-X9.24 key',
  V0: 'PIN verification key, other algorithm',
  V1: 'PIN verification key, IBM 3624',
  V2: 'PIN verification key, VISA PVV',
  V3: 'PIN verification key, X9.132 algorithm 1',
  V4: 'PIN verification key, X9.132 algorithm 2',
  V5: 'PIN verification key, X9.132 algorithm 3',
};

/** Algorithm of the wrapped key. */
export const ALGORITHMS: Readonly<Record<string, string>> = {
  A: 'AES',
  D: 'DES (single)',
  E: 'Elliptic curve',
  H: 'HMAC',
  R: 'RSA',
  S: 'DSA',
  T: 'TDES',
};

/** Mode of use. */
export const MODES_OF_USE: Readonly<Record<string, string>> = {
  B: 'Encrypt/wrap and decrypt/unwrap',
  C: 'Generate and verify (MAC)',
  D: 'Decrypt/unwrap only',
  E: 'Encrypt/wrap only',
  G: 'Generate only',
  N: 'No special restrictions (beyond the key usage)',
  S: 'Signature only',
  T: 'Sign and decrypt',
  V: 'Verify only',
  X: 'Derive other keys',
  Y: 'Create key variants',
};

/** Exportability. */
export const EXPORTABILITY: Readonly<Record<string, string>> = {
  E: 'Exportable under a KEK, in a form meeting X9.24',
  N: 'Non-exportable',
  S: 'Sensitive: exportable under a KEK in a form not necessarily meeting X9.24',
};

/** Key context (X9.143 header byte 14; TR-31:2018 left it reserved as "0"). */
export const KEY_CONTEXTS: Readonly<Record<string, string>> = {
  '0': 'Determined by the wrapping key',
  '1': 'Storage context only',
  '2': 'Key exchange context only',
};

/** Optional block IDs; numeric IDs are proprietary. */
export const OPTIONAL_BLOCKS: Readonly<Record<string, string>> = {
  AL: 'Asymmetric key life attribute',
  BI: 'Base derivation key identifier',
  CT: 'Public key certificate',
  DA: 'Derivations allowed',
  FL: 'Flags',
  HM: 'HMAC hash algorithm',
  IK: 'Initial key identifier (AES DUKPT)',
  KC: 'Key check value of the wrapped key',
  KP: 'Key check value of the KBPK',
  KS: 'Key set identifier / initial key serial number (TDES DUKPT)',
  KV: 'Key block values version',
  LB: 'Label',
  PB: 'Padding block',
  TC: 'Time of creation',
  TS: 'Time stamp',
  WP: 'Wrapping pedigree',
};
