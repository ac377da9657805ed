import { ByteReader, ByteWriter } from '../tlv/index.js';
import { decodeSciddirOrPubkey, encodeSciddirOrPubkey, type SciddirOrPubkey } from './sciddir-or-pubkey.js';

/**
 * The `blinded_path` subtype of BOLT 4 ("Route Blinding"), as carried in BOLT 12 `offer_paths`,
 * `invreq_paths`, `invoice_paths` and onion-message `reply_path`:
 * `first_node_id` (sciddir_or_pubkey), `first_path_key` (point), `num_hops` (byte), then per hop
 * `blinded_node_id` (point), `enclen` (u16) and `encrypted_recipient_data`.
 *
 * This codec checks framing only; semantic rules such as BOLT 12's "MUST reject if num_hops is 0"
 * belong to the message that carries the path.
 */
export type BlindedPathHop = {
  blindedNodeId: Uint8Array;
  encryptedRecipientData: Uint8Array;
};

export type BlindedPath = {
  introduction: SciddirOrPubkey;
  firstPathKey: Uint8Array;
  hops: BlindedPathHop[];
};

export function decodeBlindedPath(r: ByteReader): BlindedPath {
  const introduction = decodeSciddirOrPubkey(r);
  const firstPathKey = r.bytes(33);
  const numHops = r.u8();
  const hops: BlindedPathHop[] = [];
  for (let i = 0; i < numHops; i++) {
    const blindedNodeId = r.bytes(33);
    const len = r.u16();
    hops.push({ blindedNodeId, encryptedRecipientData: r.bytes(len) });
  }
  return { introduction, firstPathKey, hops };
}

export function encodeBlindedPath(p: BlindedPath, w: ByteWriter = new ByteWriter()): ByteWriter {
  if (p.firstPathKey.length !== 33)
    throw new RangeError(`blinded_path/first_path_key: expected 33 bytes, got ${p.firstPathKey.length}`);
  if (p.hops.length > 255) throw new RangeError(`blinded_path/num_hops: expected at most 255, got ${p.hops.length}`);
  encodeSciddirOrPubkey(p.introduction, w);
  w.bytes(p.firstPathKey).u8(p.hops.length);
  for (const [i, h] of p.hops.entries()) {
    if (h.blindedNodeId.length !== 33)
      throw new RangeError(`blinded_path/path[${i}]/blinded_node_id: expected 33 bytes, got ${h.blindedNodeId.length}`);
    w.bytes(h.blindedNodeId).u16(h.encryptedRecipientData.length).bytes(h.encryptedRecipientData);
  }
  return w;
}

/** Decodes a value that is a concatenation of blinded paths (`...*blinded_path`), e.g. `offer_paths`. */
export function decodeBlindedPaths(value: Uint8Array, scope = 'paths', baseOffset = 0): BlindedPath[] {
  const r = new ByteReader(value, scope, baseOffset);
  const out: BlindedPath[] = [];
  while (!r.done()) out.push(decodeBlindedPath(r));
  return out;
}

export function encodeBlindedPaths(paths: readonly BlindedPath[]): Uint8Array {
  const w = new ByteWriter();
  for (const p of paths) encodeBlindedPath(p, w);
  return w.finish();
}
