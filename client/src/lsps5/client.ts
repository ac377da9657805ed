/**
 * The LSPS5 client (bLIP-55): registers, lists and removes the wallet's webhooks at one LSP, over the LSPS0
 * connection of that LSP's LSPS2 client (one listener per LSP matches every answer to its request).
 *
 * Client rules applied before sending (bLIP-55 "The client"): the webhook MUST be an https URI (an IRI is
 * converted first: `new URL` maps an internationalised host to punycode and percent-encodes the rest), at most
 * 1024 ASCII characters, with no credentials; `app_name` at most 64 bytes. A refused input never reaches the LSP.
 */
import {
  checkWebhookUrl,
  isAppNameTooLong,
  LSPS5_LIST_WEBHOOKS_METHOD,
  LSPS5_REMOVE_WEBHOOK_METHOD,
  LSPS5_SET_WEBHOOK_METHOD,
  parseListWebhooksResult,
  parseRemoveWebhookResult,
  parseSetWebhookResult,
  removeWebhookParamsToWire,
  setWebhookParamsToWire,
  type ListWebhooksResult,
  type SetWebhookResult,
} from '@jitlsp/shared/lsps5';
import { Lsps2ClientError, parseLspResult } from '../lsps2/errors.js';

/** Whatever sends one LSPS0 request to the LSP and resolves its result (an `Lsps2Client`). */
export interface Lsps0Caller {
  request(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/** The URI form of `webhook` (IRI -> URI, RFC 3987 §3.1), as `new URL` serialises it. */
export function webhookUri(webhook: string): string {
  try {
    return new URL(webhook).href;
  } catch {
    return webhook;
  }
}

export class Lsps5Client {
  constructor(private readonly lsp: Lsps0Caller) {}

  /** bLIP-55 `lsps5.set_webhook`: insert or replace the webhook under `appName`. */
  async setWebhook(appName: string, webhook: string): Promise<SetWebhookResult> {
    const uri = webhookUri(webhook);
    if (isAppNameTooLong(appName)) throw new Lsps2ClientError('refused', 'lsps5.set_webhook/app_name: over 64 bytes');
    const check = checkWebhookUrl(uri);
    if (!check.ok) throw new Lsps2ClientError('refused', `lsps5.set_webhook/${check.reason}`);
    const result = await this.lsp.request(LSPS5_SET_WEBHOOK_METHOD, setWebhookParamsToWire({ appName, webhook: uri }));
    return parseLspResult(() => parseSetWebhookResult(result));
  }

  /** bLIP-55 `lsps5.list_webhooks`: the app names registered for this wallet, and the LSP's maximum. */
  async listWebhooks(): Promise<ListWebhooksResult> {
    const result = await this.lsp.request(LSPS5_LIST_WEBHOOKS_METHOD, {});
    return parseLspResult(() => parseListWebhooksResult(result));
  }

  /** bLIP-55 `lsps5.remove_webhook`; an unknown name is an `lsp-error` with code 1010. */
  async removeWebhook(appName: string): Promise<void> {
    const result = await this.lsp.request(LSPS5_REMOVE_WEBHOOK_METHOD, removeWebhookParamsToWire({ appName }));
    parseLspResult(() => parseRemoveWebhookResult(result));
  }
}
