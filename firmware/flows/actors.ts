// The real side effects behind the flow machines' actors: devices, LCD prompts, journal, host and printer.
import { fromCallback, fromPromise } from 'xstate';
import type { MagstripeReader, SwipedCard } from '../hal/magstripe/magstripe';
import type { PinEntry, PinResult } from '../hal/pinpad/pinpad';
import type { Journal } from '../journal/journal';
import type { TxnRecord } from '../journal/types';
import type { Authoriser } from '../money/authoriser';
import { crashPoint } from '../money/crash-points';
import type { ReceiptService } from '../receipts/receipt-service';
import type { Ui } from '../ui-lcd/ui';
import { entryModeFor } from '../host/messages';
import { TYPE_WORDS } from '../receipts/labels';
import type { CardTxnEvent } from './card-txn.machine';
import { money, outcomeLines } from './texts';

export interface ActorDeps {
  ui: Ui;
  magstripe?: MagstripeReader;
  pinEntry?: PinEntry;
  journal: Journal;
  authoriser: Authoriser;
  receipts: ReceiptService;
  duplicateWindowSec: number;
  now: () => Date;
  /** Called once the outcome is journaled and before anything is printed or answered. */
  onDecided(rec: TxnRecord): void;
}

const title = (rec: TxnRecord) => TYPE_WORDS[rec.type].en;
const amountLine = (rec: TxnRecord) => (rec.type === 'balance' ? '' : money(rec.amount, rec.currency));

export function flowActors(d: ActorDeps) {
  const printSlips = fromPromise<TxnRecord, { rec: TxnRecord }>(async ({ input, signal }) => {
    crashPoint('before-print');
    d.onDecided(input.rec);
    await d.ui.show({ lines: [...outcomeLines(input.rec), 'PRINTING...'].slice(0, 4) });
    return d.receipts.printSlips(input.rec, signal);
  });

  const finish = fromPromise<TxnRecord, { rec: TxnRecord; cancelled: boolean; reason?: string }>(async ({ input }) => {
    const current = (await d.journal.get(input.rec.id)) ?? input.rec;
    let rec = current;
    if (current.state === 'created') rec = await d.journal.update(current.id, { state: 'cancelled', reason: input.reason ?? 'cancelled' });
    else if (current.state === 'approved' || current.state === 'declined') rec = await d.journal.update(current.id, { state: 'completed' });
    d.onDecided(rec);
    await d.ui.show({ lines: outcomeLines(rec) });
    return rec;
  });

  const authoriseWith = async (rec: TxnRecord, entryMode: string, secrets: Parameters<Authoriser['authorise']>[2]) => {
    await d.ui.show({ lines: [title(rec), amountLine(rec), 'PROCESSING...', 'PLEASE WAIT'] });
    return d.authoriser.authorise(rec, entryMode, secrets);
  };

  return {
    card: {
      waitCard: fromCallback<CardTxnEvent, { rec: TxnRecord; message?: string }>(({ sendBack, input }) => {
        const reader = d.magstripe;
        void d.ui.show({ lines: [title(input.rec), amountLine(input.rec), input.message ?? (reader ? 'SWIPE CARD' : 'NO CARD READER'), 'CANCEL=STOP'] }, (k) => {
          if (k.key === 'CANCEL') sendBack({ type: 'CANCEL' });
        });
        const off = reader?.onSwipe((s) => sendBack(s.kind === 'card' ? { type: 'CARD', card: s.card } : { type: 'BAD_READ', reason: s.reason }));
        return () => off?.();
      }),
      confirmDuplicate: fromCallback<CardTxnEvent, { rec: TxnRecord }>(({ sendBack }) => {
        void d.ui.show({ lines: ['POSSIBLE DUPLICATE', 'SAME CARD & AMOUNT', 'OK=CONTINUE', 'CANCEL=STOP'] }, (k) => {
          if (k.key === 'OK') sendBack({ type: 'CONFIRM' });
          if (k.key === 'CANCEL') sendBack({ type: 'CANCEL' });
        });
        return () => undefined;
      }),
      isDuplicate: fromPromise<boolean, { rec: TxnRecord; card: SwipedCard }>(async ({ input }) => {
        const since = d.now().getTime() - d.duplicateWindowSec * 1000;
        const recent = await d.journal.list({ batch: input.rec.batch, limit: 200 });
        return recent.some(
          (r) =>
            r.id !== input.rec.id &&
            r.type === input.rec.type &&
            r.cardTag === input.rec.cardTag &&
            r.amount === input.rec.amount &&
            r.wasApproved === true &&
            (r.state === 'approved' || r.state === 'completed') &&
            !r.voidedBy &&
            Date.parse(r.createdAt) >= since,
        );
      }),
      requestPin: fromPromise<PinResult, { rec: TxnRecord; card: SwipedCard; allowBypass: boolean; message?: string }>(async ({ input, signal }) => {
        const hint = input.message ?? (input.allowBypass ? 'OK=NO PIN' : 'PIN REQUIRED');
        await d.ui.show({ lines: [title(input.rec), amountLine(input.rec), 'ENTER PIN ON PAD', hint] });
        if (!d.pinEntry) return input.allowBypass ? { kind: 'bypass' } : { kind: 'cancelled' };
        return d.pinEntry.requestPin({
          pan: input.card.pan,
          amount: input.rec.type === 'balance' ? undefined : { minor: input.rec.amount, currency: input.rec.currency },
          label: title(input.rec),
          allowBypass: input.allowBypass,
          timeoutMs: 60000,
          signal,
        });
      }),
      attachCard: fromPromise<TxnRecord, { rec: TxnRecord; card: SwipedCard }>(async ({ input }) =>
        d.journal.update(input.rec.id, { card: { pan: input.card.pan, expiry: input.card.expiry } }),
      ),
      authorise: fromPromise<TxnRecord, { rec: TxnRecord; card: SwipedCard; pin?: PinResult; fallback: boolean }>(async ({ input }) => {
        const pin = input.pin?.kind === 'pin' ? input.pin : undefined;
        return authoriseWith(input.rec, entryModeFor(input.rec.type, !!pin, input.fallback), { track2: input.card.track2, pinBlock: pin?.pinBlock, ksn: pin?.ksn });
      }),
      printSlips,
      finish,
    },
    referenced: {
      authorise: fromPromise<TxnRecord, { rec: TxnRecord }>(async ({ input }) => authoriseWith(input.rec, entryModeFor(input.rec.type, false, false), {})),
      printSlips,
      finish,
    },
  };
}
