/**
 * BIP-340 signatures over a BOLT 12 Merkle root (BOLT 12 "Signature Calculation"):
 * SIG(tag, root, key) signs H(tag, root) where tag = "lightning" || messagename || fieldname, e.g.
 * "lightninginvoice_requestsignature". Keys on the wire are 33-byte compressed points; BIP-340
 * uses their x coordinate.
 */
import { schnorrSign, schnorrVerify, taggedHash } from '../crypto/index.js';

export type SignedMessageName = 'invoice_request' | 'invoice';

export function signatureTag(messageName: SignedMessageName, fieldName = 'signature'): string {
  return `lightning${messageName}${fieldName}`;
}

/** H(tag, merkle root): the 32-byte message BIP-340 signs. */
export function signatureDigest(
  messageName: SignedMessageName,
  merkleRoot: Uint8Array,
  fieldName = 'signature',
): Uint8Array {
  return taggedHash(signatureTag(messageName, fieldName), merkleRoot);
}

/** Signs the Merkle root with `privateKey`. `aux` is BIP-340 auxiliary randomness (inject it for tests). */
export function signMerkleRoot(
  messageName: SignedMessageName,
  merkleRoot: Uint8Array,
  privateKey: Uint8Array,
  aux?: Uint8Array,
  fieldName = 'signature',
): Uint8Array {
  return schnorrSign(signatureDigest(messageName, merkleRoot, fieldName), privateKey, aux);
}

/** True when `sig` is a valid BIP-340 signature of the root by the 33-byte `publicKey`. */
export function verifyMerkleSignature(
  messageName: SignedMessageName,
  merkleRoot: Uint8Array,
  sig: Uint8Array,
  publicKey: Uint8Array,
  fieldName = 'signature',
): boolean {
  if (publicKey.length !== 33) return false;
  return schnorrVerify(sig, signatureDigest(messageName, merkleRoot, fieldName), publicKey.subarray(1));
}
