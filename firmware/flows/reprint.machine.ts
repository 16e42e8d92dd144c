// Reprint as an XState machine: find the record in the journal, print a copy marked DUPLICATE. It has no host actor at all.
import { assign, fromPromise, setup } from 'xstate';
import type { TxnRecord } from '../journal/types';

export interface ReprintResult {
  ok: boolean;
  record?: TxnRecord;
  text?: string;
  error?: string;
}

const notProvided = (name: string) => () => {
  throw new Error(`flow actor ${name} was not provided`);
};

export const reprintMachine = setup({
  types: {
    input: {} as { stan?: string; reference?: string },
    context: {} as { stan?: string; reference?: string; record?: TxnRecord; result?: ReprintResult },
    output: {} as ReprintResult,
  },
  actors: {
    /** Last receipt when no key is given. Resolves undefined when there is nothing to reprint. */
    find: fromPromise<TxnRecord | undefined, { stan?: string; reference?: string }>(notProvided('find')),
    print: fromPromise<{ record: TxnRecord; text: string }, { record: TxnRecord }>(notProvided('print')),
  },
}).createMachine({
  id: 'reprint',
  context: ({ input }) => ({ ...input }),
  initial: 'finding',
  states: {
    finding: {
      invoke: {
        id: 'find',
        src: 'find',
        input: ({ context }) => ({ stan: context.stan, reference: context.reference }),
        onDone: [
          { guard: ({ event }) => !event.output, target: 'done', actions: assign({ result: () => ({ ok: false, error: 'nothing to reprint' }) }) },
          { target: 'printing', actions: assign({ record: ({ event }) => event.output }) },
        ],
        onError: { target: 'done', actions: assign({ result: ({ event }) => ({ ok: false, error: (event.error as Error).message }) }) },
      },
    },
    printing: {
      invoke: {
        id: 'print',
        src: 'print',
        input: ({ context }) => ({ record: context.record! }),
        onDone: { target: 'done', actions: assign({ result: ({ event }) => ({ ok: true, record: event.output.record, text: event.output.text }) }) },
        onError: { target: 'done', actions: assign({ result: ({ context, event }) => ({ ok: false, record: context.record, error: (event.error as Error).message }) }) },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.result!,
});
