/**
 * bLIP-55 "lsps5.set_webhook": the two strings a client registers, `app_name` and `webhook`, and the rules
 * the LSP checks on them. Pure: which destinations a webhook may reach after DNS is the LSP's policy
 * (service), not the protocol's.
 */
import { LSPS5_TOO_LONG, LSPS5_UNSUPPORTED_PROTOCOL, LSPS5_URL_PARSE_ERROR, MAX_APP_NAME_BYTES } from './msgs.js';
import { MAX_WEBHOOK_LENGTH } from './msgs.js';

/**
 * Bytes of `app_name` as bLIP-55 counts them: its UTF-8 JSON serialization without the quotes, so an
 * escape (`\"`, `\n`, `\u0000`) counts every byte it is written with. The raw request text is gone by the
 * time params are read, so the count is over the canonical form (what the LSP stores and would send back).
 */
export function appNameBytes(appName: string): number {
  return Buffer.byteLength(JSON.stringify(appName), 'utf8') - 2;
}

/** Why a webhook URL is refused, as the bLIP-55 code and a reason for the logs (never the whole URL). */
export type WebhookUrlCheck =
  | { ok: true; url: URL }
  | {
      ok: false;
      code: typeof LSPS5_TOO_LONG | typeof LSPS5_URL_PARSE_ERROR | typeof LSPS5_UNSUPPORTED_PROTOCOL;
      reason: string;
    };

// RFC 1738 / RFC 3986: a URI is printable ASCII without spaces (an IRI must be mapped to a URI by the client).
const URI_CHARS = /^[\x21-\x7e]+$/;

/**
 * bLIP-55: the `webhook` is at most 1024 ASCII characters (500 `too_long`), a URL (501 `url_parse_error`;
 * IRIs MUST be converted by the client, so any non-ASCII character is a parse error) and `https` (502
 * `unsupported_protocol`). Credentials in the URL (`user:pass@`) are refused as 501: a push URL carries its
 * authorisation in its path or query (bLIP-55 "Webhook URL Schema"), and userinfo is deprecated in https
 * URIs (RFC 9110 §4.2.4), so the LSP would have to send it as an Authorization header it never sends.
 */
export function checkWebhookUrl(webhook: string): WebhookUrlCheck {
  if (webhook.length > MAX_WEBHOOK_LENGTH)
    return { ok: false, code: LSPS5_TOO_LONG, reason: `webhook: expected at most ${MAX_WEBHOOK_LENGTH} characters` };
  if (!URI_CHARS.test(webhook))
    return { ok: false, code: LSPS5_URL_PARSE_ERROR, reason: 'webhook: expected printable ASCII without spaces' };
  let url: URL;
  try {
    url = new URL(webhook);
  } catch {
    return { ok: false, code: LSPS5_URL_PARSE_ERROR, reason: 'webhook: expected an absolute URL' };
  }
  if (url.protocol !== 'https:')
    return {
      ok: false,
      code: LSPS5_UNSUPPORTED_PROTOCOL,
      reason: `webhook: expected the https scheme, got ${JSON.stringify(url.protocol.slice(0, 16))}`,
    };
  if (url.username !== '' || url.password !== '')
    return { ok: false, code: LSPS5_URL_PARSE_ERROR, reason: 'webhook: expected no credentials in the URL' };
  if (url.hostname === '') return { ok: false, code: LSPS5_URL_PARSE_ERROR, reason: 'webhook: expected a host' };
  return { ok: true, url };
}

/** The `app_name` length rule (500 `too_long`); any string is otherwise a valid name. */
export function isAppNameTooLong(appName: string): boolean {
  return appNameBytes(appName) > MAX_APP_NAME_BYTES;
}
