/**
 * bLIP-55 "Webhook Call": the notification object the LSP POSTs to a webhook, the message it signs, and the
 * two headers that carry the timestamp and the signature.
 *
 * The body is a JSON-RPC 2.0 notification (no `id`) with by-name `params`; the LSP signs
 * `LSPS5: DO NOT SIGN THIS MESSAGE MANUALLY: LSP: At ${timestamp} I notify ${body}` as UTF-8, where
 * `timestamp` is an `LSPS0.datetime` (`YYYY-MM-DDThh:mm:ss.uuuZ`) and `body` the exact bytes sent, with its
 * node key as an `LSPS0.ln_signature`. The signature therefore covers the body as serialised: the receiver
 * verifies the bytes it got, before parsing them.
 */
import { parseDatetime, type Lsps0Datetime } from '../lsps0/datetime.js';
import { describeValue, expectUint, isJsonObject, own, U32_MAX } from '../lsps0/guards.js';

export const LSPS5_WEBHOOK_REGISTERED = 'lsps5.webhook_registered';
export const LSPS5_PAYMENT_INCOMING = 'lsps5.payment_incoming';
export const LSPS5_EXPIRY_SOON = 'lsps5.expiry_soon';
export const LSPS5_LIQUIDITY_MANAGEMENT_REQUEST = 'lsps5.liquidity_management_request';
export const LSPS5_ONION_MESSAGE_INCOMING = 'lsps5.onion_message_incoming';

/** The notification methods bLIP-55 defines (the LSP MUST NOT send them over LSPS0). */
export const LSPS5_NOTIFICATION_METHODS = [
  LSPS5_WEBHOOK_REGISTERED,
  LSPS5_PAYMENT_INCOMING,
  LSPS5_EXPIRY_SOON,
  LSPS5_LIQUIDITY_MANAGEMENT_REQUEST,
  LSPS5_ONION_MESSAGE_INCOMING,
] as const;

export type Lsps5NotificationMethod = (typeof LSPS5_NOTIFICATION_METHODS)[number];

/** HTTP headers of a webhook call (lower case, as Node presents received headers). */
export const LSPS5_TIMESTAMP_HEADER = 'x-lsps5-timestamp';
export const LSPS5_SIGNATURE_HEADER = 'x-lsps5-signature';

/** A notification as the LSP decides it; `expiry_soon` carries the block height of the forced close. */
export type Lsps5Notification =
  | {
      method:
        | typeof LSPS5_WEBHOOK_REGISTERED
        | typeof LSPS5_PAYMENT_INCOMING
        | typeof LSPS5_LIQUIDITY_MANAGEMENT_REQUEST
        | typeof LSPS5_ONION_MESSAGE_INCOMING;
    }
  | { method: typeof LSPS5_EXPIRY_SOON; timeoutBlockHeight: number };

export function isLsps5NotificationMethod(method: string): method is Lsps5NotificationMethod {
  return (LSPS5_NOTIFICATION_METHODS as readonly string[]).includes(method);
}

/** The exact POST body: `{"jsonrpc":"2.0","method":...,"params":{...}}`. */
export function notificationBody(n: Lsps5Notification): string {
  const params = n.method === LSPS5_EXPIRY_SOON ? { timeout: n.timeoutBlockHeight } : {};
  return JSON.stringify({ jsonrpc: '2.0', method: n.method, params });
}

/** The string the LSP signs for a notification (bLIP-55's template, filled in). */
export function lsps5SignedText(timestamp: string, body: string): string {
  return `LSPS5: DO NOT SIGN THIS MESSAGE MANUALLY: LSP: At ${timestamp} I notify ${body}`;
}

/** The UTF-8 bytes signed (no trailing NUL). */
export function lsps5SignedMessage(timestamp: string, body: string): Uint8Array {
  return new TextEncoder().encode(lsps5SignedText(timestamp, body));
}

/** A received webhook call's body, read as bLIP-55 requires the notification delivery service to read it. */
export type ParsedNotification =
  | {
      ok: true;
      method: string;
      params: Record<string, unknown>;
      /** Whether bLIP-55 defines `method` (a delivery service MUST ignore methods it does not recognise). */
      known: boolean;
      /** `lsps5.expiry_soon` only: params.timeout. */
      timeoutBlockHeight?: number;
    }
  | { ok: false; reason: string };

/**
 * bLIP-55: the body MUST be a valid JSON-RPC 2.0 notification object: `jsonrpc` "2.0", a string `method`,
 * by-name `params`, and no `id`. Unknown params are ignored (a service MUST ignore parameters it does not
 * recognise); a known method's own params are checked (`expiry_soon` needs a block height).
 */
export function parseNotificationBody(body: string): ParsedNotification {
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'body: expected JSON' };
  }
  if (!isJsonObject(v)) return { ok: false, reason: `body: expected a JSON object, got ${describeValue(v)}` };
  if (own(v, 'jsonrpc') !== '2.0')
    return { ok: false, reason: `body/jsonrpc: expected "2.0", got ${describeValue(own(v, 'jsonrpc'))}` };
  if (Object.prototype.hasOwnProperty.call(v, 'id'))
    return { ok: false, reason: 'body: expected a notification (no id), got a request' };
  const method = own(v, 'method');
  if (typeof method !== 'string' || method.length === 0)
    return { ok: false, reason: `body/method: expected a non-empty string, got ${describeValue(method)}` };
  const params = own(v, 'params');
  if (!isJsonObject(params))
    return { ok: false, reason: `body/params: expected an object (by-name params), got ${describeValue(params)}` };
  const known = isLsps5NotificationMethod(method);
  if (method === LSPS5_EXPIRY_SOON) {
    try {
      const timeout = expectUint(own(params, 'timeout'), 'body/params/timeout', U32_MAX, 'a block height');
      return { ok: true, method, params, known, timeoutBlockHeight: timeout };
    } catch (e) {
      return { ok: false, reason: (e as Error).message };
    }
  }
  return { ok: true, method, params, known };
}

/** The `x-lsps5-timestamp` header: an `LSPS0.datetime`; null when it is not one. */
export function parseTimestampHeader(value: unknown): Lsps0Datetime | null {
  try {
    return parseDatetime(value, LSPS5_TIMESTAMP_HEADER);
  } catch {
    return null;
  }
}
