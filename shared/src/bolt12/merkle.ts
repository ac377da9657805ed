/**
 * The Merkle root of a BOLT 12 TLV stream (BOLT 12 "Signature Calculation").
 *
 * For each non-signature TLV record, in ascending type order, there are two leaves:
 * H("LnLeaf", tlv) and H("LnNonce" || first-tlv, type), where first-tlv is the whole numerically
 * first record and `type` its BigSize encoding. Each pair, and each pair of inner nodes, is joined as
 * H("LnBranch", lesser || greater). With a number of pairs that is not a power of two, the deeper
 * subtrees are on the lowest-order leaves: neighbours at distance 1, 2, 4, ... are joined in turn.
 * H(tag, msg) is the BIP-340 tagged hash SHA256(SHA256(tag) || SHA256(tag) || msg).
 *
 * Signature TLV elements (types 240 to 1000 inclusive) are not part of the tree.
 * Vectors: `bolt12/signature-test.json`.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { BigSize } from '../tlv/index.js';

const utf8 = new TextEncoder();

/**
 * A SHA-256 state that has absorbed SHA256(tag) || SHA256(tag): exactly one 64-byte block, so
 * cloning it is cheaper than hashing the prefix again for every leaf.
 */
function taggedPrefix(tag: Uint8Array) {
  const t = sha256(tag);
  return sha256.create().update(t).update(t);
}
type Prefix = ReturnType<typeof taggedPrefix>;

const LEAF = taggedPrefix(utf8.encode('LnLeaf'));
const BRANCH = taggedPrefix(utf8.encode('LnBranch'));
const LN_NONCE = utf8.encode('LnNonce');

function hashWith(prefix: Prefix, ...parts: Uint8Array[]): Uint8Array {
  const h = prefix.clone();
  for (const p of parts) h.update(p);
  return h.digest();
}

/** First byte difference decides; equal hashes cannot occur for distinct leaves in practice. */
function lessThan(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** H("LnBranch", lesser || greater). */
export function branchHash(a: Uint8Array, b: Uint8Array): Uint8Array {
  return lessThan(a, b) ? hashWith(BRANCH, a, b) : hashWith(BRANCH, b, a);
}

/** BOLT 12: signature TLV elements are types 240 through 1000 inclusive. */
export function isSignatureType(type: bigint): boolean {
  return type >= 240n && type <= 1000n;
}

/** A TLV record as it appears on the wire: type, length and value. */
export type MerkleRecord = { type: bigint; value: Uint8Array };

function serialise(r: MerkleRecord): Uint8Array {
  const t = BigSize.encode(r.type);
  const l = BigSize.encode(BigInt(r.value.length));
  const out = new Uint8Array(t.length + l.length + r.value.length);
  out.set(t, 0);
  out.set(l, t.length);
  out.set(r.value, t.length + l.length);
  return out;
}

export type MerkleLeaf = { leaf: Uint8Array; nonce: Uint8Array; branch: Uint8Array };

/**
 * The leaves and leaf-pair branches for the non-signature records (exposed for the spec vectors,
 * which list them).
 */
export function merkleLeaves(records: readonly MerkleRecord[]): MerkleLeaf[] {
  const included = records.filter((r) => !isSignatureType(r.type));
  if (included.length === 0) throw new RangeError('merkle: the stream has no non-signature records');
  // The nonce tag is "LnNonce" || first-tlv, so nonce leaves cannot be guessed without first-tlv
  // (for an invoice_request that is `invreq_metadata`, type 0).
  const first = serialise(included[0]!);
  const tag = new Uint8Array(LN_NONCE.length + first.length);
  tag.set(LN_NONCE, 0);
  tag.set(first, LN_NONCE.length);
  const NONCE = taggedPrefix(tag);
  return included.map((r) => {
    const leaf = hashWith(LEAF, serialise(r));
    const nonce = hashWith(NONCE, BigSize.encode(r.type));
    return { leaf, nonce, branch: branchHash(leaf, nonce) };
  });
}

/** The Merkle root over the non-signature records of a TLV stream. */
export function merkleRoot(records: readonly MerkleRecord[]): Uint8Array {
  const nodes = merkleLeaves(records).map((l) => l.branch);
  for (let step = 1; step < nodes.length; step *= 2) {
    for (let i = 0; i + step < nodes.length; i += 2 * step) nodes[i] = branchHash(nodes[i]!, nodes[i + step]!);
  }
  return nodes[0]!;
}
