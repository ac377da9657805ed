import { Lsps0FormatError, sanitizeErrorMessage } from '@jitlsp/shared/lsps0';

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

/**
 * Runs a parser of an LSP's result: a bLIP-50/52 format violation becomes an `invalid-response` error with
 * display-safe text (bLIP-52: unknown opening_fee_params fields or an oversize promise MUST abort the flow).
 */
export function parseLspResult<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof Lsps0FormatError)
      throw new Lsps2ClientError('invalid-response', sanitizeErrorMessage(e.message, 400));
    throw e;
  }
}
