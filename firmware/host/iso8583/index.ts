// ISO 8583 codec public API: data-driven specs, pack/unpack, safe describe, spec loading and the JSON message form.
export type { FieldEncoding, FieldPad, FieldSpec, FieldType, IsoMessage, IsoSpec, LengthType, PrefixEncoding, Sensitivity } from './spec-types';
export { IsoError, IsoSpecError } from './errors';
export { Iso8583Codec } from './codec';
export type { DescribedField, DescribedMessage } from './describe';
export { defaultSpec } from './default-spec';
export { loadSpec } from './load-spec';
export { validateSpec } from './spec-schema';
export { messageFromJson, messageToJson, type IsoMessageJson } from './json-form';
