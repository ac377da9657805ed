/**
 * Advancing a blinded path by one hop when we are its introduction node (e.g. a `reply_path` a peer
 * built through us): we are a reader of our own `encrypted_recipient_data` (BOLT 4 "Route
 * Blinding"), so we decrypt it, learn the next node and the next path key, and the path continues
 * from there. LDK calls this `advance_path_by_one`.
 */
import type { BlindedPath } from '../wire/blinded-path.js';
import { OnionError } from '../sphinx/onion-error.js';
import { unblindHop } from './unblind.js';

/**
 * @param resolveScid maps a `short_channel_id` in our data to the peer at its other end
 * @example if (equalBytes(intro, myId)) path = advanceBlindedPath(path, mySecret)
 */
export function advanceBlindedPath(
  path: BlindedPath,
  nodePrivkey: Uint8Array,
  resolveScid?: (scid: bigint) => Uint8Array | undefined,
): BlindedPath {
  if (path.hops.length < 2)
    throw new OnionError('invalid-argument', 'blinded_path: cannot advance a path with fewer than 2 hops');
  const u = unblindHop(nodePrivkey, path.firstPathKey, path.hops[0].encryptedRecipientData);
  const next =
    u.data.nextNodeId ?? (u.data.shortChannelId !== undefined ? resolveScid?.(u.data.shortChannelId) : undefined);
  if (!next) throw new OnionError('invalid-payload', 'blinded_path: our hop names no next node we can resolve');
  return { introduction: { kind: 'nodeId', nodeId: next }, firstPathKey: u.nextPathKey, hops: path.hops.slice(1) };
}
