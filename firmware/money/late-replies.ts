// Late replies from the host: a late approval is already covered by the queued reversal; a late 0410 settles it.
import type { IsoMessage } from '../host/iso8583';
import type { Journal } from '../journal/journal';
import type { Logger } from '../log';
import { SETTLING_CODES, type SafWorker } from './saf';

const text = (v: string | Buffer | undefined) => (v === undefined ? '' : Buffer.isBuffer(v) ? v.toString('latin1') : v).trim();

export async function handleLateReply(reply: IsoMessage, request: IsoMessage, deps: { journal: Journal; saf: SafWorker; log: Logger }): Promise<void> {
  const log = deps.log.child({ ns: 'money.late' });
  const batch = text(request.fields[60]);
  const stan = text(request.fields[11]);
  const rc = text(reply.fields[39]);
  const rec = batch && stan ? await deps.journal.byStan(batch, stan) : undefined;
  if (!rec) {
    log.warn({ mti: reply.mti, stan, responseCode: rc }, 'late reply for no journal record');
    return;
  }
  if (reply.mti === '0410') {
    if (SETTLING_CODES.has(rc) && rec.state === 'reversal-pending') {
      const entry = (await deps.journal.safEntries()).find((e) => e.txnId === rec.id);
      await deps.saf.settle(rec, entry?.seq, rc);
    }
    return;
  }
  if (rc === '00') {
    // The request timed out and was queued for reversal at that moment; make sure that is so.
    if (rec.state !== 'reversal-pending' && rec.state !== 'reversed') {
      log.error({ reference: rec.reference, state: rec.state }, 'late approval for a record not queued for reversal');
    } else {
      log.warn({ reference: rec.reference, state: rec.state }, 'late approval: reversed by the SAF queue');
    }
    deps.saf.kick();
  }
}
