// Typed errors of the acquirer link, each saying whether the request may have reached the host.

export type HostLinkErrorCode =
  | 'ECONNECT' // could not connect (refused, unreachable, TLS handshake failed)
  | 'ETIMEOUT' // connect timed out, or no response in time
  | 'EDISCONNECT' // the connection dropped
  | 'EGARBLED' // the host sent bytes that do not frame or decode, or an answer that does not fit the request
  | 'ECLOSED' // the link was closed by its owner
  | 'EABORTED'; // the caller aborted (AbortSignal)

/**
 * Whether a request may have reached the host.
 * - `not-sent`: no byte of it was written; safe to treat as never happened.
 * - `unknown`: it was written; the host may have approved it, so the money layer must reverse it.
 */
export type RequestOutcome = 'not-sent' | 'unknown';

/** Error every transport and link operation rejects with. */
export class HostLinkError extends Error {
  readonly code: HostLinkErrorCode;
  readonly outcome: RequestOutcome;
  /** True when the owner closed the link or the caller aborted. */
  readonly canceled: boolean;
  constructor(code: HostLinkErrorCode, outcome: RequestOutcome, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HostLinkError';
    this.code = code;
    this.outcome = outcome;
    this.canceled = code === 'ECLOSED' || code === 'EABORTED';
  }
}
