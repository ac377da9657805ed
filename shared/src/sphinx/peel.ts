/**
 * BOLT 4 "Onion Decryption": one hop removes its layer.
 *
 * The caller passes the private key to decrypt with: the node key, or for a blinded hop the node key
 * tweaked by HMAC256("blinded_node_id", ss) (see `blinding/unblind.ts`).
 */
import { BigSize, TlvError } from '../tlv/index.js';
import { hmacSha256 } from '../crypto/hashes.js';
import { equalBytes } from '../crypto/constant-time.js';
import { OnionError } from './onion-error.js';
import { blindingFactor } from './hop-secrets.js';
import { generateCipherStream, generateKey, xorInto } from './keys.js';
import type { OnionPacket } from './packet.js';
import { checkPrivkey } from './guards.js';
import { decompressPoint, ecdhPoint, multiply } from './point.js';

export interface PeelOnionArgs {
  /** the private key to decrypt with (already tweaked for a blinded hop) */
  nodePrivkey: Uint8Array;
  associatedData?: Uint8Array;
  /**
   * Smallest acceptable payload length: 2 for payment onions (BOLT 4: lengths 0 and 1 are
   * reserved), 0 for onion messages ("a 0 length would mean an empty onionmsg_payload").
   */
  minPayloadLength?: number;
}

export interface PeeledOnion {
  /** this hop's TLV payload */
  payload: Uint8Array;
  sharedSecret: Uint8Array;
  /** the packet to forward, or undefined when the next HMAC is all-zero (we are the final hop) */
  next: OnionPacket | undefined;
}

/**
 * Verifies the HMAC and removes one layer.
 * Throws {@link OnionError} 'bad-hmac' | 'bad-pubkey' | 'truncated' | 'oversize-payload' | 'invalid-payload'.
 * @example const { payload, next } = peelOnionPacket(packet, { nodePrivkey, associatedData: paymentHash, minPayloadLength: 2 })
 */
export function peelOnionPacket(packet: OnionPacket, args: PeelOnionArgs): PeeledOnion {
  checkPrivkey(args.nodePrivkey, 'sphinx/nodePrivkey');
  if (packet.version !== 0)
    throw new OnionError('bad-version', `onion_packet/version: expected 0, got ${packet.version}`);
  const ad = args.associatedData ?? new Uint8Array(0);
  const size = packet.hopPayloads.length;
  // BOLT 4: if `public_key` is not a valid pubkey, MUST abort (decompressing validates it).
  const ephemeral = decompressPoint(packet.publicKey, 'onion_packet/public_key');
  const ss = ecdhPoint(args.nodePrivkey, ephemeral);
  const macInput = new Uint8Array(size + ad.length);
  macInput.set(packet.hopPayloads, 0);
  macInput.set(ad, size);
  // BOLT 4: MUST use a constant time comparison of the computed HMAC and `hmac`.
  if (packet.hmac.length !== 32 || !equalBytes(hmacSha256(generateKey('mu', ss), macInput), packet.hmac)) {
    throw new OnionError('bad-hmac', 'onion_packet/hmac: does not match');
  }
  // BOLT 4: XOR `hop_payloads || 0^size` with a stream twice the size of `hop_payloads`.
  const unwrapped = new Uint8Array(2 * size);
  unwrapped.set(packet.hopPayloads, 0);
  xorInto(unwrapped, generateCipherStream(generateKey('rho', ss), 2 * size));

  let length: bigint;
  let prefix: number;
  try {
    const d = BigSize.decode(unwrapped.subarray(0, Math.min(9, size)), 0);
    length = d.value;
    prefix = d.length;
  } catch (cause) {
    // BOLT 4: a malformed bigsize `payload_length` MUST abort processing.
    const truncated = cause instanceof TlvError && cause.code === 'truncated';
    throw new OnionError(truncated ? 'truncated' : 'invalid-tlv', 'hop_payload/length: malformed bigsize', { cause });
  }
  const min = args.minPayloadLength ?? 2;
  if (length < BigInt(min))
    throw new OnionError('invalid-payload', `hop_payload/length: expected at least ${min}, got ${length}`);
  // The payload and its HMAC must lie inside this hop's `hop_payloads`; bytes past it are keystream.
  if (length > BigInt(size - prefix - 32)) {
    throw new OnionError(
      'oversize-payload',
      `hop_payload/length: expected at most ${size - prefix - 32}, got ${length}`,
    );
  }
  const len = Number(length);
  const payload = unwrapped.slice(prefix, prefix + len);
  const nextHmac = unwrapped.slice(prefix + len, prefix + len + 32);
  if (nextHmac.every((b) => b === 0)) return { payload, sharedSecret: ss, next: undefined };
  const shift = prefix + len + 32;
  const nextPublicKey = multiply(ephemeral, blindingFactor(packet.publicKey, ss));
  return {
    payload,
    sharedSecret: ss,
    next: { version: 0, publicKey: nextPublicKey, hopPayloads: unwrapped.slice(shift, shift + size), hmac: nextHmac },
  };
}
