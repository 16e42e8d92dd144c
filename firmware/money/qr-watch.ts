// Watching a QR payment until it is final (run by the SAF worker, so it survives restarts): status queries with back-off,
// then at the deadline (or when the cashier or the ECR cancels) a revoke (B扫C) or a close of the order (C扫B). A close
// answered "already paid" is a late payment: it is kept (approved) and refunded automatically, never kept silently.
import { buildStatusQuery, parseQrAnswer } from '../host/messages';
import type { IsoMessage } from '../host/iso8583';
import type { TerminalConfig } from '../board/schema';
import type { Journal } from '../journal/journal';
import type { SafEntry, TxnRecord } from '../journal/types';
import type { StanCounter } from '../host/stan';
import type { Logger } from '../log';
import { dateOf, type Clock } from '../common/clock';
import type { Authoriser, HostRequester } from './authoriser';

export interface QrWatchDeps {
  journal: Journal;
  host: HostRequester;
  terminal: TerminalConfig;
  stan: StanCounter;
  clock: Clock;
  log: Logger;
  /** Makes the automatic refund of a late payment. */
  authoriser?: Authoriser;
  /** Told when a late payment was refunded (the refund's record: print its slip). */
  onLatePayment?(payment: TxnRecord, refund: TxnRecord): void;
}

/** Query cadence while the customer confirms: 1 s, 2 s, 3 s, then every 3 s until the deadline. */
const nextQueryIn = (attempts: number) => Math.min(1000 * (attempts + 1), 3000);

const cancelReason = (e: SafEntry) => (e.cancel ? `cancelled by the ${e.cancel === 'ecr' ? 'ECR' : 'operator'}` : 'expired');

/** One step of a `qr-watch` entry: a query before the deadline, a revoke or close after it. */
export async function watchStep(d: QrWatchDeps, entry: SafEntry, rec: TxnRecord): Promise<void> {
  const now = d.clock.now();
  if (entry.cancel === undefined && now < (entry.deadline ?? 0)) return query(d, entry, rec);
  if (rec.type === 'qr-sale') return revoke(d, entry, rec);
  return close(d, entry, rec);
}

async function ask(d: QrWatchDeps, rec: TxnRecord, code: '371' | '372'): Promise<IsoMessage | undefined> {
  try {
    return await d.host.request(buildStatusQuery(rec, await d.stan.next(), d.terminal, dateOf(d.clock), code));
  } catch (err) {
    d.log.warn({ reference: rec.reference, err: (err as Error).message }, code === '371' ? 'QR status query not answered' : 'QR order close not answered');
    return undefined;
  }
}

async function reschedule(d: QrWatchDeps, entry: SafEntry, lastError: string): Promise<void> {
  // A cancel that came while this step was asking the host must not be overwritten.
  const cancel = (await d.journal.safEntries()).find((e) => e.seq === entry.seq)?.cancel ?? entry.cancel;
  const at = cancel ? d.clock.now() : Math.min(d.clock.now() + nextQueryIn(entry.attempts), entry.deadline ?? 0);
  await d.journal.safUpdate({ ...entry, cancel, attempts: entry.attempts + 1, nextAttemptAt: Math.max(at, d.clock.now()), lastError });
}

const fieldsOf = (reply: IsoMessage) => {
  const t = (f: number) => {
    const v = reply.fields[f];
    return v === undefined ? undefined : (Buffer.isBuffer(v) ? v.toString('latin1') : v).trim() || undefined;
  };
  return { rc: t(39) ?? '', rrn: t(37), authCode: t(38), ...parseQrAnswer(reply) };
};

async function query(d: QrWatchDeps, entry: SafEntry, rec: TxnRecord): Promise<void> {
  const reply = await ask(d, rec, '371');
  if (!reply) return reschedule(d, entry, 'no answer');
  const a = fieldsOf(reply);
  const qr = { ...rec.qr!, order: a.order ?? rec.qr?.order };
  if (a.rc === '00') {
    await d.journal.update(rec.id, { state: 'approved', wasApproved: true, responseCode: '00', rrn: a.rrn ?? rec.rrn, authCode: a.authCode, qr }, { safRemove: entry.seq });
    d.log.info({ reference: rec.reference }, 'QR payment confirmed by the customer');
  } else if (a.rc === '09' || a.rc === '25') {
    // Still confirming / waiting; "not found" may be a request still on its way: ask again until the deadline.
    await reschedule(d, entry, `response code ${a.rc}`);
  } else {
    await d.journal.update(rec.id, { state: 'declined', responseCode: a.rc, rrn: a.rrn ?? rec.rrn, qr }, { safRemove: entry.seq });
  }
}

/** B扫C past its deadline (or cancelled): revoked through the reversal queue (0400, 0401 until acknowledged). */
async function revoke(d: QrWatchDeps, entry: SafEntry, rec: TxnRecord): Promise<void> {
  await d.journal.update(
    rec.id,
    { state: 'reversal-pending', reversal: 'pending', reason: `revoked: ${cancelReason(entry)}` },
    { safRemove: entry.seq, safAdd: { txnId: rec.id, kind: 'reversal', attempts: 0, nextAttemptAt: d.clock.now() } },
  );
  d.log.warn({ reference: rec.reference, why: cancelReason(entry) }, 'QR payment not confirmed in time: revoking');
}

/** C扫B past its deadline (or cancelled): the order is closed; "already paid" is kept and refunded at once. */
async function close(d: QrWatchDeps, entry: SafEntry, rec: TxnRecord): Promise<void> {
  const reply = await ask(d, rec, '372');
  if (!reply) return reschedule(d, entry, 'close not answered');
  const a = fieldsOf(reply);
  const qr = { ...rec.qr!, order: a.order ?? rec.qr?.order };
  if (a.rc !== '00' || a.status !== 'paid') {
    await d.journal.update(rec.id, { state: 'cancelled', reason: cancelReason(entry), qr }, { safRemove: entry.seq });
    return;
  }
  // The refund's reference is known now: whoever reads the payment (the ECR's answer) sees it was refunded.
  const lateRefund = `${rec.reference}-LATE`;
  const payment = await d.journal.update(rec.id, { state: 'approved', wasApproved: true, responseCode: '00', rrn: a.rrn ?? rec.rrn, authCode: a.authCode, qr: { ...qr, latePayment: true, lateRefund } }, { safRemove: entry.seq });
  d.log.warn({ reference: rec.reference }, 'late payment at close: refunding it');
  await refundLatePayment(d, payment);
}

async function refundLatePayment(d: QrWatchDeps, payment: TxnRecord): Promise<void> {
  if (!d.authoriser) return;
  const { journal } = d;
  const refund = await journal.create(
    {
      reference: payment.qr!.lateRefund!,
      origin: payment.origin,
      type: 'refund',
      stan: await d.stan.next(),
      batch: await journal.batchNumber(),
      amount: payment.amount,
      currency: payment.currency,
      currencyNumeric: payment.currencyNumeric,
      operator: payment.operator,
      original: { id: payment.id, type: payment.type, reference: payment.reference, stan: payment.stan, batch: payment.batch, localDate: payment.request?.localDate ?? '', rrn: payment.rrn, authCode: payment.authCode },
    },
    { sync: false },
  );
  const done = await d.authoriser.authorise(refund, '012', {});
  const after = (await journal.get(payment.id)) ?? payment;
  if (done.state !== 'approved') d.log.error({ reference: payment.reference, refund: refund.reference, state: done.state }, 'late payment refund not approved: operator attention needed');
  d.onLatePayment?.(after, done);
}
