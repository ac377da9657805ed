/**
 * BOLT 4 "Route Blinding", reader of `encrypted_recipient_data` (node N_i with private key k_i):
 *   ss_i = SHA256(k_i * E_i);  b_i = HMAC256("blinded_node_id", ss_i) * k_i;  rho_i = HMAC256("rho", ss_i)
 * decrypt with rho_i; the next path key is `next_path_key_override` if present, else
 * E_{i+1} = SHA256(E_i || ss_i) * E_i.
 */
import { privateMultiply } from '../crypto/secp256k1.js';
import { OnionError } from '../sphinx/onion-error.js';
import { blindingFactor } from '../sphinx/hop-secrets.js';
import { generateKey } from '../sphinx/keys.js';
import { checkPrivkey } from '../sphinx/guards.js';
import { decompressPoint, ecdhPoint, multiply, type Point } from '../sphinx/point.js';
import { blindedNodeIdTweak } from './blind-path.js';
import { decryptRecipientData } from './encrypted-recipient-data.js';
import { decodeEncryptedDataTlv, type EncryptedDataTlv } from './encrypted-data-tlv.js';

export interface PathKeySecrets {
  sharedSecret: Uint8Array;
  /** b_i: the key that decrypts an onion encrypted to our blinded node id */
  blindedPrivkey: Uint8Array;
  rho: Uint8Array;
  /** the path key, validated and decompressed (reused to derive the next path key) */
  pathKeyPoint: Point;
}

/**
 * The ECDH step shared by onion decryption and data decryption at a blinded hop.
 * Throws {@link OnionError} 'bad-pubkey' if `pathKey` is not a valid point.
 * @example const { blindedPrivkey } = pathKeySecrets(nodeSecret, pathKey)
 */
export function pathKeySecrets(nodePrivkey: Uint8Array, pathKey: Uint8Array): PathKeySecrets {
  checkPrivkey(nodePrivkey, 'blinding/nodePrivkey');
  const pathKeyPoint = decompressPoint(pathKey, 'blinding/path_key');
  const sharedSecret = ecdhPoint(nodePrivkey, pathKeyPoint);
  let blindedPrivkey: Uint8Array;
  try {
    blindedPrivkey = privateMultiply(nodePrivkey, blindedNodeIdTweak(sharedSecret));
  } catch (cause) {
    throw new OnionError('invalid-argument', 'blinding/nodePrivkey: tweak failed', { cause });
  }
  return { sharedSecret, blindedPrivkey, rho: generateKey('rho', sharedSecret), pathKeyPoint };
}

/** E_{i+1} = SHA256(E_i || ss_i) * E_i. */
export function deriveNextPathKey(pathKey: Uint8Array | Point, sharedSecret: Uint8Array): Uint8Array {
  const p = pathKey instanceof Uint8Array ? decompressPoint(pathKey, 'blinding/path_key') : pathKey;
  return multiply(p, blindingFactor(p.compressed, sharedSecret));
}

export interface UnblindedHop extends PathKeySecrets {
  /** the decrypted `encrypted_data_tlv` bytes */
  plaintext: Uint8Array;
  data: EncryptedDataTlv;
  /** the path key to hand to the next node: the override if present, else the derived one */
  nextPathKey: Uint8Array;
  /** E_{i+1} as derived, whether or not an override replaced it */
  derivedNextPathKey: Uint8Array;
}

/**
 * Decrypts and parses this hop's `encrypted_recipient_data`.
 * Throws {@link OnionError} 'bad-pubkey' | 'bad-ciphertext' | 'invalid-tlv' | 'unknown-even'.
 * @example const { data, nextPathKey } = unblindHop(nodeSecret, pathKey, payload.encryptedRecipientData)
 */
export function unblindHop(
  nodePrivkey: Uint8Array,
  pathKey: Uint8Array,
  encryptedRecipientData: Uint8Array,
): UnblindedHop {
  const secrets = pathKeySecrets(nodePrivkey, pathKey);
  const plaintext = decryptRecipientData(secrets.rho, encryptedRecipientData);
  const data = decodeEncryptedDataTlv(plaintext);
  const derivedNextPathKey = deriveNextPathKey(secrets.pathKeyPoint, secrets.sharedSecret);
  return {
    ...secrets,
    plaintext,
    data,
    nextPathKey: data.nextPathKeyOverride ?? derivedNextPathKey,
    derivedNextPathKey,
  };
}
