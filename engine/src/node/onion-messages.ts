/**
 * Onion-message commands (BOLT 4 onion messages): forwarding a message held for an offline peer, and sending a
 * custom onion message.
 */
import * as ldk from 'lightningdevkit';
import { idBytes } from './ids.js';
import type { CustomOnionOutbox, OnionMessageTarget } from './onion-hooks.js';
import { errText } from './mappers.js';
import type { IdInput } from './types.js';

/** Forward a previously intercepted onion message (its serialized bytes) to `peer`. */
export function forwardOnionMessage(om: ldk.OnionMessenger, message: Uint8Array, peer: IdInput): void {
  const decoded = ldk.OnionMessage.constructor_read(message);
  if (!(decoded instanceof ldk.Result_OnionMessageDecodeErrorZ_OK))
    throw new TypeError('Node/forwardOnionMessage.message: expected a serialized onion_message (BOLT 4)');
  const res = om.forward_onion_message(decoded.res, idBytes(peer, 33, 'peer'));
  if (!res.is_ok()) throw new Error(`Node/forwardOnionMessage: ${errText(res)}`);
}

/** Send a custom onion message of TLV `type` (BOLT 4 `onionmsg_tlv`: custom types are >= 64). */
export function sendOnionMessage(
  outbox: CustomOnionOutbox,
  type: bigint,
  bytes: Uint8Array,
  to: OnionMessageTarget,
): void {
  if (type < 64n) throw new RangeError(`Node/sendOnionMessage.type: expected >= 64 (BOLT 4 onionmsg_tlv), got ${type}`);
  outbox.send(type, Uint8Array.from(bytes), to);
}
