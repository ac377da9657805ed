/**
 * bLIP-55 `lsps5.set_webhook`, `lsps5.list_webhooks` and `lsps5.remove_webhook`: params and results in both
 * directions. Length and URL rules that have their own error codes (500..502) are checked by the LSP after
 * the params parse (`webhook.ts`), so a string of any length parses here.
 */
import { expectBoolean, expectObject, expectString, expectUint, fail, own, U32_MAX } from '../lsps0/guards.js';
import { type ParamsResult, parseParams } from '../lsps0/params.js';

export interface SetWebhookRequest {
  appName: string;
  webhook: string;
}

export interface SetWebhookResult {
  numWebhooks: number;
  maxWebhooks: number;
  /** bLIP-55: true when the same `app_name` and `webhook` were already stored (no notification is sent). */
  noChange: boolean;
}

export interface ListWebhooksResult {
  appNames: string[];
  maxWebhooks: number;
}

export interface RemoveWebhookRequest {
  appName: string;
}

/** LSP side: `{ app_name, webhook }`, both required strings. */
export function parseSetWebhookParams(params: Record<string, unknown>): ParamsResult<SetWebhookRequest> {
  return parseParams(params, ['app_name', 'webhook'], 'lsps5.set_webhook', (p) => ({
    appName: expectString(own(p, 'app_name'), 'lsps5.set_webhook/app_name'),
    webhook: expectString(own(p, 'webhook'), 'lsps5.set_webhook/webhook'),
  }));
}

/** LSP side: `{}` (bLIP-55: list_webhooks takes no parameters). */
export function parseListWebhooksParams(params: Record<string, unknown>): ParamsResult<Record<string, never>> {
  return parseParams(params, [], 'lsps5.list_webhooks', () => ({}));
}

/** LSP side: `{ app_name }`. */
export function parseRemoveWebhookParams(params: Record<string, unknown>): ParamsResult<RemoveWebhookRequest> {
  return parseParams(params, ['app_name'], 'lsps5.remove_webhook', (p) => ({
    appName: expectString(own(p, 'app_name'), 'lsps5.remove_webhook/app_name'),
  }));
}

export function setWebhookParamsToWire(req: SetWebhookRequest): Record<string, unknown> {
  return { app_name: req.appName, webhook: req.webhook };
}

export function removeWebhookParamsToWire(req: RemoveWebhookRequest): Record<string, unknown> {
  return { app_name: req.appName };
}

export function setWebhookResultToWire(r: SetWebhookResult): Record<string, unknown> {
  return { num_webhooks: r.numWebhooks, max_webhooks: r.maxWebhooks, no_change: r.noChange };
}

export function listWebhooksResultToWire(r: ListWebhooksResult): Record<string, unknown> {
  return { app_names: [...r.appNames], max_webhooks: r.maxWebhooks };
}

/** Client side. Unknown result keys are ignored (bLIP-50). */
export function parseSetWebhookResult(result: unknown): SetWebhookResult {
  const o = expectObject(result, 'lsps5.set_webhook/result');
  return {
    numWebhooks: expectUint(own(o, 'num_webhooks'), 'lsps5.set_webhook/num_webhooks', U32_MAX),
    maxWebhooks: expectUint(own(o, 'max_webhooks'), 'lsps5.set_webhook/max_webhooks', U32_MAX),
    noChange: expectBoolean(own(o, 'no_change'), 'lsps5.set_webhook/no_change'),
  };
}

export function parseListWebhooksResult(result: unknown): ListWebhooksResult {
  const o = expectObject(result, 'lsps5.list_webhooks/result');
  const names = own(o, 'app_names');
  if (!Array.isArray(names)) fail('lsps5.list_webhooks/app_names', 'an array', names);
  return {
    appNames: names.map((n, i) => expectString(n, `lsps5.list_webhooks/app_names[${i}]`)),
    maxWebhooks: expectUint(own(o, 'max_webhooks'), 'lsps5.list_webhooks/max_webhooks', U32_MAX),
  };
}

/** bLIP-55 remove_webhook succeeds with an empty result object. */
export function parseRemoveWebhookResult(result: unknown): Record<string, never> {
  expectObject(result, 'lsps5.remove_webhook/result');
  return {};
}
