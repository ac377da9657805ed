/**
 * Receiving an onion message (BOLT 4 "Onion Messages", reader): peel one layer with the key tweaked
 * by the path key, decrypt `encrypted_recipient_data`, then either forward (next peer + next path
 * key) or deliver to ourselves.
 */
import { OnionError } from '../sphinx/onion-error.js';
import { peelOnionPacket } from '../sphinx/peel.js';
import { pathKeySecrets, deriveNextPathKey } from '../blinding/unblind.js';
import { decryptRecipientData } from '../blinding/encrypted-recipient-data.js';
import { decodeEncryptedDataTlv, type EncryptedDataTlv } from '../blinding/encrypted-data-tlv.js';
import { messageForwardData, messageReceiveData, type NextHop } from '../blinding/data-rules.js';
import { decodeOnionMessagePayload, type OnionMessagePayload } from './onionmsg-tlv.js';
import type { OnionMessage } from './onion-message-wire.js';

export type PeeledOnionMessage =
  | {
      kind: 'forward';
      /** the next peer: by node id, or by one of our channels */
      next: NextHop;
      /** the message to send to it (path key already advanced) */
      message: OnionMessage;
      data: EncryptedDataTlv;
    }
  | {
      kind: 'receive';
      payload: OnionMessagePayload;
      /** our own `encrypted_data_tlv` (e.g. the `path_id` we put in our path) */
      data: EncryptedDataTlv;
    };

/**
 * Peels one layer. Every failure is an {@link OnionError}; BOLT 4 says the node MUST ignore such
 * messages (there are no onion-message errors on the wire).
 * @example
 * const r = peelOnionMessage(decodeOnionMessage(wire), nodeSecret)
 * if (r.kind === 'forward') send(r.next, encodeOnionMessage(r.message))
 */
export function peelOnionMessage(msg: OnionMessage, nodePrivkey: Uint8Array): PeeledOnionMessage {
  // BOLT 4 "Onion Decryption": tweak our node key by HMAC256("blinded_node_id", ECDH(path_key, k)).
  const secrets = pathKeySecrets(nodePrivkey, msg.pathKey);
  // BOLT 4: MUST decrypt using an empty associated_data; a 0-length payload is valid here.
  const peeled = peelOnionPacket(msg.packet, { nodePrivkey: secrets.blindedPrivkey, minPayloadLength: 0 });
  const payload = decodeOnionMessagePayload(peeled.payload);
  if (!payload.encryptedRecipientData)
    throw new OnionError('invalid-payload', 'onionmsg_tlv/encrypted_recipient_data: missing');
  const data = decodeEncryptedDataTlv(decryptRecipientData(secrets.rho, payload.encryptedRecipientData));

  if (peeled.next) {
    // BOLT 4: a non-final node ignores the message if onionmsg_tlv has other fields, or if the
    // encrypted_data_tlv holds a path_id.
    const others = Object.keys(payload).filter((k) => k !== 'encryptedRecipientData');
    if (others.length > 0)
      throw new OnionError('invalid-payload', `onionmsg_tlv: a forwarding hop got extra fields (${others.join(', ')})`);
    const { next } = messageForwardData(data);
    const pathKey = data.nextPathKeyOverride ?? deriveNextPathKey(secrets.pathKeyPoint, secrets.sharedSecret);
    return { kind: 'forward', next, message: { pathKey, packet: peeled.next }, data };
  }
  // BOLT 4: the final node MUST ignore the message if onionmsg_tlv contains more than one payload
  // field (types 64 and above).
  const payloadFields =
    [payload.invoiceRequest, payload.invoice, payload.invoiceError].filter((x) => x !== undefined).length +
    (payload.unknown ?? []).filter((u) => u.type >= 64n).length;
  if (payloadFields > 1)
    throw new OnionError('invalid-payload', `onionmsg_tlv: expected at most one payload field, got ${payloadFields}`);
  messageReceiveData(data);
  return { kind: 'receive', payload, data };
}
