import { ByteReader, ByteWriter, TlvError } from '../tlv/index.js';

/**
 * BOLT 1 `sciddir_or_pubkey`: either a 33-byte point identifying a node, or 9 bytes referencing one
 * end of a channel (first byte 0 = `node_id_1`, 1 = `node_id_2` of the channel_announcement for the
 * 8-byte `short_channel_id` that follows). The compact form keeps BOLT 12 offers short.
 */
export type SciddirOrPubkey =
  { kind: 'nodeId'; nodeId: Uint8Array } | { kind: 'scidDir'; direction: 0 | 1; scid: bigint };

export function decodeSciddirOrPubkey(r: ByteReader): SciddirOrPubkey {
  const at = r.offset;
  const first = r.u8();
  if (first === 0 || first === 1) return { kind: 'scidDir', direction: first, scid: r.u64() };
  if (first === 2 || first === 3) {
    const rest = r.bytes(32);
    const nodeId = new Uint8Array(33);
    nodeId[0] = first;
    nodeId.set(rest, 1);
    return { kind: 'nodeId', nodeId };
  }
  throw new TlvError(
    'invalid-value',
    `${r.scope}/sciddir_or_pubkey: expected first byte 0, 1, 2 or 3, got ${first}`,
    at,
  );
}

export function encodeSciddirOrPubkey(v: SciddirOrPubkey, w: ByteWriter): ByteWriter {
  if (v.kind === 'scidDir') return w.u8(v.direction).u64(v.scid);
  if (v.nodeId.length !== 33 || (v.nodeId[0] !== 2 && v.nodeId[0] !== 3)) {
    throw new RangeError(`sciddir_or_pubkey: expected a 33-byte compressed point, got ${v.nodeId.length} bytes`);
  }
  return w.bytes(v.nodeId);
}
