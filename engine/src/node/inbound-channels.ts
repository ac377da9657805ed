/**
 * Inbound channel policy: when channels are accepted manually (a custom `decide`, or trusted zero-conf
 * peers), every `open_channel` (BOLT 2) is accepted, accepted as zero-conf, or rejected here, and reported
 * as an `openChannelRequest` event with the decision.
 */
import * as ldk from 'lightningdevkit';
import type { NodeContext } from './context.js';
import type { InternalEvent } from './events.js';
import { idBytes, randomBigint } from './ids.js';
import { errText } from './mappers.js';
import type { InboundChannelDecision, NodeEvent, NodeOptions, OpenChannelRequest } from './types.js';

export class InboundChannelPolicy {
  private readonly trusted: ReadonlySet<string>;
  /** Whether LDK must hand every inbound channel to us (UserConfig.manually_accept_inbound_channels). */
  readonly manualAccept: boolean;

  constructor(
    private readonly options: NodeOptions['inboundChannels'],
    private readonly ctx: NodeContext,
  ) {
    this.trusted = new Set((options?.trustedZeroConfPeers ?? []).map((p) => p.toLowerCase()));
    this.manualAccept = !!options?.manualAccept || this.trusted.size > 0;
  }

  private decision(req: OpenChannelRequest): InboundChannelDecision {
    try {
      return this.options?.decide?.(req) ?? (this.trusted.has(req.counterpartyNodeId) ? 'accept-zero-conf' : 'accept');
    } catch (err) {
      this.ctx.log('warn', 'inbound channel policy threw; rejecting', { error: String(err) });
      return 'reject';
    }
  }

  /** Decide on one request, tell LDK, and return the event to emit. */
  apply(
    cm: ldk.ChannelManager,
    ev: Extract<InternalEvent, { type: 'openChannelRequestRaw' }>,
  ): Extract<NodeEvent, { type: 'openChannelRequest' }> {
    const req: OpenChannelRequest = {
      temporaryChannelId: ev.temporaryChannelId,
      counterpartyNodeId: ev.counterpartyNodeId,
      fundingSat: ev.fundingSat,
      pushMsat: ev.pushMsat,
    };
    const decision = this.decision(req);
    const tmp = ldk.ChannelId.constructor_new(idBytes(req.temporaryChannelId, 32, 'temporaryChannelId'));
    const peer = idBytes(req.counterpartyNodeId, 33, 'counterpartyNodeId');
    const userChannelId = randomBigint(this.ctx.random, 8);
    const res =
      decision === 'reject'
        ? cm.force_close_without_broadcasting_txn(tmp, peer, 'channel rejected by policy')
        : decision === 'accept-zero-conf'
          ? cm.accept_inbound_channel_from_trusted_peer_0conf(tmp, peer, userChannelId)
          : cm.accept_inbound_channel(tmp, peer, userChannelId);
    if (!res.is_ok()) this.ctx.log('warn', 'inbound channel decision failed', { decision, error: errText(res) });
    return { type: 'openChannelRequest', decision, ...req };
  }
}
