// The real side effects behind the transaction machine's actors: card reader, PIN pad, journal, host and printer.
import { fromCallback, fromPromise } from 'xstate';
import type { MagstripeReader, SwipedCard } from '../hal/magstripe/magstripe';
import type { PinEntry, PinResult } from '../hal/pinpad/pinpad';
import type { Journal } from '../journal/journal';
import type { TxnRecord } from '../journal/types';
import type { Authoriser } from '../money/authoriser';
import type { Admission } from '../money/admission';
import { crashPoint } from '../money/crash-points';
import type { ReceiptService } from '../receipts/receipt-service';
import { TYPE_WORDS } from '../receipts/labels';
import { entryModeFor } from '../host/messages';
import { dateOf, type Clock } from '../common/clock';
import { badReadRetry, checkCard } from './card-checks';
import { cardCaptureMachine, type CardCaptureEvent } from './capture-card.machine';
import { qrScanMachine, type QrScanEvent } from './capture-qr-scan.machine';
import type { BarcodeScanner } from '../hal/scanner/scanner';
import { readPaymentCode } from '../qr/payment-code';
import { txnMachine, type AuthoriseInput, type FinishInput } from './txn.machine';
import type { CancelReason, PromptKind } from './prompts';

export interface TxnActorDeps {
  magstripe?: MagstripeReader;
  scanner?: BarcodeScanner;
  pinEntry?: PinEntry;
  journal: Journal;
  authoriser: Authoriser;
  admission: Admission;
  receipts: ReceiptService;
  clock: Clock;
  chipCardSwiped: 'fallback' | 'refuse';
  /** QR payments: what the scan head puts around a code, and how long a B扫C customer may confirm. */
  qr: { scanPrefix: string; scanSuffix: string; confirmSec: number };
  /** Asks the SAF queue's watch of a QR payment to stop waiting now (revoke or close). */
  stopWaiting(recordId: string, by: 'operator' | 'ecr'): void;
}

/** The B扫C capture child with its real actor: scans are sanitised and classified as they arrive. */
function qrScanCapture(d: TxnActorDeps) {
  return qrScanMachine.provide({
    actors: {
      waitCode: fromCallback<QrScanEvent, { rec: TxnRecord }>(({ sendBack, input }) => {
        const opts = { prefix: d.qr.scanPrefix, suffix: d.qr.scanSuffix };
        const off = d.scanner?.onScan((s) => {
          const r = readPaymentCode(s.data, opts);
          if (!r.ok) return sendBack({ type: 'BAD_CODE', retry: r.error.code === 'unknown-prefix' || r.error.code === 'wrong-length' ? 'not-a-payment-code' : 'unreadable' });
          const { wallet, masked, code } = r.paymentCode;
          const deadline = new Date(d.clock.now() + d.qr.confirmSec * 1000).toISOString();
          sendBack({ type: 'CODE', rec: { ...input.rec, qr: { wallet, maskedCode: masked, deadline } }, paymentCode: code });
        });
        const offReject = d.scanner?.onReject(() => sendBack({ type: 'BAD_CODE', retry: 'unreadable' }));
        return () => (off?.(), offReject?.());
      }),
    },
  });
}

/** Resolves once the record is final (not sending, not awaiting the customer): the SAF watch makes it so. */
function awaitFinal(journal: Journal, rec: TxnRecord): Promise<TxnRecord> {
  const open = (r: TxnRecord) => r.state === 'awaiting-customer' || r.state === 'sending';
  return new Promise((resolve) => {
    const off = journal.onUpdate((r) => {
      if (r.id === rec.id && !open(r)) (off(), resolve(r));
    });
    void journal.get(rec.id).then((r) => {
      if (r && !open(r)) (off(), resolve(r));
    });
  });
}

