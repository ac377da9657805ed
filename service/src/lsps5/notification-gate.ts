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

/** Per client: when each method was last sent (epoch ms). Immutable. */
export type CooldownBook = ReadonlyMap<string, ReadonlyMap<string, number>>;

export const emptyCooldownBook = (): CooldownBook => new Map();

/** One POST to make. */
export interface Delivery {
  clientNodeId: string;
  appName: string;
  url: string;
  notification: Lsps5Notification;
}

export type HeldBack = 'client_connected' | 'no_webhook' | 'cooldown';

export interface GateStep {
  book: CooldownBook;
  deliveries: Delivery[];
  /** Why nothing was sent (undefined when something was). */
  heldBack?: HeldBack;
}

/** bLIP-55: `webhook_registered` to the webhook just stored, and only to it. */
export function webhookRegistered(book: CooldownBook, webhook: Webhook): GateStep {
  return {
    book,
    deliveries: [
      {
        clientNodeId: webhook.clientNodeId,
        appName: webhook.appName,
        url: webhook.url,
        notification: { method: LSPS5_WEBHOOK_REGISTERED },
      },
    ],
  };
}

/** An event the client should hear about (`payment_incoming`, `onion_message_incoming`, `expiry_soon`...). */
export function clientEvent(
  book: CooldownBook,
  ev: {
    clientNodeId: string;
    notification: Lsps5Notification;
    webhooks: readonly Webhook[];
    connected: boolean;
    now: Date;
    cooldownMs: number;
  },
): GateStep {
  if (ev.notification.method === LSPS5_WEBHOOK_REGISTERED)
    throw new RangeError('clientEvent: webhook_registered goes through webhookRegistered');
  if (ev.connected) return { book, deliveries: [], heldBack: 'client_connected' };
  if (ev.webhooks.length === 0) return { book, deliveries: [], heldBack: 'no_webhook' };
  const mine = book.get(ev.clientNodeId);
  const last = mine?.get(ev.notification.method);
  const t = ev.now.getTime();
  if (last !== undefined && t - last < ev.cooldownMs) return { book, deliveries: [], heldBack: 'cooldown' };
  const next = new Map(book);
  next.set(ev.clientNodeId, new Map(mine ?? []).set(ev.notification.method, t));
  return {
    book: next,
    deliveries: ev.webhooks.map((w) => ({
      clientNodeId: w.clientNodeId,
      appName: w.appName,
      url: w.url,
      notification: ev.notification,
    })),
  };
}

/** The client connected: its cooldowns end (the next time it is offline, it may be woken at once). */
export function clientConnected(book: CooldownBook, clientNodeId: string): CooldownBook {
  if (!book.has(clientNodeId)) return book;
  const next = new Map(book);
  next.delete(clientNodeId);
  return next;
}

/** Forgets cooldowns that have run out (keeps the book's size bounded by the clients notified recently). */
export function expireCooldowns(book: CooldownBook, now: Date, cooldownMs: number): CooldownBook {
  const t = now.getTime();
  let next: Map<string, ReadonlyMap<string, number>> | undefined;
  for (const [client, methods] of book) {
    const live = [...methods].filter(([, at]) => t - at < cooldownMs);
    if (live.length === methods.size) continue;
    next ??= new Map(book);
    if (live.length === 0) next.delete(client);
    else next.set(client, new Map(live));
  }
  return next ?? book;
}
