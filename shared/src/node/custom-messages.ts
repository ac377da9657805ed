/**
 * BOLT 8 custom messages (BOLT 1: types >= 32768 are custom; bLIP-50 LSPS0 uses 37913) through LDK's
 * `CustomMessageHandler` + `CustomMessageReader`. The handler also tells the engine when a peer finished the
 * BOLT 1 `init` exchange and when it left, which is what `peerConnected` / `peerDisconnected` report.
 *
 * Messages received are queued and handed out after LDK returns (never re-entering LDK from its callback).
 */
import * as ldk from 'lightningdevkit';
import { hex } from './ids.js';

export interface CustomMessageSink {
  received(peerNodeId: string, messageType: number, payload: Uint8Array): void;
  peerConnected(peerNodeId: string, inbound: boolean): void;
  peerDisconnected(peerNodeId: string): void;
}

/** A `Type` whose bytes are ours (the payload after the 2-byte type, BOLT 1 message format). */
function customType(messageType: number, payload: Uint8Array): ldk.Type {
  return ldk.Type.new_impl({
    type_id: () => messageType,
    debug_str: () => `custom message ${messageType} (${payload.length} bytes)`,
    write: () => payload,
  });
}

export class CustomMessages {
  private readonly outbox: { peer: Uint8Array; type: number; payload: Uint8Array }[] = [];
  readonly handler: ldk.CustomMessageHandler;

  constructor(
    private readonly types: ReadonlySet<number>,
    sink: CustomMessageSink,
  ) {
    this.handler = ldk.CustomMessageHandler.new_impl(
      {
        handle_custom_message: (msg: ldk.Type, sender: Uint8Array) => {
          sink.received(hex(sender), msg.type_id() & 0xffff, msg.write());
          return ldk.Result_NoneLightningErrorZ.constructor_ok();
        },
        get_and_clear_pending_msg: () => {
          const out = this.outbox.splice(0).map((m) => ldk.TwoTuple_PublicKeyTypeZ.constructor_new(m.peer, customType(m.type, m.payload)));
          return out;
        },
        peer_disconnected: (their: Uint8Array) => sink.peerDisconnected(hex(their)),
        peer_connected: (their: Uint8Array, _init: ldk.Init, inbound: boolean) => {
          sink.peerConnected(hex(their), Boolean(inbound));
          return ldk.Result_NoneNoneZ.constructor_ok();
        },
        provided_node_features: () => ldk.NodeFeatures.constructor_empty(),
        provided_init_features: (_their: Uint8Array) => ldk.InitFeatures.constructor_empty(),
      },
      {
        read: (rawType: number, buffer: Uint8Array) => {
          const messageType = rawType & 0xffff; // the bindings hand u16 types over as signed i16
          // Unknown types return None so LDK applies BOLT 1's "it's OK to be odd" rule itself.
          if (!this.types.has(messageType)) return ldk.Result_COption_TypeZDecodeErrorZ.constructor_ok(ldk.Option_TypeZ.constructor_none());
          return ldk.Result_COption_TypeZDecodeErrorZ.constructor_ok(ldk.Option_TypeZ.constructor_some(customType(messageType, Uint8Array.from(buffer))));
        },
      },
    );
  }

  /** Queue a message; the PeerManager picks it up on its next `process_events`. */
  enqueue(peer: Uint8Array, messageType: number, payload: Uint8Array): void {
    this.outbox.push({ peer, type: messageType, payload: Uint8Array.from(payload) });
  }
}
