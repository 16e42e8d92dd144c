// EMV QR Code merchant-presented mode (EMV QRCPS MPM): the public codec API for C扫B flows, the simulator and tools.
import { validateMerchantQr } from './emvco-parse';
import { merchantQrView, type MerchantQr } from './emvco-view';

export { buildMerchantQr, type MerchantAccountSpec, type MerchantQrSpec, type TemplateSpec } from './emvco-build';
export { amountToMinor, formatAmount, MAX_AMOUNT_CHARS } from './emvco-amount';
export { checkCrc, decodeMerchantQrObjects, MAX_PAYLOAD_CHARS, validateMerchantQr, type CrcVerdict, type QrDataObject } from './emvco-parse';
export { ADDITIONAL_DATA_IDS, rootDef, type AdditionalDataField, type DataObjectDef, type QrFormat } from './emvco-tags';
export type { AdditionalData, AlternateLanguage, MerchantAccountInfo, MerchantQr, UnreservedTemplate } from './emvco-view';
export { QrError, type QrErrorCode, type QrErrorDetail } from './errors';

/**
 * Decodes and validates a merchant-presented QR payload and returns its fields by name.
 * Every rule of {@link validateMerchantQr} applies: a payload that is returned has a matching CRC.
 * @throws QrError naming the tag, the position and what was wrong.
 */
export function parseMerchantQr(payload: string): MerchantQr {
  return merchantQrView(payload, validateMerchantQr(payload));
}
