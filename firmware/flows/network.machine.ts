// Network management as an XState machine: sign-on, echo, and the host status query for a transaction whose outcome is unknown.
import { assign, fromPromise, setup } from 'xstate';
import type { IsoMessage } from '../host/iso8583';

export type NetworkKind = 'sign-on' | 'echo' | 'status-query';

export interface NetworkResult {
  kind: NetworkKind;
  ok: boolean;
  responseCode?: string;
  /** Status query: what the host says happened to the original (`approved`, `declined`, `reversed`, `voided`, `unknown`). */
  hostStatus?: string;
  error?: string;
}

const notProvided = () => {
  throw new Error('flow actor exchange was not provided');
};

const text = (v: string | Buffer | undefined): string | undefined => (v === undefined ? undefined : (Buffer.isBuffer(v) ? v.toString('latin1') : v).trim() || undefined);

export const networkMachine = setup({
  types: {
    input: {} as { kind: NetworkKind; request: IsoMessage },
    context: {} as { kind: NetworkKind; request: IsoMessage; result?: NetworkResult },
    output: {} as NetworkResult,
  },
  actors: { exchange: fromPromise<IsoMessage, { request: IsoMessage }>(notProvided) },
}).createMachine({
  id: 'network',
  context: ({ input }) => ({ ...input }),
  initial: 'sending',
  states: {
    sending: {
      invoke: {
        id: 'exchange',
        src: 'exchange',
        input: ({ context }) => ({ request: context.request }),
        onDone: {
          target: 'done',
          actions: assign({
            result: ({ context, event }) => {
              const rc = text(event.output.fields[39]);
              const status = text(event.output.fields[48])?.replace(/^status=/, '');
              // A status query is answered with the original's response code: any answer is a good answer.
              return { kind: context.kind, ok: context.kind === 'status-query' ? rc !== undefined : rc === '00', responseCode: rc, ...(context.kind === 'status-query' ? { hostStatus: status ?? 'unknown' } : {}) };
            },
          }),
        },
        onError: { target: 'done', actions: assign({ result: ({ context, event }) => ({ kind: context.kind, ok: false, error: (event.error as Error).message }) }) },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.result!,
});
