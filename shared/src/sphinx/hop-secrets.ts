/**
 * BOLT 4 "Shared Secret" and "Blinding Ephemeral Onion Keys", sender side.
 *
 * For hop k: ss_k = SHA256(ek_k * P_k) (compressed point), blinding factor
 * b_k = SHA256(epk_k || ss_k), and ek_{k+1} = ek_k * b_k. The hops therefore each see a
 * different, unlinkable ephemeral public key.
 */
import { getPublicKey, privateMultiply } from '../crypto/secp256k1.js';
import { sha256 } from '../crypto/hashes.js';
import { OnionError } from './onion-error.js';
import { checkPrivkey } from './guards.js';
import { decompressPoint, ecdhPoint } from './point.js';

export interface HopSecret {
  /** the ephemeral public key hop k sees in the packet (epk_k) */
  ephemeralPubkey: Uint8Array;
  /** ss_k, the ECDH shared secret with hop k */
  sharedSecret: Uint8Array;
}

/** SHA256(epk || ss): the factor that blinds the ephemeral key for the next hop. */
export function blindingFactor(ephemeralPubkey: Uint8Array, sharedSecret: Uint8Array): Uint8Array {
  const buf = new Uint8Array(65);
  buf.set(ephemeralPubkey, 0);
  buf.set(sharedSecret, 33);
  return sha256(buf);
}

/**
 * Ephemeral keys and shared secrets for every hop, in route order.
 * @example const secrets = computeHopSecrets(sessionKey, route.map((h) => h.publicKey))
 */
export function computeHopSecrets(sessionKey: Uint8Array, hopPubkeys: readonly Uint8Array[]): HopSecret[] {
  checkPrivkey(sessionKey, 'sphinx/sessionKey');
  let ek = sessionKey;
  const out: HopSecret[] = [];
  for (let i = 0; i < hopPubkeys.length; i++) {
    const pub = decompressPoint(hopPubkeys[i], `sphinx/hops[${i}].publicKey`);
    let ephemeralPubkey: Uint8Array;
    try {
      ephemeralPubkey = getPublicKey(ek);
    } catch (cause) {
      throw new OnionError('invalid-argument', 'sphinx/sessionKey: not a valid private key', { cause });
    }
    const sharedSecret = ecdhPoint(ek, pub);
    out.push({ ephemeralPubkey, sharedSecret });
    if (i + 1 < hopPubkeys.length) ek = privateMultiply(ek, blindingFactor(ephemeralPubkey, sharedSecret));
  }
  return out;
}
