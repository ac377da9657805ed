/**
 * Peer connections: who is connected (from the BOLT 1 `init` exchange LDK reports), the peers to keep
 * connected, and reconnecting to them with exponential backoff.
 */
import { toHex } from '@jitlsp/shared/crypto';
import type { NodeContext } from './context.js';
import { hasFeaturePair, LSPS0_FEATURE_BIT, type CustomMessageSink } from './custom-messages.js';
import { idBytes, parsePeerAddress } from './ids.js';
import type { TcpTransport } from './tcp.js';
import type { IdInput, NodeEvent, PeerAddress, PeerInfo } from './types.js';

interface PersistentPeer {
  addr: PeerAddress;
  backoffMs: number;
  timer?: NodeJS.Timeout;
}

export interface PeersHost {
  tcp: TcpTransport;
  backoff: { min: number; max: number };
  /** Resolves when `peerConnected` for `nodeId` is emitted (rejects after `timeoutMs`). */
  waitConnected(nodeId: string, timeoutMs: number): Promise<unknown>;
  disconnectByNodeId(nodeId: Uint8Array): void;
}

export class Peers {
  private readonly connected = new Map<string, { inbound: boolean; initFeatures: Uint8Array }>();
  private readonly persistent = new Map<string, PersistentPeer>();

  constructor(
    private readonly ctx: NodeContext,
    private readonly host: PeersHost,
  ) {}

  isConnected(nodeId: string): boolean {
    return this.connected.has(nodeId);
  }

  /** What the custom-message handler reports: messages, and peers finishing the `init` exchange or leaving. */
  sink(enqueue: (ev: NodeEvent) => void): CustomMessageSink {
    return {
      received: (peerNodeId, messageType, payload) =>
        enqueue({ type: 'customMessageReceived', peerNodeId, messageType, payload }),
      peerConnected: (peerNodeId, inbound, initFeatures) => {
        this.connected.set(peerNodeId, { inbound, initFeatures });
        const p = this.persistent.get(peerNodeId);
        if (p) p.backoffMs = this.host.backoff.min;
        enqueue({ type: 'peerConnected', peerNodeId, inbound });
      },
      peerDisconnected: (peerNodeId) => {
        this.connected.delete(peerNodeId);
        enqueue({ type: 'peerDisconnected', peerNodeId });
        this.scheduleReconnect(peerNodeId);
      },
    };
  }

  /** Keep these peers connected, starting now (start-up; failures are retried). */
  keepConnected(peers: readonly (PeerAddress | string)[]): void {
    for (const peer of peers) {
      const addr = parsePeerAddress(peer);
      this.persistent.set(addr.nodeId, { addr, backoffMs: this.host.backoff.min });
      this.connect(addr).catch((err) =>
        this.ctx.log('warn', 'initial connect failed; retrying', { peer: addr.nodeId, error: String(err) }),
      );
    }
  }

  /** LDK needs a connection to `nodeId` (e.g. to deliver an onion message): reconnect if we know its address. */
  connectionNeeded(nodeId: string): void {
    const p = this.persistent.get(nodeId);
    if (p && !this.connected.has(nodeId)) this.connect(p.addr).catch(() => undefined);
  }

  async connect(peer: PeerAddress | string, opts: { persistent?: boolean } = {}): Promise<void> {
    const addr = parsePeerAddress(peer);
    if (opts.persistent ?? true) {
      const p = this.persistent.get(addr.nodeId);
      if (p) p.addr = addr;
      else this.persistent.set(addr.nodeId, { addr, backoffMs: this.host.backoff.min });
    }
    if (this.connected.has(addr.nodeId)) return;
    const ready = this.host.waitConnected(addr.nodeId, 10_000);
    try {
      await this.host.tcp.connect(idBytes(addr.nodeId, 33, 'peer.nodeId'), addr.host, addr.port);
      this.ctx.kick();
      await ready;
    } catch (err) {
      ready.catch(() => undefined);
      this.scheduleReconnect(addr.nodeId);
      throw err;
    }
  }

  private scheduleReconnect(nodeId: string): void {
    const p = this.persistent.get(nodeId);
    if (!p || p.timer || this.ctx.isStopped() || this.connected.has(nodeId)) return;
    const delay = p.backoffMs;
    p.backoffMs = Math.min(p.backoffMs * 2, this.host.backoff.max);
    p.timer = setTimeout(() => {
      p.timer = undefined;
      if (this.ctx.isStopped() || this.connected.has(nodeId) || this.persistent.get(nodeId) !== p) return;
      this.ctx.log('debug', 'reconnecting', { peer: nodeId, delayMs: delay });
      this.connect(p.addr).catch((err) =>
        this.ctx.log('debug', 'reconnect failed', { peer: nodeId, error: String(err) }),
      );
    }, delay);
  }

  disconnect(peer: IdInput): void {
    const id = toHex(idBytes(peer, 33, 'peer'));
    const p = this.persistent.get(id);
    if (p?.timer) clearTimeout(p.timer);
    this.persistent.delete(id);
    this.host.disconnectByNodeId(idBytes(id, 33, 'peer'));
    this.ctx.kick();
  }

  list(): PeerInfo[] {
    return [...this.connected.entries()].map(([nodeId, p]) => ({
      nodeId,
      inbound: p.inbound,
      initFeatures: Uint8Array.from(p.initFeatures),
      supportsLsps0: hasFeaturePair(p.initFeatures, LSPS0_FEATURE_BIT),
    }));
  }

  /** Cancel every pending reconnect. */
  stop(): void {
    for (const p of this.persistent.values()) if (p.timer) clearTimeout(p.timer);
  }
}
