/**
 * bLIP-55 (LSPS5) method names, error codes and their JSON-RPC error objects.
 *
 * bLIP-50 gives each LSPS the codes N*100..N*100+99, so LSPS5 owns 500..599; bLIP-55 also defines 1010
 * (`app_name_not_found`) for `lsps5.remove_webhook`.
 */
import { type JsonRpcErrorObject } from '../lsps0/errors.js';

export const LSPS5_PROTOCOL_NUMBER = 5;
export const LSPS5_SET_WEBHOOK_METHOD = 'lsps5.set_webhook';
export const LSPS5_LIST_WEBHOOKS_METHOD = 'lsps5.list_webhooks';
export const LSPS5_REMOVE_WEBHOOK_METHOD = 'lsps5.remove_webhook';

/** bLIP-55 set_webhook: `app_name` or `webhook` (or both) is too long. */
export const LSPS5_TOO_LONG = 500;
/** bLIP-55 set_webhook: `webhook` failed to parse as a URL (RFC 1738). */
export const LSPS5_URL_PARSE_ERROR = 501;
/** bLIP-55 set_webhook: `webhook` is not a protocol the LSP supports (it MUST support HTTPS). */
export const LSPS5_UNSUPPORTED_PROTOCOL = 502;
/** bLIP-55 set_webhook: the client already has the maximum number of webhooks; `data.max_webhooks`. */
export const LSPS5_TOO_MANY_WEBHOOKS = 503;
/** bLIP-55 remove_webhook: no webhook under that `app_name`. */
export const LSPS5_APP_NAME_NOT_FOUND = 1010;

/** bLIP-55: `app_name` is at most 64 bytes of UTF-8 (escapes counted as written, see `appNameBytes`). */
export const MAX_APP_NAME_BYTES = 64;
/** bLIP-55: `webhook` is at most 1024 ASCII characters. */
export const MAX_WEBHOOK_LENGTH = 1024;

export type Lsps5ErrorCode =
  | typeof LSPS5_TOO_LONG
  | typeof LSPS5_URL_PARSE_ERROR
  | typeof LSPS5_UNSUPPORTED_PROTOCOL
  | typeof LSPS5_TOO_MANY_WEBHOOKS
  | typeof LSPS5_APP_NAME_NOT_FOUND;

const NAMES: Record<number, string> = {
  [LSPS5_TOO_LONG]: 'too_long',
  [LSPS5_URL_PARSE_ERROR]: 'url_parse_error',
  [LSPS5_UNSUPPORTED_PROTOCOL]: 'unsupported_protocol',
  [LSPS5_TOO_MANY_WEBHOOKS]: 'too_many_webhooks',
  [LSPS5_APP_NAME_NOT_FOUND]: 'app_name_not_found',
};

/**
 * The JSON-RPC error object for an LSPS5 code; `message` is the spec's name for it. Only 503 carries `data`
 * (bLIP-55: `{ max_webhooks }`), so `maxWebhooks` is required for it and ignored otherwise.
 */
export function lsps5ErrorObject(code: Lsps5ErrorCode, maxWebhooks?: number): JsonRpcErrorObject {
  const message = NAMES[code];
  if (message === undefined) throw new RangeError(`lsps5ErrorObject: expected 500..503 or 1010, got ${code}`);
  if (code === LSPS5_TOO_MANY_WEBHOOKS) {
    if (maxWebhooks === undefined) throw new RangeError('lsps5ErrorObject: 503 needs max_webhooks');
    return { code, message, data: { max_webhooks: maxWebhooks } };
  }
  return { code, message };
}

/** The spec's name of an LSPS5 error code, for clients mapping codes to their own messages. */
export function lsps5ErrorName(code: number): string | undefined {
  return NAMES[code];
}
