/**
 * When the LSP contacts a client's webhooks (bLIP-55 "Webhook Call"), as pure functions over the cooldown
 * book: which notifications to send, to which URLs, and which to hold back.
 *
 * - `webhook_registered` goes to the one webhook just (re)registered, always (bLIP-55: "Only the
 *   newly-registered webhook is contacted"; it is exempt from the cooldown).
 * - Every other method goes to ALL the client's webhooks (bLIP-55 MUST), only while the client is not
 *   connected (SHOULD: "the client currently does not have a BOLT8 tunnel"), and at most once per cooldown
 *   window per method ("Rate-limiting Notifications By method"): a flood of payments to an offline client
 *   wakes it once a minute, not once per HTLC.
 * - The window resets when the client comes online ("The timeout should be reset once the client comes
 *   online and then goes offline").
 */
import { LSPS5_WEBHOOK_REGISTERED, type Lsps5Notification } from '@jitlsp/shared/lsps5';
import type { Webhook } from './webhook-book.js';

/** One client's cooldowns: when each method was last sent to it (epoch ms). Immutable; undefined = none. */
export type ClientCooldowns = ReadonlyMap<string, number> | undefined;

/** One POST to make. */
export interface Delivery {
  clientNodeId: string;
  appName: string;
  url: string;
  notification: Lsps5Notification;
}

export type HeldBack = 'client_connected' | 'no_webhook' | 'cooldown';

export interface GateStep {
  cooldowns: ClientCooldowns;
  deliveries: Delivery[];
  /** Why nothing was sent (undefined when something was). */
  heldBack?: HeldBack;
}

/** bLIP-55: `webhook_registered` to the webhook just stored, and only to it (no cooldown applies). */
export function webhookRegistered(webhook: Webhook): Delivery {
  return {
    clientNodeId: webhook.clientNodeId,
    appName: webhook.appName,
    url: webhook.url,
    notification: { method: LSPS5_WEBHOOK_REGISTERED },
  };
}

/**
 * An event the client should hear about (`payment_incoming`, `onion_message_incoming`, `expiry_soon`...), given
 * that client's cooldowns. When the client connects, the shell drops its cooldowns (the reset above).
 */
export function clientEvent(
  cooldowns: ClientCooldowns,
  ev: {
    notification: Lsps5Notification;
    webhooks: readonly Webhook[];
    connected: boolean;
    now: Date;
    cooldownMs: number;
  },
): GateStep {
  if (ev.notification.method === LSPS5_WEBHOOK_REGISTERED)
    throw new RangeError('clientEvent: webhook_registered goes through webhookRegistered');
  if (ev.connected) return { cooldowns, deliveries: [], heldBack: 'client_connected' };
  if (ev.webhooks.length === 0) return { cooldowns, deliveries: [], heldBack: 'no_webhook' };
  const last = cooldowns?.get(ev.notification.method);
  const t = ev.now.getTime();
  if (last !== undefined && t - last < ev.cooldownMs) return { cooldowns, deliveries: [], heldBack: 'cooldown' };
  return {
    cooldowns: new Map(cooldowns ?? []).set(ev.notification.method, t),
    deliveries: ev.webhooks.map((w) => ({
      clientNodeId: w.clientNodeId,
      appName: w.appName,
      url: w.url,
      notification: ev.notification,
    })),
  };
}

/** The client's cooldowns that have not run out; undefined when none is left (the shell forgets the client). */
export function liveCooldowns(cooldowns: ClientCooldowns, now: Date, cooldownMs: number): ClientCooldowns {
  if (cooldowns === undefined) return undefined;
  const t = now.getTime();
  const live = [...cooldowns].filter(([, at]) => t - at < cooldownMs);
  if (live.length === cooldowns.size) return cooldowns;
  return live.length === 0 ? undefined : new Map(live);
}
