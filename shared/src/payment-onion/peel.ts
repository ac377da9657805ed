/**
 * Peeling one hop of a payment onion (BOLT 4 "Onion Decryption" and the reader requirements of the
 * `payload` format and of "Route Blinding"), for blinded and unblinded hops.
 */
import { OnionError } from '../sphinx/onion-error.js';
import { peelOnionPacket } from '../sphinx/peel.js';
import type { OnionPacket } from '../sphinx/packet.js';
import { pathKeySecrets, unblindHop } from '../blinding/unblind.js';
import type { EncryptedDataTlv } from '../blinding/encrypted-data-tlv.js';
import { forwardAmountMsat, forwardCltvExpiry } from '../blinding/payinfo.js';
import { paymentForwardData, paymentReceiveData } from '../blinding/data-rules.js';
import { decodePaymentOnionPayload, type PaymentOnionPayload } from './payload.js';

export interface PeelPaymentOnionArgs {
  packet: OnionPacket;
  nodePrivkey: Uint8Array;
  /** the HTLC's payment hash (the onion's associated data) */
  paymentHash: Uint8Array;
  /** `update_add_htlc.path_key`, when the previous hop was inside the blinded path */
  updateAddPathKey?: Uint8Array;
  /** the incoming HTLC amount and expiry, to compute a blinded forward and check payment_constraints */
  incomingAmountMsat?: bigint;
  incomingCltvExpiry?: number;
}

export type PaymentOnionAction =
  | {
      kind: 'forward';
      packet: OnionPacket;
      shortChannelId?: bigint;
      nextNodeId?: Uint8Array;
      /** from the payload (unblinded) or from payment_relay (blinded, when the incoming HTLC is known) */
      amtToForwardMsat?: bigint;
      outgoingCltvValue?: number;
      /** blinded: the `path_key` to put in the outgoing `update_add_htlc` */
      nextPathKey?: Uint8Array;
    }
  | {
      kind: 'receive';
      amtToForwardMsat: bigint;
      outgoingCltvValue: number;
      totalAmountMsat: bigint;
      paymentData?: { paymentSecret: Uint8Array; totalMsat: bigint };
      /** blinded: our own path_id */
      pathId?: Uint8Array;
    };

export interface PeeledPaymentOnion {
  payload: PaymentOnionPayload;
  /** present when this hop is inside a blinded path */
  blinded?: { pathKey: Uint8Array; data: EncryptedDataTlv; nextPathKey: Uint8Array };
  action: PaymentOnionAction;
}

const fail = (message: string): never => {
  throw new OnionError('invalid-payload', message);
};

/**
 * Verifies, decrypts and checks one hop. Every failure is an {@link OnionError}.
 * @example const { action } = peelPaymentOnion({ packet, nodePrivkey, paymentHash, updateAddPathKey })
 */
