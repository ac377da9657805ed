/**
 * What the rest of the LSP tells LSPS5 (bLIP-55 "Webhook Call" conditions), one call per event: the JIT shell
 * calls these where the events happen and LSPS5 decides whether and whom to notify (client offline, webhooks
 * registered, cooldown). Each call returns at once; nothing here can hold up an HTLC or a message.
 */

/** bLIP-55 `expiry_soon`: "within 24 blocks of being timed out". */
export const EXPIRY_SOON_WINDOW_BLOCKS = 24;

export interface ClientWakeUp {
  /** An HTLC for the client is held (bLIP-55 `lsps5.payment_incoming`). */
  paymentIncoming(clientNodeId: string): void;
  /** An onion message for the client was put in its mailbox (`lsps5.onion_message_incoming`). */
  onionMessageIncoming(clientNodeId: string): void;
  /** A held HTLC of the client times out at `timeoutBlockHeight` (`lsps5.expiry_soon`). */
  expirySoon(clientNodeId: string, timeoutBlockHeight: number): void;
  /** Whether the client's onion messages are held while it is offline (it has a webhook). */
  holdsOnionMessages(clientNodeId: string): boolean;
}

export const NO_WAKE_UP: ClientWakeUp = {
  paymentIncoming: () => {},
  onionMessageIncoming: () => {},
  expirySoon: () => {},
  holdsOnionMessages: () => false,
};

/**
 * The block height to announce in `expiry_soon` for HTLCs with these CLTV expiries: the earliest one, when it
 * is within `windowBlocks` of `blockHeight`; otherwise undefined (nothing is near its timeout yet).
 */
export function expirySoonTimeout(
  cltvExpiries: Iterable<number | null | undefined>,
  blockHeight: number | null,
  windowBlocks = EXPIRY_SOON_WINDOW_BLOCKS,
): number | undefined {
  if (blockHeight === null) return undefined;
  let earliest: number | undefined;
  for (const e of cltvExpiries) if (typeof e === 'number' && (earliest === undefined || e < earliest)) earliest = e;
  if (earliest === undefined || earliest - blockHeight > windowBlocks) return undefined;
  return earliest;
}
