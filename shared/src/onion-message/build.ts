/**
 * Building an onion message (BOLT 4 "Onion Messages" writer + "Route Blinding" reader of a path).
 *
 * All onion messages travel a blinded path. A sender that must first reach the introduction node of
 * the recipient's path blinds its own prefix and joins it: the last prefix hop's `encrypted_data_tlv`
 * names the introduction node and carries `next_path_key_override` = the path's `first_path_key`.
 * The Sphinx onion is then encrypted to every blinded node id, with no associated data.
 */
import type { BlindedPath, BlindedPathHop } from '../wire/blinded-path.js';
import { OnionError } from '../sphinx/onion-error.js';
import { constructOnionPacket, hopShiftSize } from '../sphinx/construct.js';
import { blindPath } from '../blinding/blind-path.js';
import { advanceBlindedPath } from '../blinding/advance-path.js';
import { equalBytes } from '../crypto/constant-time.js';
import { encodeEncryptedDataTlv, type EncryptedDataTlv } from '../blinding/encrypted-data-tlv.js';
import { encodePadded } from '../blinding/padding.js';
import { encodeOnionMessagePayload, type OnionMessagePayload } from './onionmsg-tlv.js';
import type { OnionMessage } from './onion-message-wire.js';

/** The two `onionmsg_payloads` sizes BOLT 4 recommends (packet length 1366 or 32834). */
export const ONION_MESSAGE_PAYLOADS_LENGTHS = [1300, 32768] as const;

export interface ConstructOnionMessageArgs {
  /** the Sphinx session key (32 random bytes) */
  sessionKey: Uint8Array;
  /** the path key the first node receives in `onion_message.path_key` */
  firstPathKey: Uint8Array;
  /** every blinded hop, first node first; the last is the recipient */
  hops: readonly BlindedPathHop[];
  /** the recipient's payload, apart from its `encrypted_recipient_data` (taken from the last hop) */
  finalPayload: Omit<OnionMessagePayload, 'encryptedRecipientData'>;
  /** `onionmsg_payloads` size; defaults to 1300 if everything fits, else 32768 */
  payloadsLength?: number;
}

/**
 * Wraps the blinded hops into an onion message. Throws {@link OnionError} 'oversize-payload' if the
 * payloads exceed 32768 bytes.
 * @example const msg = constructOnionMessage({ sessionKey, firstPathKey: path.firstPathKey, hops: path.hops, finalPayload: { invoiceRequest } })
 */
export function constructOnionMessage(args: ConstructOnionMessageArgs): OnionMessage {
  const n = args.hops.length;
  if (n === 0) throw new OnionError('invalid-argument', 'onion_message/hops: expected at least one hop, got 0');
  const payloads = args.hops.map((h, i) =>
    encodeOnionMessagePayload(
      i === n - 1
        ? { ...args.finalPayload, encryptedRecipientData: h.encryptedRecipientData }
        : // BOLT 4: for non-final nodes the writer MUST NOT set fields other than encrypted_recipient_data.
          { encryptedRecipientData: h.encryptedRecipientData },
    ),
  );
  const total = payloads.reduce((a, p) => a + hopShiftSize(p.length), 0);
  const payloadsLength = args.payloadsLength ?? ONION_MESSAGE_PAYLOADS_LENGTHS.find((l) => total <= l);
  if (payloadsLength === undefined) {
    throw new OnionError('oversize-payload', `onion_message: expected payloads to fit 32768 bytes, got ${total}`);
  }
  const { packet } = constructOnionPacket({
    sessionKey: args.sessionKey,
    hops: args.hops.map((h, i) => ({ publicKey: h.blindedNodeId, payload: payloads[i] })),
    payloadsLength,
  });
  return { pathKey: args.firstPathKey, packet };
}

export type OnionMessageDestination =
  { kind: 'node'; nodeId: Uint8Array; recipientData?: EncryptedDataTlv } | { kind: 'blindedPath'; path: BlindedPath };

