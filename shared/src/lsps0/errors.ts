/**
 * LSPS0 (bLIP-50) error codes and the JSON-RPC 2.0 error objects the LSP answers with.
 *
 * bLIP-50 "Error Handling": the LSP MUST respect the JSON-RPC 2.0 standard codes; `-32700` goes
 * with `id: null`; a `-32602` reply MUST carry `data.unrecognized` (array of parameter names);
 * any `data` MUST be an object; code 1 (`client_rejected`) is shared by every LSPS.
 */

/** JSON-RPC 2.0 "Parse error": bLIP-50 "bad message format", always answered with `id: null`. */
export const JSONRPC_PARSE_ERROR = -32700;
/** JSON-RPC 2.0 "Invalid Request". */
export const JSONRPC_INVALID_REQUEST = -32600;
/** JSON-RPC 2.0 "Method not found" (bLIP-50: unknown method). */
export const JSONRPC_METHOD_NOT_FOUND = -32601;
/** JSON-RPC 2.0 "Invalid params" (bLIP-50: MUST include `data.unrecognized`). */
export const JSONRPC_INVALID_PARAMS = -32602;
/** JSON-RPC 2.0 "Internal error". */
export const JSONRPC_INTERNAL_ERROR = -32603;
/** JSON-RPC 2.0 implementation-defined server errors; bLIP-50: clients treat them as -32603. */
export const JSONRPC_SERVER_ERROR_MIN = -32099;
export const JSONRPC_SERVER_ERROR_MAX = -32000;
/** bLIP-50 "001 Client rejected" (`LSPS0.client_rejected_error`), data `{ message }`. */
export const LSPS0_CLIENT_REJECTED = 1;

/** The `error` member of a JSON-RPC 2.0 response. `data`, when present, is an object (bLIP-50). */
export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: Record<string, unknown>;
}

export const parseErrorObject = (): JsonRpcErrorObject => ({ code: JSONRPC_PARSE_ERROR, message: 'Parse error' });

export const invalidRequestObject = (): JsonRpcErrorObject => ({
  code: JSONRPC_INVALID_REQUEST,
  message: 'Invalid Request',
});

export const methodNotFoundObject = (): JsonRpcErrorObject => ({
  code: JSONRPC_METHOD_NOT_FOUND,
  message: 'Method not found',
});

/**
 * `-32602` with `data.unrecognized` (bLIP-50 MUST). We also use it for recognised parameters with a
 * wrong value; those are listed under `data.invalid` (bLIP-50 allows more fields: "at least the
 * field `unrecognized`"), and `unrecognized` is then empty.
 */
export function invalidParamsObject(
  unrecognized: readonly string[],
  invalid: readonly string[] = [],
): JsonRpcErrorObject {
  const data: Record<string, unknown> = { unrecognized: [...unrecognized] };
  if (invalid.length > 0) data.invalid = [...invalid];
  return { code: JSONRPC_INVALID_PARAMS, message: 'Invalid params', data };
}

export const internalErrorObject = (): JsonRpcErrorObject => ({
  code: JSONRPC_INTERNAL_ERROR,
  message: 'Internal error',
});

/** bLIP-50 `client_rejected` (code 1): `{ "message": %human_message% }`, e.g. "Client rejected". */
export function clientRejectedObject(humanMessage = 'Client rejected'): JsonRpcErrorObject {
  return { code: LSPS0_CLIENT_REJECTED, message: 'Client rejected', data: { message: humanMessage } };
}

/**
 * A value read from a peer that breaks an LSPS0 schema rule. The message reads
 * `Scope/field: expected X, got Y`; `field` is the dotted path of the offending value.
 */
export class Lsps0FormatError extends TypeError {
  override readonly name = 'Lsps0FormatError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