/** The journal's words for why a record was cancelled (the ECR's `reason`). */
export function cancelText(reason: CancelReason, step?: PromptKind, detail?: string): string {
  switch (reason) {
    case 'timeout':
      return 'timeout';
    case 'pin-cancelled':
      return 'PIN entry cancelled';
    case 'pinpad-fault':
      return `PIN pad fault: ${detail ?? 'unknown'}`;
    case 'journal-fault':
      return `journal fault: ${detail ?? 'unknown'}`;
    case 'duplicate-declined':
      return 'operator declined a possible duplicate';
    default:
      if (step === 'present-card') return 'cancelled before the card was read';
      if (step === 'enter-pin') return 'cancelled at PIN entry';
      if (step === 'confirm-duplicate') return 'operator declined a possible duplicate';
      return step === undefined ? 'cancelled' : 'cancelled after the card was read';
  }
}

/** The card capture child with its real actors. */
function cardCapture(d: TxnActorDeps) {
  return cardCaptureMachine.provide({
    actors: {
      waitCard: fromCallback<CardCaptureEvent, { rec: TxnRecord }>(({ sendBack }) => {
        const off = d.magstripe?.onSwipe((s) =>
          sendBack(s.kind === 'card' ? { type: 'CARD', card: s.card, check: checkCard(s.card, dateOf(d.clock), d.chipCardSwiped) } : { type: 'BAD_READ', retry: badReadRetry(s.reason) }),
        );
        return () => off?.();
      }),
      // Not written: nothing was sent yet; the `sending` write (synced) carries the sealed card data with the record.
      attachCard: fromPromise<TxnRecord, { rec: TxnRecord; card: SwipedCard }>(async ({ input }) => d.journal.withCard(input.rec, { pan: input.card.pan, expiry: input.card.expiry })),
      isDuplicate: fromPromise<boolean, { rec: TxnRecord }>(async ({ input }) => d.admission.possibleDuplicate(input.rec)),
      requestPin: fromPromise<PinResult, { rec: TxnRecord; card: SwipedCard; allowBypass: boolean; timeoutMs: number }>(async ({ input, signal }) => {
        if (!d.pinEntry) return input.allowBypass ? { kind: 'bypass' } : { kind: 'cancelled' };
        return d.pinEntry.requestPin({
          pan: input.card.pan,
          amount: input.rec.type === 'balance' ? undefined : { minor: input.rec.amount, currency: input.rec.currency },
          label: TYPE_WORDS[input.rec.type].en,
          allowBypass: input.allowBypass,
          timeoutMs: input.timeoutMs,
          signal,
        });
      }),
    },
  });
}

/** The transaction machine with its real actors. */
export function provideTxnMachine(d: TxnActorDeps) {
  return txnMachine.provide({
    actions: { stopWaiting: (_, p: { rec: TxnRecord; by: 'operator' | 'ecr' }) => d.stopWaiting(p.rec.id, p.by) },
    actors: {
      captureCard: cardCapture(d),
      captureQrScan: qrScanCapture(d),
      awaitOutcome: fromPromise<TxnRecord, { rec: TxnRecord }>(({ input }) => awaitFinal(d.journal, input.rec)),
      authorise: fromPromise<TxnRecord, AuthoriseInput>(async ({ input }) => d.authoriser.authorise(input.rec, entryModeFor(input.entry), input.secrets)),
      printSlips: fromPromise<TxnRecord, { rec: TxnRecord }>(async ({ input, signal }) => {
        crashPoint('before-print');
        return d.receipts.printSlips(input.rec, signal);
      }),
      finish: fromPromise<TxnRecord, FinishInput>(async ({ input }) => {
        const current = (await d.journal.get(input.rec.id)) ?? input.rec;
        // Neither write is synced: a lost `cancelled` leaves `created` (recovery cancels it: nothing was sent); a lost
        // `completed` leaves the synced outcome (recovery completes it, at most a reprint marked RECOVERED).
        if (current.state === 'created') {
          const c = input.cancel ?? { reason: 'operator' as const };
          // The card read stays known by its masked PAN only: a cancelled record keeps no card data.
          return d.journal.update(current.id, { state: 'cancelled', reason: cancelText(c.reason, c.step, c.detail), maskedPan: input.rec.maskedPan }, {}, { sync: false });
        }
        // One write for the slip marks and the completion (the printer left them in memory).
        if (current.state === 'approved' || current.state === 'declined') return d.journal.update(current.id, { state: 'completed', receipt: input.rec.receipt }, {}, { sync: false });
        return current;
      }),
    },
  });
}
