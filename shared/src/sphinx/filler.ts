/**
 * BOLT 4 "Filler Generation" for variable-length hop payloads.
 *
 * Each forwarding hop appends `shift_k` zero bytes before de-obfuscating, so the tail of the
 * `hop_payloads` the last hop receives is predictable. With F_0 empty and L_k = |F_k|:
 *   F_{k+1} = (F_k || 0^{shift_k}) XOR rho_k-stream[payloadsLength - L_k, payloadsLength + shift_k)
 * The last hop does not forward, so the filler covers hops 0 .. n-2. This is the Go example of the
 * spec made length-exact instead of padding to a maximum hop count.
 */
import { generateCipherStream, generateKey, xorInto } from './keys.js';

/**
 * @param sharedSecrets ss_k for each hop, in route order
 * @param shiftSizes bytes hop k consumes (bigsize length prefix + payload + 32-byte HMAC)
 * @param payloadsLength size of `hop_payloads` (1300 for payments)
 * @example const filler = generateFiller(secrets, [53, 53, 86], 1300)
 */
export function generateFiller(
  sharedSecrets: readonly Uint8Array[],
  shiftSizes: readonly number[],
  payloadsLength: number,
): Uint8Array {
  let total = 0;
  for (let k = 0; k < shiftSizes.length - 1; k++) total += shiftSizes[k];
  const filler = new Uint8Array(total);
  let len = 0;
  for (let k = 0; k < shiftSizes.length - 1; k++) {
    const shift = shiftSizes[k];
    len += shift; // F_k || 0^{shift_k}: the new bytes are already zero
    const stream = generateCipherStream(generateKey('rho', sharedSecrets[k]), payloadsLength + shift);
    // filler[0 .. len) ^= stream[payloadsLength + shift - len .. payloadsLength + shift)
    xorInto(filler.subarray(0, len), stream.subarray(payloadsLength + shift - len));
  }
  return filler;
}
