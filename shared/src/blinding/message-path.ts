/**
 * A blinded path for onion messages (BOLT 4 "Onion Messages" + "Route Blinding"), e.g. an offer's
 * `offer_paths` or a `reply_path`: every non-final hop names the next node (`next_node_id`, never
 * `payment_relay`/`payment_constraints`), and the recipient MAY keep a `path_id` to recognise replies.
 */
import type { BlindedPath } from '../wire/blinded-path.js';
import { blindPath } from './blind-path.js';
import { encodeEncryptedDataTlv, type EncryptedDataTlv } from './encrypted-data-tlv.js';
import { encodePadded } from './padding.js';

export interface BuildBlindedMessagePathArgs {
  sessionKey: Uint8Array;
  /** forwarding node ids, introduction node first */
  forwardNodeIds: readonly Uint8Array[];
  recipientNodeId: Uint8Array;
  /** the recipient's own data: `path_id` and any odd records */
  recipientData?: EncryptedDataTlv;
  pad?: boolean;
}

/**
 * @example const { path } = buildBlindedMessagePath({ sessionKey, forwardNodeIds: [lspId], recipientNodeId: myId, recipientData: { pathId } })
 */
export function buildBlindedMessagePath(args: BuildBlindedMessagePathArgs): { path: BlindedPath } {
  const nodes = [...args.forwardNodeIds, args.recipientNodeId];
  const datas: EncryptedDataTlv[] = args.forwardNodeIds.map((_, i) => ({ nextNodeId: nodes[i + 1] }));
  datas.push(args.recipientData ?? {});
  const plaintexts = args.pad === false ? datas.map((d) => encodeEncryptedDataTlv(d)) : encodePadded(datas);
  const { path } = blindPath(
    args.sessionKey,
    nodes.map((nodeId, i) => ({ nodeId, data: plaintexts[i] })),
  );
  return { path };
}
