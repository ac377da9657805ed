/**
 * The LSP's LSPS5 limits (bLIP-55 leaves the numbers to the LSP; these are lightning-liquidity's defaults).
 */

/** bLIP-55: "The LSP supports some maximum number of webhooks" per client. */
export const DEFAULT_MAX_WEBHOOKS_PER_CLIENT = 10;
/**
 * bLIP-55 "Rate-limiting Notifications By method": no two notifications of one method (other than
 * `webhook_registered`) within this window while the client stays offline; "on the order of minutes".
 */
export const DEFAULT_NOTIFICATION_COOLDOWN_MS = 60_000;
/**
 * How long a client's webhooks are kept after its last sign of life (its last set_webhook, or the last time
 * the LSP saw a channel with it). bLIP-55 MUST: at least 7 days with no channel, and indefinitely while a
 * channel is open.
 */
export const DEFAULT_WEBHOOK_RETENTION_MS = 30 * 24 * 3600_000;
/** bLIP-55's floor for the retention above. */
export const MIN_WEBHOOK_RETENTION_MS = 7 * 24 * 3600_000;
/**
 * How stale a client's "last seen with a channel" mark may get before the retention pass rewrites it. The
 * retention is counted from that mark, so the retention actually kept after the last channel closes is at
 * least retention minus this (checked against bLIP-55's 7 days in `checkLsps5Policy`).
 */
export const RETENTION_MARK_REFRESH_MS = 24 * 3600_000;

export interface Lsps5Policy {
  maxWebhooksPerClient: number;
  cooldownMs: number;
  retentionMs: number;
}

export const DEFAULT_LSPS5_POLICY: Lsps5Policy = {
  maxWebhooksPerClient: DEFAULT_MAX_WEBHOOKS_PER_CLIENT,
  cooldownMs: DEFAULT_NOTIFICATION_COOLDOWN_MS,
  retentionMs: DEFAULT_WEBHOOK_RETENTION_MS,
};

/** Throws a RangeError naming the setting that would break a bLIP-55 MUST. */
export function checkLsps5Policy(p: Lsps5Policy): void {
  if (!Number.isInteger(p.maxWebhooksPerClient) || p.maxWebhooksPerClient < 1)
    throw new RangeError(`lsps5 policy/maxWebhooksPerClient: expected an integer >= 1, got ${p.maxWebhooksPerClient}`);
  if (!(p.cooldownMs >= 0)) throw new RangeError(`lsps5 policy/cooldownMs: expected >= 0, got ${p.cooldownMs}`);
  if (!(p.retentionMs - RETENTION_MARK_REFRESH_MS >= MIN_WEBHOOK_RETENTION_MS))
    throw new RangeError(
      `lsps5 policy/retentionMs: expected at least 8 days (bLIP-55 keeps webhooks 7 days after the last channel), got ${p.retentionMs} ms`,
    );
}