export function peelPaymentOnion(args: PeelPaymentOnionArgs): PeeledPaymentOnion {
  // BOLT 4: with a path_key from update_add_htlc, decrypt with our key tweaked by
  // HMAC256("blinded_node_id", ECDH(path_key, k)).
  const key = args.updateAddPathKey
    ? pathKeySecrets(args.nodePrivkey, args.updateAddPathKey).blindedPrivkey
    : args.nodePrivkey;
  const peeled = peelOnionPacket(args.packet, {
    nodePrivkey: key,
    associatedData: args.paymentHash,
    minPayloadLength: 2,
  });
  const payload = decodePaymentOnionPayload(peeled.payload);
  const isFinal = peeled.next === undefined;

  if (payload.encryptedRecipientData === undefined) {
    // Not part of a blinded route.
    if (args.updateAddPathKey || payload.currentPathKey)
      fail('payment onion payload: path_key set but no encrypted_recipient_data');
    if (payload.amtToForwardMsat === undefined || payload.outgoingCltvValue === undefined) {
      fail('payment onion payload: amt_to_forward and outgoing_cltv_value are required');
    }
    if (!isFinal) {
      if (payload.shortChannelId === undefined) fail('payment onion payload/short_channel_id: required for a forward');
      if (payload.paymentData) fail('payment onion payload/payment_data: not allowed for a forward');
      return {
        payload,
        action: {
          kind: 'forward',
          packet: peeled.next!,
          shortChannelId: payload.shortChannelId,
          amtToForwardMsat: payload.amtToForwardMsat,
          outgoingCltvValue: payload.outgoingCltvValue,
        },
      };
    }
    if (payload.shortChannelId !== undefined)
      fail('payment onion payload/short_channel_id: not allowed for the final node');
    return {
      payload,
      action: {
        kind: 'receive',
        amtToForwardMsat: payload.amtToForwardMsat!,
        outgoingCltvValue: payload.outgoingCltvValue!,
        // BOLT 4: treat total_msat as amt_to_forward when absent.
        totalAmountMsat: payload.paymentData?.totalMsat ?? payload.amtToForwardMsat!,
        ...(payload.paymentData ? { paymentData: payload.paymentData } : {}),
      },
    };
  }

  // Inside a blinded route. BOLT 4: path_key from update_add_htlc XOR current_path_key.
  if (args.updateAddPathKey && payload.currentPathKey)
    fail('payment onion payload/current_path_key: set although update_add_htlc has path_key');
  const pathKey =
    args.updateAddPathKey ??
    payload.currentPathKey ??
    fail('payment onion payload/current_path_key: required without update_add_htlc path_key');
  const u = unblindHop(args.nodePrivkey, pathKey, payload.encryptedRecipientData);
  const data = u.data;
  const blinded = { pathKey, data, nextPathKey: u.nextPathKey };
  const c = data.paymentConstraints;
  if (c && args.incomingCltvExpiry !== undefined && args.incomingCltvExpiry > c.maxCltvExpiry)
    fail('encrypted_data_tlv/payment_constraints: expiry above max_cltv_expiry');
  if (c && args.incomingAmountMsat !== undefined && args.incomingAmountMsat < c.htlcMinimumMsat)
    fail('encrypted_data_tlv/payment_constraints: amount below htlc_minimum_msat');

  const allowed = new Set<keyof PaymentOnionPayload>(
    isFinal
      ? ['encryptedRecipientData', 'currentPathKey', 'amtToForwardMsat', 'outgoingCltvValue', 'totalAmountMsat']
      : ['encryptedRecipientData', 'currentPathKey'],
  );
  const extra = (Object.keys(payload) as (keyof PaymentOnionPayload)[]).filter((k) => !allowed.has(k));
  if (extra.length > 0)
    fail(
      `payment onion payload: fields not allowed in a blinded ${isFinal ? 'final' : 'forwarding'} hop (${extra.join(', ')})`,
    );

  if (!isFinal) {
    const { relay } = paymentForwardData(data);
    const amt = args.incomingAmountMsat === undefined ? undefined : forwardAmountMsat(args.incomingAmountMsat, relay);
    if (args.incomingAmountMsat !== undefined && amt === undefined)
      fail('payment_relay: the incoming amount does not cover fee_base_msat');
    const cltv = args.incomingCltvExpiry === undefined ? undefined : forwardCltvExpiry(args.incomingCltvExpiry, relay);
    if (args.incomingCltvExpiry !== undefined && cltv === undefined)
      fail('payment_relay: the incoming expiry is below cltv_expiry_delta');
    return {
      payload,
      blinded,
      action: {
        kind: 'forward',
        packet: peeled.next!,
        ...(data.shortChannelId !== undefined ? { shortChannelId: data.shortChannelId } : {}),
        ...(data.nextNodeId !== undefined ? { nextNodeId: data.nextNodeId } : {}),
        ...(amt !== undefined ? { amtToForwardMsat: amt } : {}),
        ...(cltv !== undefined ? { outgoingCltvValue: cltv } : {}),
        nextPathKey: u.nextPathKey,
      },
    };
  }
  const { pathId } = paymentReceiveData(data);
  if (
    payload.amtToForwardMsat === undefined ||
    payload.outgoingCltvValue === undefined ||
    payload.totalAmountMsat === undefined
  ) {
    fail(
      'payment onion payload: the final blinded hop needs amt_to_forward, outgoing_cltv_value and total_amount_msat',
    );
  }
  return {
    payload,
    blinded,
    action: {
      kind: 'receive',
      amtToForwardMsat: payload.amtToForwardMsat!,
      outgoingCltvValue: payload.outgoingCltvValue!,
      totalAmountMsat: payload.totalAmountMsat!,
      ...(pathId ? { pathId } : {}),
    },
  };
}