export interface BuildOnionMessageArgs {
  /** Sphinx session key */
  sessionKey: Uint8Array;
  /** e_0 for the sender's own blinded prefix (32 random bytes) */
  blindingSessionKey: Uint8Array;
  /** unblinded nodes to cross before the destination (or its introduction node), first hop first */
  intermediateNodeIds: readonly Uint8Array[];
  destination: OnionMessageDestination;
  contents: Omit<OnionMessagePayload, 'encryptedRecipientData'>;
  /**
   * Our own node key: if the destination path starts at us (a reply path built through us), we
   * advance it past our hops first, as its reader.
   */
  self?: { nodeId: Uint8Array; nodePrivkey: Uint8Array };
  /** resolves a compact (`sciddir`) introduction node to its node id */
  resolveIntroduction?: (scid: bigint, direction: 0 | 1) => Uint8Array | undefined;
  /** pad the sender's own encrypted_data_tlv to one length (default true) */
  pad?: boolean;
  payloadsLength?: number;
}

/**
 * Builds an onion message and says which peer to send it to.
 * @example
 * const { firstNodeId, message } = buildOnionMessage({
 *   sessionKey: random(32), blindingSessionKey: random(32), intermediateNodeIds: [],
 *   destination: { kind: 'blindedPath', path: offer.paths[0] }, contents: { invoiceRequest, replyPath },
 * })
 * peer(firstNodeId).send(encodeOnionMessage(message))
 */
export function buildOnionMessage(args: BuildOnionMessageArgs): { firstNodeId: Uint8Array; message: OnionMessage } {
  const encode = (datas: EncryptedDataTlv[]): Uint8Array[] =>
    args.pad === false ? datas.map((d) => encodeEncryptedDataTlv(d)) : encodePadded(datas);
  const mids = args.intermediateNodeIds;
  const dest = args.destination;
  const wrap = (path: { firstPathKey: Uint8Array; hops: BlindedPathHop[] }): OnionMessage =>
    constructOnionMessage({
      sessionKey: args.sessionKey,
      firstPathKey: path.firstPathKey,
      hops: path.hops,
      finalPayload: args.contents,
      payloadsLength: args.payloadsLength,
    });

  if (dest.kind === 'node') {
    const nodes = [...mids, dest.nodeId];
    const datas: EncryptedDataTlv[] = mids.map((_, i) => ({ nextNodeId: nodes[i + 1] }));
    datas.push(dest.recipientData ?? {});
    const plain = encode(datas);
    const { path } = blindPath(
      args.blindingSessionKey,
      nodes.map((nodeId, i) => ({ nodeId, data: plain[i] })),
    );
    return { firstNodeId: nodes[0], message: wrap(path) };
  }

  let path = dest.path;
  while (
    args.self &&
    path.introduction.kind === 'nodeId' &&
    equalBytes(path.introduction.nodeId, args.self.nodeId) &&
    path.hops.length > 1
  ) {
    path = advanceBlindedPath(path, args.self.nodePrivkey);
  }
  if (path.hops.length === 0)
    throw new OnionError('invalid-argument', 'onion_message/destination: the blinded path has no hops');
  let intro: Uint8Array | undefined;
  if (path.introduction.kind === 'nodeId') intro = path.introduction.nodeId;
  else intro = args.resolveIntroduction?.(path.introduction.scid, path.introduction.direction);
  if (!intro)
    throw new OnionError('invalid-argument', 'onion_message/destination: cannot resolve the compact introduction node');

  if (mids.length === 0) return { firstNodeId: intro, message: wrap(path) };
  // BOLT 4: MUST set next_path_key_override in the prior onion payload to first_path_key.
  const nodes = [...mids, intro];
  const datas: EncryptedDataTlv[] = mids.map((_, i) =>
    i === mids.length - 1
      ? { nextNodeId: intro, nextPathKeyOverride: path.firstPathKey }
      : { nextNodeId: nodes[i + 1] },
  );
  const plain = encode(datas);
  const prefix = blindPath(
    args.blindingSessionKey,
    mids.map((nodeId, i) => ({ nodeId, data: plain[i] })),
  ).path;
  return {
    firstNodeId: mids[0],
    message: wrap({ firstPathKey: prefix.firstPathKey, hops: [...prefix.hops, ...path.hops] }),
  };
}
