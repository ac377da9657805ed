/**
 * An HTTP error with a status and a stable machine-readable code; the error middleware answers it as
 * `{"error":{"code","message"}}`. Anything else thrown by a route becomes a 500 `internal_error` whose
 * details are logged, never sent.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra machine-readable fields answered beside `code` and `message` (e.g. `spendable_sat`). */
    readonly details?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string) => new HttpError(400, 'bad_request', message);
export const notFound = (message: string) => new HttpError(404, 'not_found', message);
export const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);
