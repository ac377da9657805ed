/**
 * BOLT 4 "Packet Construction": builds a Sphinx onion over variable-length hop payloads.
 *
 * Shared by payment onions (1300-byte `hop_payloads`, associated data = payment hash) and onion
 * messages (1300 or 32768 bytes, no associated data).
 */
import { BigSize } from '../tlv/index.js';
import { hmacSha256 } from '../crypto/hashes.js';
import { OnionError } from './onion-error.js';
import { computeHopSecrets, type HopSecret } from './hop-secrets.js';
import { generateFiller } from './filler.js';
import { generateCipherStream, generateKey, xorInto } from './keys.js';
import { PAYMENT_HOP_PAYLOADS_LENGTH, type OnionPacket } from './packet.js';

export interface SphinxHop {
  /** the key the hop decrypts with: its node id, or its blinded node id inside a blinded path */
  publicKey: Uint8Array;
  /** the serialized TLV payload for the hop (without the bigsize length prefix) */
  payload: Uint8Array;
}

export interface ConstructOnionArgs {
  /** 32-byte session key; BOLT 4 says it SHOULD come from a CSPRNG (inject it for determinism) */
  sessionKey: Uint8Array;
  hops: readonly SphinxHop[];
  /** committed to by every HMAC; the payment hash for payments, empty for onion messages */
  associatedData?: Uint8Array;
  /** size of `hop_payloads`: 1300 (default) or, for large onion messages, 32768 */
  payloadsLength?: number;
}

/** Bytes a hop consumes from `hop_payloads`: bigsize(len) + payload + HMAC (BOLT 4 `shift_size`). */
export function hopShiftSize(payloadLength: number): number {
  return BigSize.encode(BigInt(payloadLength)).length + payloadLength + 32;
}

/**
 * Builds the onion packet for the first hop.
 * Throws {@link OnionError} 'oversize-payload' if the payloads do not fit, 'bad-pubkey' for an invalid hop key.
 * @example const { packet } = constructOnionPacket({ sessionKey, hops, associatedData: paymentHash })
 */
export function constructOnionPacket(args: ConstructOnionArgs): { packet: OnionPacket; hopSecrets: HopSecret[] } {
  const payloadsLength = args.payloadsLength ?? PAYMENT_HOP_PAYLOADS_LENGTH;
  const ad = args.associatedData ?? new Uint8Array(0);
  const n = args.hops.length;
  if (n === 0) throw new OnionError('invalid-argument', 'sphinx/hops: expected at least one hop, got 0');
  const shifts = args.hops.map((h) => hopShiftSize(h.payload.length));
  const total = shifts.reduce((a, b) => a + b, 0);
  if (total > payloadsLength) {
    throw new OnionError(
      'oversize-payload',
      `sphinx/hops: expected payloads to fit ${payloadsLength} bytes, got ${total}`,
    );
  }
  const hopSecrets = computeHopSecrets(
    args.sessionKey,
    args.hops.map((h) => h.publicKey),
  );
  const filler = generateFiller(
    hopSecrets.map((s) => s.sharedSecret),
    shifts,
    payloadsLength,
  );

  // BOLT 4: the packet starts as 1300 ChaCha20 bytes keyed by HMAC("pad", session_key).
  const mix = generateCipherStream(generateKey('pad', args.sessionKey), payloadsLength);
  let hmac: Uint8Array = new Uint8Array(32);
  const macInput = new Uint8Array(payloadsLength + ad.length);
  macInput.set(ad, payloadsLength);
  for (let i = n - 1; i >= 0; i--) {
    const { payload } = args.hops[i];
    const shift = shifts[i];
    mix.copyWithin(shift, 0, payloadsLength - shift); // right-shift by shift_size
    const len = BigSize.encode(BigInt(payload.length));
    mix.set(len, 0);
    mix.set(payload, len.length);
    mix.set(hmac, len.length + payload.length);
    const ss = hopSecrets[i].sharedSecret;
    xorInto(mix, generateCipherStream(generateKey('rho', ss), payloadsLength));
    if (i === n - 1) mix.set(filler, payloadsLength - filler.length);
    macInput.set(mix, 0);
    hmac = hmacSha256(generateKey('mu', ss), macInput);
  }
  return {
    packet: { version: 0, publicKey: hopSecrets[0].ephemeralPubkey, hopPayloads: mix, hmac },
    hopSecrets,
  };
}
