// Receipt wording in English and Chinese; transaction types spelled out so a sale is never mistaken for a pre-auth or refund.
import type { TxnType } from '../journal/types';

export type Language = 'en' | 'zh';

export const TYPE_WORDS: Record<TxnType, { en: string; zh: string }> = {
  sale: { en: 'SALE', zh: '消费' },
  preauth: { en: 'PRE-AUTHORIZATION', zh: '预授权' },
  completion: { en: 'PRE-AUTH COMPLETION', zh: '预授权完成' },
  void: { en: 'VOID', zh: '撤销' },
  refund: { en: 'REFUND', zh: '退货' },
  balance: { en: 'BALANCE INQUIRY', zh: '余额查询' },
  'qr-sale': { en: 'QR SALE', zh: '扫码消费' },
  'qr-present': { en: 'QR PAYMENT', zh: '二维码收款' },
};

export const WALLET_WORDS: Record<'wechat' | 'alipay' | 'unionpay', { en: string; zh: string }> = {
  wechat: { en: 'WECHAT PAY', zh: '微信支付' },
  alipay: { en: 'ALIPAY', zh: '支付宝' },
  unionpay: { en: 'UNIONPAY QR', zh: '银联二维码' },
};

const LABELS = {
  merchantCopy: { en: 'MERCHANT COPY', zh: '商户存根 MERCHANT COPY' },
  customerCopy: { en: 'CUSTOMER COPY', zh: '持卡人存根 CUSTOMER COPY' },
  merchantName: { en: 'MERCHANT', zh: '商户名称' },
  mid: { en: 'MID', zh: '商户编号' },
  tid: { en: 'TID', zh: '终端编号' },
  operator: { en: 'OPERATOR', zh: '操作员' },
  card: { en: 'CARD NO.', zh: '卡号' },
  entry: { en: 'ENTRY', zh: '输入方式' },
  type: { en: 'TYPE', zh: '交易类型' },
  batch: { en: 'BATCH NO.', zh: '批次号' },
  trace: { en: 'TRACE NO.', zh: '凭证号' },
  dateTime: { en: 'DATE/TIME', zh: '日期/时间' },
  rrn: { en: 'REF. NO.', zh: '参考号' },
  auth: { en: 'AUTH CODE', zh: '授权码' },
  reference: { en: 'ECR REF.', zh: '收银流水' },
  original: { en: 'ORIG. TRACE', zh: '原凭证号' },
  amount: { en: 'AMOUNT', zh: '金额' },
  signature: { en: 'CARDHOLDER SIGNATURE', zh: '持卡人签名' },
  acknowledge: { en: 'I ACKNOWLEDGE SATISFACTORY RECEIPT OF RELATIVE GOODS/SERVICES', zh: '本人确认以上交易,同意将其记入本卡账户' },
  duplicate: { en: '*** DUPLICATE ***', zh: '*** 重打印 DUPLICATE ***' },
  recovered: { en: 'RECOVERED AFTER POWER LOSS', zh: '断电恢复 RECOVERED' },
  swipe: { en: 'SWIPE', zh: '刷卡 SWIPE' },
  fallback: { en: 'FALLBACK SWIPE', zh: '降级刷卡 FALLBACK' },
  stored: { en: 'STORED CARD DATA', zh: '原交易卡号' },
  pin: { en: 'PIN', zh: '密码' },
  pointsEarned: { en: 'POINTS EARNED', zh: '本次积分' },
  pointsBalance: { en: 'POINTS BALANCE', zh: '积分余额' },
  qr: { en: 'QR CODE', zh: '扫码 QR' },
  wallet: { en: 'WALLET', zh: '钱包' },
  payerCode: { en: 'PAYER CODE', zh: '付款码' },
  walletOrder: { en: 'ORDER NO.', zh: '订单号' },
  lateRefund: { en: 'LATE PAYMENT REFUNDED', zh: '超时付款已退款 LATE PAYMENT REFUNDED' },
} as const;

export type LabelKey = keyof typeof LABELS;

export function label(key: LabelKey, lang: Language): string {
  return LABELS[key][lang];
}
