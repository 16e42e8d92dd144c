// Transactions on an original in the journal (void, refund, pre-auth completion) as XState machines: no card, no PIN.
import { assign, fromPromise, setup } from 'xstate';
import type { TxnRecord } from '../journal/types';

export interface ReferencedTxnInput {
  /** Already checked against its original and journaled as created, with the original's card data sealed. */
  rec: TxnRecord;
}

const notProvided = (name: string) => () => {
  throw new Error(`flow actor ${name} was not provided`);
};

export const referencedTxnMachine = setup({
  types: {
    input: {} as ReferencedTxnInput,
    context: {} as ReferencedTxnInput & { message?: string },
    events: {} as { type: 'CANCEL' },
    output: {} as TxnRecord,
  },
  actors: {
    authorise: fromPromise<TxnRecord, { rec: TxnRecord }>(notProvided('authorise')),
    printSlips: fromPromise<TxnRecord, { rec: TxnRecord }>(notProvided('printSlips')),
    finish: fromPromise<TxnRecord, { rec: TxnRecord; cancelled: boolean; reason?: string }>(notProvided('finish')),
  },
}).createMachine({
  id: 'referenced-txn',
  context: ({ input }) => ({ ...input }),
  initial: 'authorising',
  states: {
    authorising: {
      invoke: {
        id: 'authorise',
        src: 'authorise',
        input: ({ context }) => ({ rec: context.rec }),
        onDone: { target: 'printing', actions: assign({ rec: ({ event }) => event.output }) },
        onError: { target: 'finishing', actions: assign({ message: ({ event }) => (event.error as Error).message }) },
      },
    },
    printing: {
      invoke: {
        id: 'printSlips',
        src: 'printSlips',
        input: ({ context }) => ({ rec: context.rec }),
        onDone: { target: 'finishing', actions: assign({ rec: ({ event }) => event.output }) },
        onError: { target: 'finishing' },
      },
    },
    finishing: {
      invoke: {
        id: 'finish',
        src: 'finish',
        input: ({ context }) => ({ rec: context.rec, cancelled: false }),
        onDone: { target: 'done', actions: assign({ rec: ({ event }) => event.output }) },
        onError: { target: 'done' },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.rec,
});
