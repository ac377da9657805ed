import { createHmac } from 'node:crypto';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

/**
 * SHA-256 (@noble/hashes), HMAC-SHA256 (Node's OpenSSL: twice as fast as @noble's on the LSPS2 promise
 * and Sphinx hot paths, about 12 vs 24 us per 200-byte message here), and BIP-340 tagged hashes as BOLT 12
 * uses them.
 */
export const sha256 = (msg: Uint8Array): Uint8Array => nobleSha256(msg);

export function hmacSha256(key: Uint8Array, msg: Uint8Array): Uint8Array {
  const d = createHmac('sha256', key).update(msg).digest();
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/**
 * HMAC-SHA256 under one key used for many messages (the LSPS2 promise secret, thousands of times a second):
 * the key's pads are hashed once, and no native object is made per message. Each `createHmac` object carries
 * a weak handle that every young-generation GC must visit, which on a hot path (the buy path) costs more in GC
 * pauses than hashing in JavaScript costs in CPU.
 */
export function keyedHmacSha256(key: Uint8Array): (msg: Uint8Array) => Uint8Array {
  const keyed = nobleHmac.create(nobleSha256, key);
  return (msg) => keyed.clone().update(msg).digest();
}

const tagCache = new Map<string, Uint8Array>();

/** BIP-340: H_tag(m) = SHA256(SHA256(tag) || SHA256(tag) || m). */
export function taggedHash(tag: string | Uint8Array, ...msgs: Uint8Array[]): Uint8Array {
  const key = typeof tag === 'string' ? tag : Buffer.from(tag).toString('latin1');
  let th = tagCache.get(key);
  if (!th) {
    th = nobleSha256(typeof tag === 'string' ? new TextEncoder().encode(tag) : tag);
    tagCache.set(key, th);
  }
  const h = nobleSha256.create().update(th).update(th);
  for (const m of msgs) h.update(m);
  return h.digest();
}
