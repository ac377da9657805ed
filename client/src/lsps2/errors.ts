/**
 * Why an LSPS2 client call failed. Every failure the user may see carries `displayMessage`, which
 * is safe to show: an LSP's error text is sanitised (bLIP-50: clients MUST filter NUL, `<`,
 * newlines and control characters before display) and bounded in length.
 */
export type Lsps2ClientErrorKind =
  /** No response before the deadline. */
  | 'timeout'
  /** The LSP answered with a JSON-RPC error (see `code`). */
  | 'lsp-error'
  /** The LSP's result broke a bLIP-50/52 rule the client MUST abort on (unknown field, long promise, menu order...). */
  | 'invalid-response'
  /** The client's own checks refused (expired params, size out of bounds, fee limits). */
  | 'refused'
  /** Could not send (peer not connected). */
  | 'send-failed'
  /** The client was closed with the request pending. */
  | 'closed';

export class Lsps2ClientError extends Error {
  override readonly name = 'Lsps2ClientError';
  constructor(
    readonly kind: Lsps2ClientErrorKind,
    /** Display-safe text. */
    readonly displayMessage: string,
    /** The LSP's error code for `lsp-error` (bLIP-52 200..203, 1, or JSON-RPC codes). */
    readonly code?: number,
  ) {
    super(`lsps2 client/${kind}: ${displayMessage}`);
  }
}
