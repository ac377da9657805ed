/**
 * LSPS5 (bLIP-55) webhook registration and notifications, as pure functions.
 *
 * - `msgs.ts`: method names, error codes 500-503 and 1010, their JSON-RPC error objects, length limits
 * - `webhook.ts`: the `app_name` byte count and the `webhook` URL rules (codes 500-502)
 * - `set-webhook.ts`: `set_webhook`, `list_webhooks`, `remove_webhook` params and results, both directions
 * - `notification.ts`: notification methods and bodies, the signed message template, the two HTTP headers,
 *   and the reading of a received body (for a notification delivery service)
 */
export * from './msgs.js';
export * from './webhook.js';
export * from './set-webhook.js';
export * from './notification.js';
