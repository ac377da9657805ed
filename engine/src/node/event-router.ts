/**
 * Where an event goes once LDK returned it: the engine's own work (funding a channel, reconnecting a peer,
 * the decision on an inbound `open_channel` per BOLT 2, an intercepted HTLC's expiry), or the listeners, a
 * durable event being acknowledged once their promises resolved.
 */
import type * as ldk from 'lightningdevkit';
import type { NodeContext } from './context.js';
import type { DurableEvents } from './durable-events.js';
import type { EventLoopHost } from './event-loop.js';
import type { Funding } from './funding.js';
import type { InboundChannelPolicy } from './inbound-channels.js';
import type { Listeners } from './listeners.js';
import { inboundHtlcExpiry } from './mappers.js';
import type { Peers } from './peers.js';
import type { NodeEvent } from './types.js';

export interface EventRouterParts {
  ctx: NodeContext;
  /** The ChannelManager; only valid once the node is assembled. */
  cm: () => ldk.ChannelManager;
  funding: Funding;
  peers: Peers;
  inbound: InboundChannelPolicy;
  durable: DurableEvents;
  listeners: Listeners;
}

export class EventRouter {
  constructor(private readonly p: EventRouterParts) {}

  /** Acts on one event after LDK returned: engine-internal work, or the listeners. */
  dispatch(ev: Parameters<EventLoopHost['dispatch']>[0]): void {
    switch (ev.type) {
      case 'fundingGenerationReady':
        void this.p.funding.fund(this.p.cm(), ev);
        return;
      case 'connectionNeeded':
        this.p.peers.connectionNeeded(ev.nodeId);
        return;
      case 'openChannelRequestRaw':
        this.emit(this.p.inbound.apply(this.p.cm(), ev));
        this.p.ctx.kick();
        return;
      case 'htlcIntercepted': {
        const expiry = inboundHtlcExpiry(this.p.cm().list_channels(), ev.paymentHash, ev.inboundAmountMsat);
        this.emit({ ...ev, cltvExpiry: expiry }, this.p.durable.keyFor(ev));
        return;
      }
      default:
        this.emit(ev, this.p.durable.keyFor(ev));
    }
  }

  /** Runs every listener; for a durable event (`key`), acknowledges it once their promises resolved. */
  emit(ev: NodeEvent, key?: string): void {
    const work = this.p.listeners.emit(ev);
    if (key !== undefined) this.p.durable.settle(key, ev.type, work);
  }
}
