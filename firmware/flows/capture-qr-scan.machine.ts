// QR capture for B扫C as a child of the transaction machine: the scan head reads the customer's payment code, which is
// sanitised and classified (WeChat Pay, Alipay, UnionPay QR) before anything is sent; anything else asks for a rescan.
import { assign, fromCallback, sendParent, setup } from 'xstate';
import type { Secrets } from '../host/messages';
import type { TxnRecord } from '../journal/types';
import type { CaptureResult } from './capture-card.machine';
import { summaryOf, type ScanRetry } from './prompts';

export interface QrScanInput {
  rec: TxnRecord;
  /** How long the customer's code is waited for. */
  scanMs: number;
  scannerMissing: boolean;
}

/** A scan the waitCode actor classified: the record gets the wallet and masked code; the code itself is a secret. */
export type QrScanEvent =
  | { type: 'CODE'; rec: TxnRecord; paymentCode: string }
  | { type: 'BAD_CODE'; retry: ScanRetry };

interface QrScanContext extends QrScanInput {
  retry?: ScanRetry;
  result?: CaptureResult;
}

const notProvided = () => {
  throw new Error('QR capture actor waitCode was not provided');
};

export const qrScanMachine = setup({
  types: { input: {} as QrScanInput, context: {} as QrScanContext, events: {} as QrScanEvent, output: {} as CaptureResult },
  actors: {
    /** Sends CODE (classified, with the record's QR data filled in) or BAD_CODE back as scans arrive. */
    waitCode: fromCallback<QrScanEvent, { rec: TxnRecord }>(notProvided),
  },
  actions: {
    promptScan: sendParent(({ context }) => ({ type: 'PROMPT', prompt: { kind: 'scan-code', txn: summaryOf(context.rec), retry: context.retry, scannerMissing: context.scannerMissing } })),
  },
  delays: { scanTimeout: ({ context }) => context.scanMs },
}).createMachine({
  id: 'capture-qr-scan',
  context: ({ input }) => ({ ...input }),
  initial: 'awaitingCode',
  states: {
    awaitingCode: {
      entry: 'promptScan',
      invoke: { id: 'waitCode', src: 'waitCode', input: ({ context }) => ({ rec: context.rec }) },
      after: { scanTimeout: { target: 'done', actions: assign({ result: ({ context }) => ({ outcome: 'cancelled' as const, rec: context.rec, reason: 'timeout' as const }) }) } },
      on: {
        CODE: {
          target: 'done',
          actions: assign({
            result: ({ event }) => ({ outcome: 'captured' as const, rec: event.rec, entry: { kind: 'qr' as const }, secrets: { paymentCode: event.paymentCode } satisfies Secrets }),
          }),
        },
        BAD_CODE: { target: 'awaitingCode', reenter: true, actions: assign({ retry: ({ event }) => event.retry }) },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.result!,
});
