/**
 * The JIT runner's settings read from the service configuration: the bLIP-52 session policy (MPP collect
 * timeout, CLTV safety margin, channel sizing) and the bounds of the mailbox of held onion messages.
 */
import type { JitPolicy } from '../jit/pure/machine.js';
import type { MailboxLimits } from '../jit/pure/mailbox.js';
import type { ServiceConfig } from './config.js';

export function jitSettings(config: ServiceConfig): {
  policy: Partial<JitPolicy>;
  mailboxLimits: Partial<MailboxLimits>;
} {
  return {
    policy: {
      mppCollectTimeoutMs: config.lsps2.mppCollectTimeoutSeconds * 1000,
      cltvSafetyMarginBlocks: config.lsps2.htlcCltvSafetyMarginBlocks,
      overprovisioningSat: config.channel.overprovisioningSat,
      overprovisioningPpm: config.channel.overprovisioningPpm,
      minChannelSizeSat: config.channel.minChannelSizeSat,
    },
    mailboxLimits: {
      maxPerPeer: config.onionMailbox.maxMessagesPerPeer,
      maxTotal: config.onionMailbox.maxMessagesTotal,
      ttlMs: config.onionMailbox.ttlSeconds * 1000,
    },
  };
}
