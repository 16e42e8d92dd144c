// Turns the running transactions' prompts into ECR events: every step a transaction takes, then its final state.
import type { Unsubscribe } from '../common/listeners';
import type { FlowController } from '../flows/controller';
import type { Journal } from '../journal/journal';
import type { ReceiptService } from '../receipts/receipt-service';
import type { EventHub } from './events';
import { ecrView } from './view';

/**
 * Publishes a `transaction` event for every prompt of a running transaction (awaiting-card, awaiting-pin,
 * awaiting-confirmation, authorising, printing) and for its end, each with the transaction as the ECR API shows it.
 * Events are published in prompt order (one chain), whatever the journal reads cost.
 */
export function publishTransactionEvents(controller: FlowController, journal: Journal, receipts: ReceiptService, hub: EventHub): Unsubscribe {
  let chain: Promise<void> = Promise.resolve();
  return controller.onPrompt((prompt) => {
    chain = chain
      .then(async () => {
        const rec = 'record' in prompt ? prompt.record : await journal.byReference(prompt.txn.reference);
        if (!rec) return;
        const finalish = prompt.kind === 'printing' || prompt.kind === 'finished';
        const transaction = ecrView(rec, finalish ? receipts.texts(rec) : undefined, prompt.kind === 'finished' ? undefined : prompt.kind);
        const retry = prompt.kind === 'present-card' && prompt.retry ? { retry: prompt.retry } : {};
        hub.publish('transaction', { reference: rec.reference, state: transaction.state, status: transaction.status, ...retry, transaction });
      })
      .catch(() => undefined);
  });
}
