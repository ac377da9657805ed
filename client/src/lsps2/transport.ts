/**
 * The LSPS0 transport as the client sees it (bLIP-50: every LSPS message is one BOLT 8 custom message
 * of type 37913 whose payload is one JSON object). Implemented on the engine's node; in tests by an
 * in-memory pair.
 */
import { LSPS0_MESSAGE_TYPE, type LightningNodeApi, type NodeIdHex } from '@jitlsp/engine/node';

export interface Lsps0Transport {
  /** Sends one 37913 payload. Throws if the peer is not connected. */
  send(peer: NodeIdHex, payload: Uint8Array): void;
  /** Subscribes to 37913 payloads from any peer; returns an unsubscribe function. */
  onMessage(handler: (peer: NodeIdHex, payload: Uint8Array) => void): () => void;
  isConnected(peer: NodeIdHex): boolean;
}

/** The transport over the engine's custom messages. */
export function nodeTransport(node: Pick<LightningNodeApi, 'sendCustomMessage' | 'on' | 'listPeers'>): Lsps0Transport {
  return {
    send: (peer, payload) => node.sendCustomMessage(peer, payload, LSPS0_MESSAGE_TYPE),
    onMessage: (handler) =>
      node.on('customMessageReceived', (ev) => {
        if (ev.messageType === LSPS0_MESSAGE_TYPE) handler(ev.peerNodeId, ev.payload);
      }),
    isConnected: (peer) => node.listPeers().some((p) => p.nodeId === peer.toLowerCase()),
  };
}
