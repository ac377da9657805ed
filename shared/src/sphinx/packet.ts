/**
 * BOLT 4 "Packet Structure": `onion_packet` = version(1) || public_key(33) || hop_payloads || hmac(32).
 *
 * Payment onions always carry 1300 bytes of `hop_payloads`; onion messages ("Onion Messages") carry
 * a payload size implied by the total length (the packet length minus 66).
 */
import { OnionError } from './onion-error.js';
import { isValidPublicKey } from '../crypto/secp256k1.js';

/** BOLT 4 `onion_packet`; `hopPayloads.length` is 1300 for payments. */
export interface OnionPacket {
  version: number;
  publicKey: Uint8Array;
  hopPayloads: Uint8Array;
  hmac: Uint8Array;
}

/** Size of `hop_payloads` in a payment onion (BOLT 4 "Packet Structure"). */
export const PAYMENT_HOP_PAYLOADS_LENGTH = 1300;
/** version + public_key + hmac */
export const PACKET_OVERHEAD = 1 + 33 + 32;

/**
 * Serializes an onion packet.
 * @example encodeOnionPacket(packet).length === 1366
 */
export function encodeOnionPacket(p: OnionPacket): Uint8Array {
  const out = new Uint8Array(PACKET_OVERHEAD + p.hopPayloads.length);
  out[0] = p.version;
  out.set(p.publicKey, 1);
  out.set(p.hopPayloads, 34);
  out.set(p.hmac, 34 + p.hopPayloads.length);
  return out;
}

/**
 * Parses an onion packet, checking (BOLT 4 "Onion Decryption") the version and that `public_key` is
 * a valid point. With `payloadsLength` the total length must be exactly that plus 66 (payments).
 * Throws {@link OnionError} 'truncated' | 'oversize-payload' | 'bad-version' | 'bad-pubkey'.
 * @example decodeOnionPacket(bytes, { payloadsLength: 1300 })
 */
export function decodeOnionPacket(bytes: Uint8Array, opts: { payloadsLength?: number } = {}): OnionPacket {
  if (!(bytes instanceof Uint8Array)) throw new OnionError('invalid-argument', 'onion_packet: expected bytes');
  if (opts.payloadsLength !== undefined) {
    const want = opts.payloadsLength + PACKET_OVERHEAD;
    if (bytes.length < want)
      throw new OnionError('truncated', `onion_packet: expected ${want} bytes, got ${bytes.length}`);
    if (bytes.length > want)
      throw new OnionError('oversize-payload', `onion_packet: expected ${want} bytes, got ${bytes.length}`);
  } else if (bytes.length < PACKET_OVERHEAD + 1) {
    throw new OnionError(
      'truncated',
      `onion_packet: expected at least ${PACKET_OVERHEAD + 1} bytes, got ${bytes.length}`,
    );
  }
  // BOLT 4: if `version` is not 0, MUST abort processing the packet and fail.
  if (bytes[0] !== 0) throw new OnionError('bad-version', `onion_packet/version: expected 0, got ${bytes[0]}`);
  const publicKey = bytes.slice(1, 34);
  // BOLT 4: if `public_key` is not a valid pubkey, MUST abort processing the packet and fail.
  if (!isValidPublicKey(publicKey))
    throw new OnionError('bad-pubkey', 'onion_packet/public_key: expected a valid point');
  const end = bytes.length - 32;
  return { version: 0, publicKey, hopPayloads: bytes.slice(34, end), hmac: bytes.slice(end) };
}
