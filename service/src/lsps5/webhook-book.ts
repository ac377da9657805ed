/**
 * The registered webhooks and the decisions bLIP-55 asks of `lsps5.set_webhook`, `lsps5.remove_webhook` and
 * retention. Pure: each function takes the client's current webhooks and returns what to store and answer;
 * the service (`lsps5-service.ts`) persists before it answers (bLIP-55 MUST: "persist the given webhook ...
 * before responding").
 */
import {
  LSPS5_APP_NAME_NOT_FOUND,
  LSPS5_TOO_LONG,
  LSPS5_TOO_MANY_WEBHOOKS,
  checkWebhookUrl,
  isAppNameTooLong,
  type Lsps5ErrorCode,
  type SetWebhookResult,
} from '@jitlsp/shared/lsps5';
import { RETENTION_MARK_REFRESH_MS, type Lsps5Policy } from './policy.js';

/** One stored webhook (a row of `lsps5_webhooks`). */
export interface Webhook {
  clientNodeId: string;
  appName: string;
  url: string;
  createdAt: Date;
  updatedAt: Date;
  /** The client's last sign of life known when this was stored: retention counts from here. */
  retainedFrom: Date;
}

export type Refusal = { kind: 'refuse'; code: Lsps5ErrorCode | 'destination'; reason: string };

export type SetWebhookDecision =
  | Refusal
  /** Store `webhook` (insert or replace), answer `result`; `notify`: send `webhook_registered` to it. */
  | { kind: 'store'; webhook: Webhook; result: SetWebhookResult; notify: boolean };

/** Extra URL checks of the LSP's own (the destination policy); a string is the refusal's reason. */
export type UrlScreen = (url: URL) => string | undefined;

/**
 * bLIP-55 `lsps5.set_webhook`: an insert-or-replace under `app_name`, with a maximum number of inserted
 * webhooks. The same name and URL again answer `no_change: true` and send nothing; a new name or a changed
 * URL answer `no_change: false` and send `webhook_registered` to that one webhook. A repeated call still
 * stores (refreshing the retention mark: the client is alive).
 */
export function decideSetWebhook(
  existing: readonly Webhook[],
  req: { clientNodeId: string; appName: string; webhook: string },
  now: Date,
  policy: Lsps5Policy,
  screen: UrlScreen = () => undefined,
): SetWebhookDecision {
  const nameTooLong = isAppNameTooLong(req.appName);
  const url = checkWebhookUrl(req.webhook);
  if (nameTooLong || (!url.ok && url.code === LSPS5_TOO_LONG))
    return {
      kind: 'refuse',
      code: LSPS5_TOO_LONG,
      reason: nameTooLong ? 'app_name: over 64 bytes' : (url as { reason: string }).reason,
    };
  if (!url.ok) return { kind: 'refuse', code: url.code, reason: url.reason };
  const screened = screen(url.url);
  if (screened !== undefined) return { kind: 'refuse', code: 'destination', reason: screened };

  const same = existing.find((w) => w.appName === req.appName);
  if (!same && existing.length >= policy.maxWebhooksPerClient)
    return {
      kind: 'refuse',
      code: LSPS5_TOO_MANY_WEBHOOKS,
      reason: `client already has ${existing.length} of ${policy.maxWebhooksPerClient} webhooks`,
    };
  const noChange = same !== undefined && same.url === req.webhook;
  const webhook: Webhook = {
    clientNodeId: req.clientNodeId,
    appName: req.appName,
    url: req.webhook,
    createdAt: same?.createdAt ?? now,
    updatedAt: noChange ? same.updatedAt : now,
    retainedFrom: now,
  };
  return {
    kind: 'store',
    webhook,
    result: {
      numWebhooks: existing.length + (same ? 0 : 1),
      maxWebhooks: policy.maxWebhooksPerClient,
      noChange,
    },
    notify: !noChange,
  };
}

export type RemoveWebhookDecision = { kind: 'remove'; appName: string } | Refusal;

/** bLIP-55 `lsps5.remove_webhook`: 1010 `app_name_not_found` for a name the client has no webhook under. */
export function decideRemoveWebhook(existing: readonly Webhook[], appName: string): RemoveWebhookDecision {
  if (!existing.some((w) => w.appName === appName))
    return { kind: 'refuse', code: LSPS5_APP_NAME_NOT_FOUND, reason: 'no webhook under that app_name' };
  return { kind: 'remove', appName };
}

/** What one retention pass does: clients whose mark is refreshed, and webhooks deleted. */
export interface RetentionPass {
  /** Clients with a channel now whose mark is older than RETENTION_MARK_REFRESH_MS: mark them `now`. */
  refresh: string[];
  /** Webhooks of clients with no channel whose mark is older than the retention. */
  expire: { clientNodeId: string; appName: string }[];
}

/**
 * bLIP-55 MUST: remember webhooks indefinitely while the client has a channel, and for at least 7 days when it
 * has none (counted from its last set_webhook, or from the last time the LSP saw a channel with it).
 */
export function retentionPass(
  all: Iterable<Webhook>,
  hasChannel: (clientNodeId: string) => boolean,
  now: Date,
  policy: Lsps5Policy,
): RetentionPass {
  const refresh = new Set<string>();
  const expire: RetentionPass['expire'] = [];
  const t = now.getTime();
  for (const w of all) {
    const age = t - w.retainedFrom.getTime();
    if (hasChannel(w.clientNodeId)) {
      if (age > RETENTION_MARK_REFRESH_MS) refresh.add(w.clientNodeId);
    } else if (age > policy.retentionMs) {
      expire.push({ clientNodeId: w.clientNodeId, appName: w.appName });
    }
  }
  return { refresh: [...refresh], expire };
}
