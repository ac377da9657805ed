/**
 * BOLT 4 "Route Blinding": `encrypted_recipient_data[i]` is `encrypted_data_tlv[i]` sealed with
 * ChaCha20-Poly1305 under rho_i = HMAC256("rho", ss_i), an all-zero 96-bit nonce and no associated
 * data (each rho_i is used once, so the fixed nonce is safe).
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { OnionError } from '../sphinx/onion-error.js';

const ZERO_NONCE = new Uint8Array(12);

/**
 * Seals an `encrypted_data_tlv` for one hop.
 * @example const enc = encryptRecipientData(generateKey('rho', ss), encodeEncryptedDataTlv({ nextNodeId }))
 */
export function encryptRecipientData(rho: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return chacha20poly1305(rho, ZERO_NONCE).encrypt(plaintext);
}

/**
 * Opens `encrypted_recipient_data`; throws {@link OnionError} 'bad-ciphertext' if the Poly1305 tag
 * does not verify (BOLT 4: MUST return an error if it does not decrypt).
 * @example const tlv = decryptRecipientData(rho, hop.encryptedRecipientData)
 */
export function decryptRecipientData(rho: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  if (ciphertext.length < 16) {
    throw new OnionError(
      'bad-ciphertext',
      `encrypted_recipient_data: expected at least 16 bytes (the tag), got ${ciphertext.length}`,
    );
  }
  try {
    return chacha20poly1305(rho, ZERO_NONCE).decrypt(ciphertext);
  } catch (cause) {
    throw new OnionError('bad-ciphertext', 'encrypted_recipient_data: authentication tag does not verify', { cause });
  }
}
