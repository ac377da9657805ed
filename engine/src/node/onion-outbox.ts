/**
 * The onion-message outbox: an `OnionMessageHandler` between the PeerManager and LDK's OnionMessenger that keeps
 * the messenger's per-peer buffers nearly empty, so bursts of BOLT 12 messages wait instead of being dropped.
 *
 * Why: LDK 0.1's OnionMessenger holds at most 256 KiB of outgoing onion messages per peer and drops what does not
 * fit (`outbound_buffer_full` in onion_message/messenger.rs: a forwarded message is dropped, a reply fails with
 * `BufferFull`). A BOLT 12 invoice does not fit BOLT 4's 1,300-byte onion-message packet, so it travels in the
 * 32,768-byte one (32,905 bytes on the wire, measured): eight invoices fill a peer's buffer. The PeerManager
 * takes messages out of that buffer only while its write queue to the peer is empty and fewer than 32 messages
 * went to the peer since its last pong (peer_handler.rs `should_buffer_onion_message`), and LDK fills it from
 * inside `read_event` (an invoice answers each invoice_request at once; a forward is enqueued at once). So a
 * recipient that got sixteen invoice_requests in one TCP read, or an LSP relaying sixteen invoices to one payer
 * while that payer's pong was on its way, dropped everything past the eighth; each dropped invoice left its
 * payment waiting two ChannelManager ticks for `InvoiceRequestExpired`. Neither limit is configurable.
 *
 * What this does, within those limits:
 * - Incoming onion messages go into LDK at most {@link FEED_PER_DRAIN} at a time (each yields at most one
 *   outgoing message: a forward or a reply); the rest wait here, cloned.
 * - After feeding, every connected peer's messenger buffer is drained into a queue here, so the messenger's
 *   buffers never hold more than {@link FEED_PER_DRAIN} messages and never overflow.
 * - The PeerManager's pull (`next_onion_message_for_peer`) is served from these queues: the pace of the wire
 *   (LDK's 32 messages per ping round trip) is unchanged, only where messages wait is.
 * The queues are bounded by count (a peer that does not read must not grow our memory without limit); past the
 * bound the newest message is dropped, as LDK drops past its own.
 */
import * as ldk from 'lightningdevkit';
import { CommonBase } from 'lightningdevkit/structs/CommonBase.mjs';

const ptrOf = (o: object): bigint => (CommonBase as unknown as { get_ptr_of(o: object): bigint }).get_ptr_of(o);

/** Messages LDK may take in between two drains: 7 big packets (7 x 32,905 B) stay under its 256 KiB per peer. */
export const FEED_PER_DRAIN = 7;

export interface OnionOutboxLimits {
  /** Outgoing messages held for one peer (default 256, about 8 MiB of big packets). */
  perPeer?: number;
  /** Incoming messages waiting to be fed to LDK, all peers together (default 1024). */
  incoming?: number;
}

export interface OnionOutboxStats {
  /** Incoming messages waiting to be handed to LDK. */
  incoming: number;
  /** Outgoing messages waiting for the PeerManager, all peers. */
  outgoing: number;
  /** Messages dropped because a bound above was reached. */
  dropped: number;
}

export class OnionOutbox {
  readonly handler: ldk.OnionMessageHandler;
  private readonly out = new Map<string, { id: Uint8Array; queue: ldk.OnionMessage[] }>();
  private readonly incoming: { peer: Uint8Array; msg: ldk.OnionMessage }[] = [];
  private fed = 0;
  private dropped = 0;
  private readonly perPeer: number;
  private readonly maxIncoming: number;

  /**
   * `inner` is the OnionMessenger's handler. `wake` asks the owner for a pass that calls {@link pump} and then
   * `PeerManager.process_events` (the only caller of `next_onion_message_for_peer`).
   */
  constructor(
    private readonly inner: ldk.OnionMessageHandler,
    private readonly wake: () => void,
    limits: OnionOutboxLimits = {},
  ) {
    this.perPeer = limits.perPeer ?? 256;
    this.maxIncoming = limits.incoming ?? 1024;
    this.handler = ldk.OnionMessageHandler.new_impl({
      handle_onion_message: (peer, msg) => this.received(peer, msg),
      next_onion_message_for_peer: (peer) => this.next(peer),
      peer_connected: (peer, init, inbound) => {
        const res = inner.peer_connected(peer, init, inbound);
        if (res.is_ok()) this.out.set(key(peer), { id: Uint8Array.from(peer), queue: [] });
        return res;
      },
      peer_disconnected: (peer) => {
        // LDK forgets what it buffered for a peer that left; so do we (onion messages are best effort).
        this.out.delete(key(peer));
        inner.peer_disconnected(peer);
      },
      timer_tick_occurred: () => inner.timer_tick_occurred(),
      provided_node_features: () => inner.provided_node_features(),
      provided_init_features: (peer) => inner.provided_init_features(peer),
    });
  }

  stats(): OnionOutboxStats {
    let outgoing = 0;
    for (const p of this.out.values()) outgoing += p.queue.length;
    return { incoming: this.incoming.length, outgoing, dropped: this.dropped };
  }

  /**
   * Feed waiting incoming messages to LDK and collect what it produced, in rounds of {@link FEED_PER_DRAIN}.
   * Called by the owner before `process_events`, and by the PeerManager's pulls.
   */
  pump(): void {
    if (this.fed > 0) this.drainAll();
    while (this.incoming.length > 0) {
      for (let i = 0; i < FEED_PER_DRAIN && this.incoming.length > 0; i++) {
        const { peer, msg } = this.incoming.shift()!;
        this.inner.handle_onion_message(peer, msg);
        this.fed++;
      }
      this.drainAll();
    }
  }

  private received(peer: Uint8Array, msg: ldk.OnionMessage): void {
    if (this.fed < FEED_PER_DRAIN && this.incoming.length === 0) {
      this.inner.handle_onion_message(peer, msg);
      this.fed++;
      this.wake();
      return;
    }
    if (this.incoming.length >= this.maxIncoming) {
      this.dropped++;
      return;
    }
    // `msg` is LDK's reference, valid only during this call: keep an owned copy.
    this.incoming.push({ peer: Uint8Array.from(peer), msg: msg.clone() });
    this.wake();
  }

  private next(peer: Uint8Array): ldk.OnionMessage {
    this.pump();
    const p = this.out.get(key(peer));
    if (p) this.drainPeer(p); // messages LDK initiated itself (invoice_requests, mailbox forwards)
    const m = p?.queue.shift();
    // An OnionMessage with a null pointer is the bindings' None.
    return m ?? (null as unknown as ldk.OnionMessage);
  }

  private drainAll(): void {
    for (const p of this.out.values()) this.drainPeer(p);
    this.fed = 0;
  }

  private drainPeer(p: { id: Uint8Array; queue: ldk.OnionMessage[] }): void {
    for (;;) {
      const m = this.inner.next_onion_message_for_peer(p.id);
      if (!m || ptrOf(m) === 0n) return;
      if (p.queue.length >= this.perPeer) this.dropped++;
      else p.queue.push(m);
    }
  }
}

const key = (peer: Uint8Array): string => Buffer.from(peer).toString('hex');
