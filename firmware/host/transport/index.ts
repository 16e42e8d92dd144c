// Acquirer-link transport public API: framing, TCP/TLS connection, typed errors.
export { encodeFrame, FrameDecoder, FramingError, resolveFraming } from './framing';
export type { DecodedFrame, FramingErrorCode, FramingOptions, LengthEncoding, ResolvedFraming } from './framing';
export { HostLinkError } from './errors';
export type { HostLinkErrorCode, RequestOutcome } from './errors';
export { TcpClient } from './tcp-client';
export type { ConnectionState, TcpClientOptions, TlsClientOptions } from './tcp-client';
export { backoffDelay, resolveBackoff } from './backoff';
export type { BackoffOptions, ResolvedBackoff } from './backoff';
export { BoundedMap, fieldText, matchKey, responseMtiFor } from './reply-book';
