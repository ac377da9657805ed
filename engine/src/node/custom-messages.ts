/**
 * BOLT 8 custom messages (BOLT 1: types >= 32768 are custom; bLIP-50 LSPS0 uses 37913) through LDK's
 * `CustomMessageHandler` + `CustomMessageReader`. The handler also tells the engine when a peer finished the
 * BOLT 1 `init` exchange and when it left, which is what `peerConnected` / `peerDisconnected` report.
 *
 * Messages received are queued and handed out after LDK returns (never re-entering LDK from its callback).
 */
import * as ldk from 'lightningdevkit';
import { toHex } from '@jitlsp/shared/crypto';

export interface CustomMessageSink {
  received(peerNodeId: string, messageType: number, payload: Uint8Array): void;
  /** `initFeatures`: the peer's BOLT 1 `init` features, big-endian. */
  peerConnected(peerNodeId: string, inbound: boolean, initFeatures: Uint8Array): void;
  peerDisconnected(peerNodeId: string): void;
}

/** bLIP-50: feature bit 729 (optional) advertises LSPS0 support; 728 would be the required form. */
export const LSPS0_FEATURE_BIT = 729;

/** Whether big-endian BOLT 9 feature bytes set `bit` or its pair (`bit ^ 1`): a peer "supports" either form. */
export function hasFeaturePair(featuresBe: Uint8Array, bit: number): boolean {
  const isSet = (b: number): boolean => {
    const idx = featuresBe.length - 1 - (b >> 3);
    return idx >= 0 && ((featuresBe[idx]! >> (b & 7)) & 1) === 1;
  };
  return isSet(bit) || isSet(bit ^ 1);
}

/** Our init/node features: bit 729 when this node is an LSP (bLIP-50), empty otherwise (clients MUST NOT set it). */
function withLsps0<F extends ldk.InitFeatures | ldk.NodeFeatures>(f: F, advertise: boolean): F {
  if (advertise && !f.set_optional_custom_bit(LSPS0_FEATURE_BIT).is_ok())
    throw new Error('Node: could not set feature bit 729');
  return f;
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
    advertiseLsps0 = false,
  ) {
    this.handler = ldk.CustomMessageHandler.new_impl(
      {
        handle_custom_message: (msg: ldk.Type, sender: Uint8Array) => {
          sink.received(toHex(sender), msg.type_id() & 0xffff, msg.write());
          return ldk.Result_NoneLightningErrorZ.constructor_ok();
        },
        get_and_clear_pending_msg: () => {
          const out = this.outbox
            .splice(0)
            .map((m) => ldk.TwoTuple_PublicKeyTypeZ.constructor_new(m.peer, customType(m.type, m.payload)));
          return out;
        },
        peer_disconnected: (their: Uint8Array) => sink.peerDisconnected(toHex(their)),
        peer_connected: (their: Uint8Array, init: ldk.Init, inbound: boolean) => {
          // le_flags is little-endian; BOLT 9 feature fields are big-endian.
          sink.peerConnected(toHex(their), Boolean(inbound), Uint8Array.from(init.get_features().le_flags()).reverse());
          return ldk.Result_NoneNoneZ.constructor_ok();
        },
        provided_node_features: () => withLsps0(ldk.NodeFeatures.constructor_empty(), advertiseLsps0),
        provided_init_features: (_their: Uint8Array) => withLsps0(ldk.InitFeatures.constructor_empty(), advertiseLsps0),
      },
      {
        read: (rawType: number, buffer: Uint8Array) => {
          const messageType = rawType & 0xffff; // the bindings hand u16 types over as signed i16
          // Unknown types return None so LDK applies BOLT 1's "it's OK to be odd" rule itself.
          if (!this.types.has(messageType))
            return ldk.Result_COption_TypeZDecodeErrorZ.constructor_ok(ldk.Option_TypeZ.constructor_none());
          return ldk.Result_COption_TypeZDecodeErrorZ.constructor_ok(
            ldk.Option_TypeZ.constructor_some(customType(messageType, Uint8Array.from(buffer))),
          );
        },
      },
    );
  }

  /** Queue a message; the PeerManager picks it up on its next `process_events`. */
  /** Queue a custom message for `peer` (sent on the next `process_events`); checks the type and size. */
  send(peer: Uint8Array, messageType: number, payload: Uint8Array): void {
    if (!Number.isInteger(messageType) || messageType < 32768 || messageType > 65535) {
      throw new RangeError(
        `Node/sendCustomMessage.messageType: expected 32768..65535 (BOLT 1 custom range), got ${messageType}`,
      );
    }
    if (payload.length > 65531)
      throw new RangeError(`Node/sendCustomMessage.payload: expected <= 65531 bytes (BOLT 8), got ${payload.length}`);
    this.outbox.push({ peer, type: messageType, payload: Uint8Array.from(payload) });
  }
}
