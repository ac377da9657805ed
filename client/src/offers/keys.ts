/**
 * The wallet's BOLT 12 keys, derived from one root secret that is itself derived from the wallet's
 * seed, so nothing needs storing beyond a nonce per offer and the `invreq_metadata` of each request.
 *
 * - Offer key: `offer_issuer_id` of a TS-built offer, also `invoice_node_id` of its invoices (BOLT 12:
 *   "if `offer_issuer_id` is present: MUST set `invoice_node_id` to the `offer_issuer_id`").
 * - Payer key: a transient `invreq_payer_id` per invoice_request (BOLT 12: "MUST set `invreq_payer_id`
 *   to a transient public key" and "MUST remember the secret key"): it is derived again from the
 *   request's unpredictable `invreq_metadata`, as BOLT 12's rationale suggests ("a 128-bit tweak").
 *
 * Keys are HMAC-SHA256 outputs under the root with a label per use. Secret keys never leave these
 * functions except to sign; callers must not log them.
 */
import { getPublicKey, hmacSha256, isValidPrivateKey } from '@jitlsp/shared/crypto';

const utf8 = new TextEncoder();
const ROOT_LABEL = utf8.encode('jitlsp/bolt12/root/v1');
const OFFER_LABEL = utf8.encode('jitlsp/bolt12/offer-key');
const PAYER_LABEL = utf8.encode('jitlsp/bolt12/payer-key');

/** The BOLT 12 root secret of a wallet, from its 32-byte node seed. */
export function offersRootFromSeed(seed: Uint8Array): Uint8Array {
  if (seed.length !== 32) throw new RangeError(`offers root: expected a 32-byte seed, got ${seed.length} bytes`);
  return hmacSha256(seed, ROOT_LABEL);
}

function derive(root: Uint8Array, label: Uint8Array, tweak: Uint8Array): Uint8Array {
  if (root.length !== 32) throw new RangeError(`offers root: expected 32 bytes, got ${root.length}`);
  const msg = new Uint8Array(label.length + tweak.length);
  msg.set(label, 0);
  msg.set(tweak, label.length);
  const key = hmacSha256(root, msg);
  // An HMAC output outside [1, n-1] has probability ~2^-128: refuse rather than bias the key.
  if (!isValidPrivateKey(key)) throw new RangeError('offers key: derived value is not a valid secret key');
  return key;
}

export type KeyPair = { secretKey: Uint8Array; publicKey: Uint8Array };

/** The key of the offer identified by `offerNonce` (16 random bytes chosen when the offer is built). */
export function offerKeyPair(root: Uint8Array, offerNonce: Uint8Array): KeyPair {
  if (offerNonce.length !== 16) throw new RangeError(`offer nonce: expected 16 bytes, got ${offerNonce.length}`);
  const secretKey = derive(root, OFFER_LABEL, offerNonce);
  return { secretKey, publicKey: getPublicKey(secretKey) };
}

/** The transient payer key of the invoice_request whose `invreq_metadata` is `metadata`. */
export function payerKeyPair(root: Uint8Array, metadata: Uint8Array): KeyPair {
  if (metadata.length < 16) throw new RangeError(`invreq_metadata: expected at least 16 bytes, got ${metadata.length}`);
  const secretKey = derive(root, PAYER_LABEL, metadata);
  return { secretKey, publicKey: getPublicKey(secretKey) };
}
