/**
 * The payment onion for a partially blinded route (BOLT 4 "Route Blinding", reader of a
 * `blinded_path`, sending a payment): an unblinded route to the introduction node, whose payload
 * carries `current_path_key`, then one hop per blinded node id. Only the final blinded hop gets
 * `amt_to_forward`, `outgoing_cltv_value` and `total_amount_msat`; the blinded forwarders compute
 * their amounts from their own `payment_relay`, which the sender pays for through `blinded_payinfo`.
 */
import type { BlindedPath } from '../wire/blinded-path.js';
import type { BlindedPayInfo } from '../wire/blinded-payinfo.js';
import { OnionError } from '../sphinx/onion-error.js';
import { constructOnionPacket } from '../sphinx/construct.js';
import type { OnionPacket } from '../sphinx/packet.js';
import { blindedPathFeeMsat } from '../blinding/payinfo.js';
import { encodePaymentOnionPayload, type PaymentOnionPayload } from './payload.js';

export interface ClearHop {
  nodeId: Uint8Array;
  /** the channel this hop forwards over, to the next hop */
  shortChannelId: bigint;
  /** this hop's policy on that channel (BOLT 7); omitted = it charges nothing and adds no delta */
  feeBaseMsat?: number;
  feeProportionalMillionths?: number;
  cltvExpiryDelta?: number;
}

export interface BuildBlindedPaymentOnionArgs {
  sessionKey: Uint8Array;
  /** the associated data: the payment hash */
  paymentHash: Uint8Array;
  /** unblinded hops from our first peer up to (not including) the introduction node */
  clearHops: readonly ClearHop[];
  blindedPath: BlindedPath;
  payinfo: Pick<BlindedPayInfo, 'feeBaseMsat' | 'feeProportionalMillionths' | 'cltvExpiryDelta'>;
  /** what the recipient gets in this HTLC */
  amountMsat: bigint;
  /** the recipient's `outgoing_cltv_value` (current height, plus any shadow offset) */
  finalCltv: number;
  /** the whole payment (MPP); defaults to `amountMsat` */
  totalAmountMsat?: bigint;
}

export interface BlindedPaymentOnion {
  packet: OnionPacket;
  /** the peer to send the HTLC to */
  firstNodeId: Uint8Array;
  /** the HTLC's amount and expiry */
  firstAmountMsat: bigint;
  firstCltvExpiry: number;
  /** each hop's payload, for inspection */
  payloads: PaymentOnionPayload[];
}

/**
 * @example buildBlindedPaymentOnion({ sessionKey, paymentHash, clearHops: [], blindedPath, payinfo, amountMsat: 50_000_000n, finalCltv: height })
 */
export function buildBlindedPaymentOnion(args: BuildBlindedPaymentOnionArgs): BlindedPaymentOnion {
  const path = args.blindedPath;
  if (path.hops.length === 0)
    throw new OnionError('invalid-argument', 'blinded_path: expected at least one hop, got 0');
  if (path.introduction.kind !== 'nodeId') {
    throw new OnionError('invalid-argument', 'blinded_path/first_node_id: resolve the compact introduction node first');
  }
  const last = path.hops.length - 1;
  const blindedPayloads: PaymentOnionPayload[] = path.hops.map((h, i) => ({
    encryptedRecipientData: h.encryptedRecipientData,
    ...(i === 0 ? { currentPathKey: path.firstPathKey } : {}),
    ...(i === last
      ? {
          amtToForwardMsat: args.amountMsat,
          outgoingCltvValue: args.finalCltv,
          totalAmountMsat: args.totalAmountMsat ?? args.amountMsat,
        }
      : {}),
  }));
  // What the introduction node must receive: the recipient's amount plus the path's aggregated fee.
  let amount = args.amountMsat + blindedPathFeeMsat(args.payinfo, args.amountMsat);
  let cltv = args.finalCltv + args.payinfo.cltvExpiryDelta;
  const clearPayloads: PaymentOnionPayload[] = [];
  for (let i = args.clearHops.length - 1; i >= 0; i--) {
    const h = args.clearHops[i];
    clearPayloads.unshift({ amtToForwardMsat: amount, outgoingCltvValue: cltv, shortChannelId: h.shortChannelId });
    amount += blindedPathFeeMsat(
      { feeBaseMsat: h.feeBaseMsat ?? 0, feeProportionalMillionths: h.feeProportionalMillionths ?? 0 },
      amount,
    );
    cltv += h.cltvExpiryDelta ?? 0;
  }
  const payloads = [...clearPayloads, ...blindedPayloads];
  const keys = [
    ...args.clearHops.map((h) => h.nodeId),
    path.introduction.nodeId, // the introduction node decrypts with its real key (it reads current_path_key)
    ...path.hops.slice(1).map((h) => h.blindedNodeId),
  ];
  const { packet } = constructOnionPacket({
    sessionKey: args.sessionKey,
    associatedData: args.paymentHash,
    hops: payloads.map((p, i) => ({ publicKey: keys[i], payload: encodePaymentOnionPayload(p) })),
  });
  return { packet, firstNodeId: keys[0], firstAmountMsat: amount, firstCltvExpiry: cltv, payloads };
}
