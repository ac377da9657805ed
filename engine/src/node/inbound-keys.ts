/**
 * LDK 0.1's inbound-payment keys, recomputed from the node seed (rust-lightning 0.1
 * `sign/mod.rs` and `ln/inbound_payment.rs`): `KeysManager` takes BIP32 `m/5'` of the seed's master
 * key as its inbound-payment key material, and `ExpandedKey::new` expands it with HKDF-SHA256
 * (salt "LDK Inbound Payment Key Expansion", no info) into six keys, in this order.
 *
 * A payment secret LDK makes is `iv (16) || ChaCha20(metadata_key, iv)(metadata (16))`, where the
 * metadata is the minimum amount (8 bytes big-endian, the top 3 bits the creation method) and the
 * expiry (8 bytes big-endian, seconds); LDK's ChaCha20 takes a 16-byte nonce as a little-endian
 * 32-bit counter then 12 bytes. Method 4 (`SpontaneousPayment`, iv = HMAC(spontaneous key,
 * metadata)) is accepted by a 0.1 recipient for keysend over a blinded path, though 0.1 has no API
 * to make such a secret: `spontaneousPaymentSecret` makes it here.
 *
 * This is LDK's internal scheme, not a protocol: the engine's tests decrypt a secret LDK made, so an
 * LDK upgrade that changes it fails loudly. The keys are secrets: never logged.
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { HDKey } from '@scure/bip32';

export interface InboundPaymentKeys {
  metadataKey: Uint8Array;
  ldkPaymentHashKey: Uint8Array;
  userPaymentHashKey: Uint8Array;
  offersBaseKey: Uint8Array;
  offersEncryptionKey: Uint8Array;
  spontaneousPaymentKey: Uint8Array;
}

const SALT = new TextEncoder().encode('LDK Inbound Payment Key Expansion');

/** LDK 0.1 `inbound_payment::Method`, the top 3 bits of the secret's amount field. */
export const PaymentSecretMethod = {
  LdkPaymentHash: 0,
  UserPaymentHash: 1,
  LdkPaymentHashCustomFinalCltv: 2,
  UserPaymentHashCustomFinalCltv: 3,
  SpontaneousPayment: 4,
} as const;

export function inboundPaymentKeys(seed: Uint8Array): InboundPaymentKeys {
  if (seed.length !== 32) throw new RangeError(`inbound keys: expected a 32-byte seed, got ${seed.length}`);
  const material = HDKey.fromMasterSeed(seed).derive("m/5'").privateKey;
  if (!material) throw new Error('inbound keys: BIP32 derivation gave no private key');
  const prk = hmac(sha256, SALT, material);
  const out: Uint8Array[] = [];
  let prev = new Uint8Array(0);
  for (let i = 1; i <= 6; i++) {
    const msg = new Uint8Array(prev.length + 1);
    msg.set(prev, 0);
    msg[prev.length] = i;
    prev = hmac(sha256, prk, msg);
    out.push(prev);
  }
  return {
    metadataKey: out[0]!,
    ldkPaymentHashKey: out[1]!,
    userPaymentHashKey: out[2]!,
    offersBaseKey: out[3]!,
    offersEncryptionKey: out[4]!,
    spontaneousPaymentKey: out[5]!,
  };
}

function crypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const counter = (iv[0]! | (iv[1]! << 8) | (iv[2]! << 16) | (iv[3]! << 24)) >>> 0;
  return chacha20(key, iv.subarray(4, 16), data, undefined, counter);
}

export interface PaymentSecretContents {
  method: number;
  minAmountMsat: bigint;
  /** Seconds since 1970 after which LDK refuses the payment. */
  expiresAtSecs: bigint;
  iv: Uint8Array;
  metadata: Uint8Array;
}

/** Decrypts a payment secret made with these keys (LDK's `create_inbound_payment` or ours). */
export function decryptPaymentSecret(keys: InboundPaymentKeys, secret: Uint8Array): PaymentSecretContents {
  if (secret.length !== 32) throw new RangeError(`payment secret: expected 32 bytes, got ${secret.length}`);
  const iv = secret.slice(0, 16);
  const metadata = crypt(keys.metadataKey, iv, secret.subarray(16, 32));
  const view = new DataView(metadata.buffer, metadata.byteOffset, 16);
  const first = view.getBigUint64(0);
  return {
    method: Number(first >> 61n),
    minAmountMsat: first & ((1n << 61n) - 1n),
    expiresAtSecs: view.getBigUint64(8),
    iv,
    metadata,
  };
}

/** The preimage of a payment whose hash LDK chose (method 0): HMAC(ldk hash key, iv || metadata). */
export function ldkPaymentPreimage(keys: InboundPaymentKeys, c: Pick<PaymentSecretContents, 'iv' | 'metadata'>) {
  const m = new Uint8Array(32);
  m.set(c.iv, 0);
  m.set(c.metadata, 16);
  return hmac(sha256, keys.ldkPaymentHashKey, m);
}

/**
 * A payment secret a 0.1 recipient accepts for a keysend over a blinded path (method 4): the payer
 * chooses the preimage, the secret only bounds the amount and the time.
 */
export function spontaneousPaymentSecret(
  keys: InboundPaymentKeys,
  minAmountMsat: bigint,
  expiresAtSecs: bigint,
): Uint8Array {
  if (minAmountMsat < 0n || minAmountMsat >= 1n << 61n) throw new RangeError('minAmountMsat: expected 0 .. 2^61-1');
  const metadata = new Uint8Array(16);
  const view = new DataView(metadata.buffer);
  view.setBigUint64(0, (BigInt(PaymentSecretMethod.SpontaneousPayment) << 61n) | minAmountMsat);
  view.setBigUint64(8, expiresAtSecs);
  const iv = hmac(sha256, keys.spontaneousPaymentKey, metadata).slice(0, 16);
  const out = new Uint8Array(32);
  out.set(iv, 0);
  out.set(crypt(keys.metadataKey, iv, metadata), 16);
  return out;
}
