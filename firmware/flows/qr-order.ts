// The QR a terminal shows for C扫B: an EMVCo merchant-presented dynamic payload for one order (docs/qr.md).
import type { TerminalConfig } from '../board/schema';
import { buildMerchantQr } from '../qr/emvco';
import type { Wallet } from '../qr/payment-code';

/** Globally unique identifiers of the merchant account templates (tag 26), per wallet, as this profile defines them. */
export const WALLET_GUIDS: Record<Wallet, string> = {
  wechat: 'COM.WECHAT.PAY',
  alipay: 'COM.ALIPAY',
  unionpay: 'A000000333010101',
};

/** Longest reference a presented QR can carry as its bill number (tag 62.01). */
export const MAX_QR_REFERENCE = 25;

/**
 * The payload for one order: point of initiation 12 (dynamic), the merchant account of `wallet` with the terminal's
 * merchant id, MCC, currency, the amount (tag 54), country, merchant name and city, and in tag 62 the reference as
 * bill number and the terminal id as terminal label; CRC-16/CCITT-FALSE in tag 63.
 */
export function presentedQr(terminal: TerminalConfig, order: { reference: string; amount: number; wallet: Wallet }): string {
  return buildMerchantQr({
    pointOfInitiation: 'dynamic',
    merchantAccount: { tag: '26', guid: WALLET_GUIDS[order.wallet], merchantId: terminal.merchantId.trim() },
    mcc: terminal.mcc,
    currencyNumeric: terminal.currencyNumeric,
    amountMinor: order.amount,
    currencyDecimals: 2,
    countryCode: terminal.countryCode,
    merchantName: terminal.merchantName.replace(/[^\x20-\x7e]/g, '').slice(0, 25) || 'MERCHANT',
    merchantCity: terminal.merchantCity,
    billNumber: order.reference,
    terminalLabel: terminal.terminalId,
  });
}
