/**
 * Test-only: wraps arbitrary plaintext `hop_payloads` for one hop with a valid HMAC, so tests reach
 * the checks that come after HMAC verification (length prefix, payload TLVs, blinded data).
 */
import { ecdh, getPublicKey } from '../../src/crypto/secp256k1.js';
import { hmacSha256 } from '../../src/crypto/hashes.js';
import { generateCipherStream, generateKey, xorInto, type OnionPacket } from '../../src/sphinx/index.js';

export function craftPacket(
  sessionKey: Uint8Array,
  hopPubkey: Uint8Array,
  plaintext: Uint8Array,
  associatedData = new Uint8Array(0),
): OnionPacket {
  const ss = ecdh(sessionKey, hopPubkey);
  const hopPayloads = plaintext.slice();
  xorInto(hopPayloads, generateCipherStream(generateKey('rho', ss), hopPayloads.length));
  const mac = new Uint8Array([...hopPayloads, ...associatedData]);
  return { version: 0, publicKey: getPublicKey(sessionKey), hopPayloads, hmac: hmacSha256(generateKey('mu', ss), mac) };
}

/** Deterministic PRNG (mulberry32), so fuzz runs are reproducible from their seed. */
export function prng(seed: number): { u32(): number; int(n: number): number; bytes(n: number): Uint8Array } {
  let a = seed >>> 0;
  const u32 = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    u32,
    int: (n) => u32() % n,
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = u32() & 0xff;
      return out;
    },
  };
}

/** {@link craftPacket} with the ECDH and key derivation done once, for fuzzing many packets to one hop. */
export function packetCrafter(
  sessionKey: Uint8Array,
  hopPubkey: Uint8Array,
  payloadsLength = 1300,
): (plaintext: Uint8Array, associatedData?: Uint8Array) => OnionPacket {
  const ss = ecdh(sessionKey, hopPubkey);
  const stream = generateCipherStream(generateKey('rho', ss), payloadsLength);
  const mu = generateKey('mu', ss);
  const publicKey = getPublicKey(sessionKey);
  return (plaintext, associatedData = new Uint8Array(0)) => {
    const hopPayloads = plaintext.slice();
    xorInto(hopPayloads, stream);
    const mac = new Uint8Array(hopPayloads.length + associatedData.length);
    mac.set(hopPayloads, 0);
    mac.set(associatedData, hopPayloads.length);
    return { version: 0, publicKey, hopPayloads, hmac: hmacSha256(mu, mac) };
  };
}
