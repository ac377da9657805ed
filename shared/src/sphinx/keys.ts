/**
 * BOLT 4 "Key Generation" and "Pseudo Random Byte Stream".
 *
 * Keys are HMAC-SHA256(key_type, shared_secret) where key_type is the ASCII name with no
 * terminating zero; the byte stream is ChaCha20 over zeros with that key and a 96-bit zero nonce.
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import { hmacSha256 } from '../crypto/hashes.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** BOLT 4 key types (`rho` = 0x72686f, `mu` = 0x6d75, `um` = 0x756d, `pad` = 0x706164). */
export const KEY_TYPE = {
  rho: utf8('rho'),
  mu: utf8('mu'),
  um: utf8('um'),
  pad: utf8('pad'),
} as const;

export type KeyType = keyof typeof KEY_TYPE;

/**
 * Derives a 32-byte key of the given type from a 32-byte shared secret (BOLT 4 "Key Generation").
 * @example generateKey('rho', sharedSecret)
 */
export function generateKey(type: KeyType, secret: Uint8Array): Uint8Array {
  return hmacSha256(KEY_TYPE[type], secret);
}

const ZERO_NONCE = new Uint8Array(12);

/**
 * `length` bytes of ChaCha20 keystream under `key` with the all-zero nonce
 * (BOLT 4 "Pseudo Random Byte Stream"; the fixed nonce is safe because keys are never reused).
 * @example const stream = generateCipherStream(generateKey('rho', ss), 1300)
 */
export function generateCipherStream(key: Uint8Array, length: number): Uint8Array {
  return chacha20(key, ZERO_NONCE, new Uint8Array(length));
}

/** XORs `stream` into `target` in place, over `min(target.length, stream.length)` bytes. */
export function xorInto(target: Uint8Array, stream: Uint8Array): void {
  const n = Math.min(target.length, stream.length);
  for (let i = 0; i < n; i++) target[i] ^= stream[i];
}
