/**
 * The JSON-RPC 2.0 envelope as bLIP-50 restricts it: the LSP is the server, the client the
 * client; one message is one request, one response or one notification (no batches); params are
 * by name only; clients never send notifications; client ids are high-entropy strings.
 *
 * Which error the LSP answers (a decision, since bLIP-50 and JSON-RPC overlap here):
 * - `-32700`, `id: null`: the payload is not one JSON object (bad UTF-8, NUL, invalid JSON,
 *   trailing data, an array/batch, a scalar), or it is an object that is not a request at all
 *   (no `method` member: a response or anything else). This is bLIP-50's "bad message format".
 * - `-32600`: an object with a `method` member that breaks a request rule (`jsonrpc` not "2.0",
 *   method not a string, params by position or not an object, no `id` (a notification), an `id`
 *   that is not a string, unknown members). The id is echoed when it is a string or a number, so
 *   the client can match the failure to its request; otherwise `id: null` (JSON-RPC 2.0 §5).
 * Unknown methods (-32601) and unknown params (-32602) are for the dispatcher, which knows the
 * methods; see `unrecognizedParams`.
 */
import { type JsonRpcErrorObject, invalidRequestObject, parseErrorObject } from './errors.js';
import { describeValue, hasOwn, isJsonObject, own } from './guards.js';
import { decodePayload } from './payload.js';

/** Ids the LSP may echo in an error response; LSPS0 clients send strings. */
export type JsonRpcId = string | number | null;

export interface JsonRpcRequest {
  id: string;
  method: string;
  /** By-name params; `{}` when the request omitted them (JSON-RPC 2.0 allows that). */
  params: Record<string, unknown>;
}

/** What the LSP got: a request to dispatch, or the error to answer (with the id to answer it on). */
export type ServerInbound =
  | { kind: 'request'; request: JsonRpcRequest }
  | { kind: 'invalid'; id: JsonRpcId; error: JsonRpcErrorObject; reason: string };

/** What the client got. `invalid` messages MUST be ignored (bLIP-50), and SHOULD be logged. */
export type ClientInbound =
  | { kind: 'result'; id: string; result: Record<string, unknown> }
  | { kind: 'error'; id: string | null; error: JsonRpcErrorObject }
  | { kind: 'notification'; method: string; params: Record<string, unknown> }
  | { kind: 'invalid'; reason: string };

const REQUEST_MEMBERS = new Set(['jsonrpc', 'method', 'params', 'id']);

/**
 * Parses a 37913 payload received by the LSP.
 * @example parseServerInbound('{"jsonrpc":"2.0","id":"a1","method":"lsps0.list_protocols","params":{}}')
 */
export function parseServerInbound(payload: Uint8Array | string): ServerInbound {
  const decoded = decodePayload(payload);
  if (!decoded.ok) return { kind: 'invalid', id: null, error: parseErrorObject(), reason: decoded.reason };
  const obj = decoded.object;
  if (!hasOwn(obj, 'method')) {
    const what = hasOwn(obj, 'result') || hasOwn(obj, 'error') ? 'a response' : 'an object without "method"';
    return {
      kind: 'invalid',
      id: null,
      error: parseErrorObject(),
      reason: `message: expected a JSON-RPC 2.0 request, got ${what}`,
    };
  }
  const rawId = own(obj, 'id');
  const echoId: JsonRpcId =
    typeof rawId === 'string' || (typeof rawId === 'number' && Number.isFinite(rawId)) ? rawId : null;
  const invalid = (reason: string): ServerInbound => ({
    kind: 'invalid',
    id: echoId,
    error: invalidRequestObject(),
    reason,
  });

  if (own(obj, 'jsonrpc') !== '2.0')
    return invalid(`request/jsonrpc: expected "2.0", got ${describeValue(own(obj, 'jsonrpc'))}`);
  if (!hasOwn(obj, 'id'))
    return invalid('request/id: expected a string id (LSPS0 clients MUST NOT send notifications), got nothing');
  if (typeof rawId !== 'string') return invalid(`request/id: expected a string, got ${describeValue(rawId)}`);
  const method = own(obj, 'method');
  if (typeof method !== 'string' || method.length === 0)
    return invalid(`request/method: expected a non-empty string, got ${describeValue(method)}`);
  let params: Record<string, unknown> = {};
  if (hasOwn(obj, 'params')) {
    const p = own(obj, 'params');
    if (Array.isArray(p))
      return invalid('request/params: expected by-name params (an object), got by-position params (an array)');
    if (!isJsonObject(p)) return invalid(`request/params: expected an object, got ${describeValue(p)}`);
    params = p;
  }
  for (const key of Object.keys(obj)) {
    if (!REQUEST_MEMBERS.has(key))
      return invalid(
        `request: expected only jsonrpc, id, method and params, got member ${JSON.stringify(key.slice(0, 40))}`,
      );
  }
  return { kind: 'request', request: { id: rawId, method, params } };
}

/**
 * Parses a 37913 payload received by the client: a response to one of its requests or an LSP
 * notification. Unknown top-level members are ignored (bLIP-50: clients ignore unrecognised
 * keys). A non-object `error.data` is dropped rather than failing the message, so the pending
 * request still completes; clients MUST NOT rely on `data` unless the code defines it.
 */
