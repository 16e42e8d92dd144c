// Runs the small machines that need no card: sign-on, echo, host status query and reprint, with their real actors.
import { createActor, fromPromise, toPromise } from 'xstate';
import type { TerminalConfig } from '../board/schema';
import type { Journal } from '../journal/journal';
import type { TxnRecord } from '../journal/types';
import type { HostRequester } from '../money/authoriser';
import type { StanCounter } from '../host/stan';
import type { ReceiptService } from '../receipts/receipt-service';
import { buildNetwork, buildStatusQuery } from '../host/messages';
import { hasReceipt } from '../receipts/receipt';
import { dateOf, type Clock } from '../common/clock';
import type { IsoMessage } from '../host/iso8583';
import { networkMachine, type NetworkResult } from './network.machine';
import { reprintMachine, type ReprintResult } from './reprint.machine';

export interface ServiceDeps {
  journal: Journal;
  host: HostRequester;
  stan: StanCounter;
  terminal: TerminalConfig;
  receipts: ReceiptService;
  clock: Clock;
}

function exchange(host: HostRequester) {
  return fromPromise<IsoMessage, { request: IsoMessage }>(({ input }) => host.request(input.request));
}

export async function networkCheck(d: ServiceDeps, kind: 'sign-on' | 'echo'): Promise<NetworkResult> {
  const request = buildNetwork(kind, await d.stan.next(), d.terminal, dateOf(d.clock));
  const actor = createActor(networkMachine.provide({ actors: { exchange: exchange(d.host) } }), { input: { kind, request } });
  actor.start();
  return toPromise(actor);
}

/** Asks the host what happened to `rec` (informational: the journal and the SAF queue still decide the money). */
export async function statusQuery(d: ServiceDeps, rec: TxnRecord): Promise<NetworkResult> {
  const request = buildStatusQuery(rec, await d.stan.next(), d.terminal, dateOf(d.clock));
  const actor = createActor(networkMachine.provide({ actors: { exchange: exchange(d.host) } }), { input: { kind: 'status-query', request } });
  actor.start();
  return toPromise(actor);
}

/** The last record with a receipt. */
export async function lastReceipt(journal: Journal): Promise<TxnRecord | undefined> {
  return (await journal.list({ limit: 100 })).find(hasReceipt);
}

export async function reprint(d: ServiceDeps, key: { stan?: string; reference?: string }): Promise<ReprintResult> {
  const machine = reprintMachine.provide({
    actors: {
      find: fromPromise(async ({ input }: { input: { stan?: string; reference?: string } }) => {
        if (input.reference) return d.journal.byReference(input.reference);
        if (input.stan) return d.journal.byStan(await d.journal.batchNumber(), input.stan.padStart(6, '0'));
        return lastReceipt(d.journal);
      }),
      print: fromPromise(async ({ input }: { input: { record: TxnRecord } }) => d.receipts.reprint(input.record)),
    },
  });
  const actor = createActor(machine, { input: key });
  actor.start();
  return toPromise(actor);
}
