/**
 * BOLT 4 "The onion_message Message": type 513, `path_key` (point) || u16 `len` ||
 * `onion_message_packet` (version || public_key || onionmsg_payloads || hmac).
 */
import { OnionError } from '../sphinx/onion-error.js';
import { decodeOnionPacket, encodeOnionPacket, PACKET_OVERHEAD, type OnionPacket } from '../sphinx/packet.js';
import { checkPubkey } from '../sphinx/guards.js';

export const ONION_MESSAGE_TYPE = 513;
/** BOLT 4: the writer SHOULD use a 1366- or 32834-byte packet; we refuse anything larger. */
export const MAX_ONION_MESSAGE_PACKET_LENGTH = 32834;

export interface OnionMessage {
  /** the path key E_i for the receiving node */
  pathKey: Uint8Array;
  packet: OnionPacket;
}

/**
 * Serializes the message; with `withType` (default true) it starts with the 2-byte type 513 (`0201`).
 * @example const wire = encodeOnionMessage({ pathKey, packet })
 */
export function encodeOnionMessage(m: OnionMessage, opts: { withType?: boolean } = {}): Uint8Array {
  const packet = encodeOnionPacket(m.packet);
  const head = opts.withType === false ? 0 : 2;
  const out = new Uint8Array(head + 33 + 2 + packet.length);
  if (head) {
    out[0] = ONION_MESSAGE_TYPE >> 8;
    out[1] = ONION_MESSAGE_TYPE & 0xff;
  }
  out.set(m.pathKey, head);
  out[head + 33] = packet.length >> 8;
  out[head + 34] = packet.length & 0xff;
  out.set(packet, head + 35);
  return out;
}

/**
 * Parses an `onion_message` (with the type prefix unless `withType: false`). Bytes after the packet
 * are ignored (BOLT 1 message extension). Throws {@link OnionError} 'truncated' | 'invalid-payload' |
 * 'bad-pubkey' | 'bad-version' | 'oversize-payload'.
 * @example const { pathKey, packet } = decodeOnionMessage(wire)
 */
export function decodeOnionMessage(bytes: Uint8Array, opts: { withType?: boolean } = {}): OnionMessage {
  const head = opts.withType === false ? 0 : 2;
  if (bytes.length < head + 35)
    throw new OnionError('truncated', `onion_message: expected at least ${head + 35} bytes, got ${bytes.length}`);
  if (head) {
    const type = (bytes[0] << 8) | bytes[1];
    if (type !== ONION_MESSAGE_TYPE)
      throw new OnionError('invalid-payload', `onion_message/type: expected 513, got ${type}`);
  }
  const pathKey = checkPubkey(bytes.slice(head, head + 33), 'onion_message/path_key');
  const len = (bytes[head + 33] << 8) | bytes[head + 34];
  if (len > MAX_ONION_MESSAGE_PACKET_LENGTH) {
    throw new OnionError(
      'oversize-payload',
      `onion_message/len: expected at most ${MAX_ONION_MESSAGE_PACKET_LENGTH}, got ${len}`,
    );
  }
  if (len < PACKET_OVERHEAD + 1)
    throw new OnionError('truncated', `onion_message/len: expected at least ${PACKET_OVERHEAD + 1}, got ${len}`);
  if (bytes.length - head - 35 < len) {
    throw new OnionError(
      'truncated',
      `onion_message/onion_message_packet: expected ${len} bytes, got ${bytes.length - head - 35}`,
    );
  }
  const packet = decodeOnionPacket(bytes.subarray(head + 35, head + 35 + len));
  return { pathKey, packet };
}