export function parseClientInbound(payload: Uint8Array | string): ClientInbound {
  const decoded = decodePayload(payload);
  if (!decoded.ok) return { kind: 'invalid', reason: decoded.reason };
  const obj = decoded.object;
  if (own(obj, 'jsonrpc') !== '2.0')
    return { kind: 'invalid', reason: `message/jsonrpc: expected "2.0", got ${describeValue(own(obj, 'jsonrpc'))}` };

  if (!hasOwn(obj, 'id')) {
    // bLIP-50: an LSP notification has `method`, `params` (by name) and `jsonrpc`, and no `id`.
    const method = own(obj, 'method');
    const params = own(obj, 'params');
    if (typeof method !== 'string' || method.length === 0)
      return {
        kind: 'invalid',
        reason: `notification/method: expected a non-empty string, got ${describeValue(method)}`,
      };
    if (!isJsonObject(params))
      return {
        kind: 'invalid',
        reason: `notification/params: expected an object (by-name params), got ${describeValue(params)}`,
      };
    return { kind: 'notification', method, params };
  }
  if (hasOwn(obj, 'method'))
    return { kind: 'invalid', reason: 'message: expected a response or notification, got a request' };

  const id = own(obj, 'id');
  const hasResult = hasOwn(obj, 'result');
  const hasError = hasOwn(obj, 'error');
  if (hasResult === hasError)
    return { kind: 'invalid', reason: 'response: expected exactly one of "result" and "error"' };
  if (hasResult) {
    if (typeof id !== 'string')
      return { kind: 'invalid', reason: `response/id: expected a string, got ${describeValue(id)}` };
    const result = own(obj, 'result');
    // bLIP-50: every LSPS result is an object.
    if (!isJsonObject(result))
      return { kind: 'invalid', reason: `response/result: expected an object, got ${describeValue(result)}` };
    return { kind: 'result', id, result };
  }
  if (typeof id !== 'string' && id !== null)
    return { kind: 'invalid', reason: `response/id: expected a string or null, got ${describeValue(id)}` };
  const err = own(obj, 'error');
  if (!isJsonObject(err))
    return { kind: 'invalid', reason: `response/error: expected an object, got ${describeValue(err)}` };
  const code = own(err, 'code');
  const message = own(err, 'message');
  if (typeof code !== 'number' || !Number.isSafeInteger(code))
    return { kind: 'invalid', reason: `response/error.code: expected an integer, got ${describeValue(code)}` };
  if (typeof message !== 'string')
    return { kind: 'invalid', reason: `response/error.message: expected a string, got ${describeValue(message)}` };
  const data = own(err, 'data');
  const error: JsonRpcErrorObject = isJsonObject(data) ? { code, message, data } : { code, message };
  return { kind: 'error', id, error };
}

/** A request from the client. `params` are by name (bLIP-50). */
export function serializeRequest(request: JsonRpcRequest): string {
  if (typeof request.id !== 'string' || request.id.length === 0)
    throw new TypeError('request/id: expected a non-empty string');
  if (typeof request.method !== 'string' || request.method.length === 0)
    throw new TypeError('request/method: expected a non-empty string');
  if (!isJsonObject(request.params)) throw new TypeError('request/params: expected an object (by-name params)');
  return JSON.stringify({ jsonrpc: '2.0', id: request.id, method: request.method, params: request.params });
}

/** A success response from the LSP; bLIP-50: `result` is an object. */
export function serializeResultResponse(id: string, result: Record<string, unknown>): string {
  if (!isJsonObject(result)) throw new TypeError('response/result: expected an object');
  return JSON.stringify({ jsonrpc: '2.0', id, result });
}

/** An error response from the LSP; `data`, when present, must be an object (bLIP-50). */
export function serializeErrorResponse(id: JsonRpcId, error: JsonRpcErrorObject): string {
  if (!Number.isSafeInteger(error.code)) throw new TypeError('response/error.code: expected an integer');
  const e: Record<string, unknown> = { code: error.code, message: error.message };
  if (error.data !== undefined) {
    if (!isJsonObject(error.data)) throw new TypeError('response/error.data: expected an object');
    e.data = error.data;
  }
  return JSON.stringify({ jsonrpc: '2.0', id, error: e });
}

/** A notification from the LSP: `method` and by-name `params`, no `id` (bLIP-50). */
export function serializeNotification(method: string, params: Record<string, unknown>): string {
  if (!isJsonObject(params)) throw new TypeError('notification/params: expected an object (by-name params)');
  return JSON.stringify({ jsonrpc: '2.0', method, params });
}

/**
 * A fresh request id: lowercase hex of 16 random bytes (128 bits). bLIP-50: clients MUST use a
 * high-entropy id (at least 80 random bits from a CSPRNG), never a counter. `random` is injected.
 */
export function newRequestId(random: (n: number) => Uint8Array): string {
  const bytes = random(16);
  if (bytes.length !== 16) throw new RangeError(`newRequestId/random: expected 16 bytes, got ${bytes.length}`);
  return Buffer.from(bytes).toString('hex');
}
