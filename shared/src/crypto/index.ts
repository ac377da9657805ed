/**
 * Cryptographic primitives, each behind one small module:
 * - `secp256k1.ts`: the only place that picks the curve backend (tiny-secp256k1 WASM)
 * - `hashes.ts`: SHA-256, HMAC-SHA256, BIP-340 tagged hashes
 * - `constant-time.ts`: comparison of secrets
 * - `hex.ts`: strict hex parsing for inputs
 * - `random.ts`: OS randomness drawn in blocks, for hot paths
 */
export { equalBytes } from './constant-time.js';
export { hmacSha256, sha256, taggedHash } from './hashes.js';
export { fromHex, toHex } from './hex.js';
export { pooledRandom } from './random.js';
export {
  Secp256k1Error,
  decompressPublicKey,
  ecdh,
  ecdsaRecover,
  ecdsaSignCompact,
  ecdsaSignRecoverable,
  ecdsaVerify,
  getPublicKey,
  getXOnlyPublicKey,
  isValidPrivateKey,
  isValidPublicKey,
  multiplyDecompressed,
  pointAdd,
  pointMultiply,
  privateMultiply,
  schnorrSign,
  schnorrVerify,
} from './secp256k1.js';
