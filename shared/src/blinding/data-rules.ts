/**
 * What a reader requires of a decrypted `encrypted_data_tlv` (BOLT 4 "Route Blinding", the payload
 * reader requirements, and "Onion Messages"), as typed views: a payment forward, a payment receive,
 * a message forward, a message receive. Each check throws {@link OnionError} 'invalid-payload'.
 */
import { OnionError } from '../sphinx/onion-error.js';
import type { EncryptedDataTlv } from './encrypted-data-tlv.js';
import type { PaymentConstraints, PaymentRelay } from './payment-relay.js';

export type NextHop = { nodeId: Uint8Array } | { shortChannelId: bigint };

const fail = (message: string): never => {
  throw new OnionError('invalid-payload', message);
};

function nextHop(d: EncryptedDataTlv): NextHop {
  if (d.shortChannelId !== undefined && d.nextNodeId !== undefined)
    fail('encrypted_data_tlv: both short_channel_id and next_node_id');
  if (d.nextNodeId !== undefined) return { nodeId: d.nextNodeId };
  if (d.shortChannelId !== undefined) return { shortChannelId: d.shortChannelId };
  return fail('encrypted_data_tlv: neither short_channel_id nor next_node_id');
}

/** BOLT 4: unknown `allowed_features` bits (even odd ones) are an error; we know none. */
function checkFeatures(d: EncryptedDataTlv): void {
  if (d.allowedFeatures?.some((b) => b !== 0)) fail('encrypted_data_tlv/allowed_features: unknown feature bit');
}

/**
 * A blinded payment hop that forwards: exactly one of short_channel_id / next_node_id, and payment_relay.
 * @example const { next, relay } = paymentForwardData(unblinded.data)
 */
export function paymentForwardData(d: EncryptedDataTlv): {
  next: NextHop;
  relay: PaymentRelay;
  constraints?: PaymentConstraints;
  nextPathKeyOverride?: Uint8Array;
} {
  checkFeatures(d);
  const next = nextHop(d);
  const relay = d.paymentRelay ?? fail('encrypted_data_tlv/payment_relay: required for a forwarding hop');
  return {
    next,
    relay,
    ...(d.paymentConstraints ? { constraints: d.paymentConstraints } : {}),
    ...(d.nextPathKeyOverride ? { nextPathKeyOverride: d.nextPathKeyOverride } : {}),
  };
}

/** The final hop of a blinded payment path: its own `path_id` and optional constraints. */
export function paymentReceiveData(d: EncryptedDataTlv): { pathId?: Uint8Array; constraints?: PaymentConstraints } {
  checkFeatures(d);
  if (d.shortChannelId !== undefined && d.nextNodeId !== undefined)
    fail('encrypted_data_tlv: both short_channel_id and next_node_id');
  return {
    ...(d.pathId ? { pathId: d.pathId } : {}),
    ...(d.paymentConstraints ? { constraints: d.paymentConstraints } : {}),
  };
}

/**
 * An onion-message hop that forwards: a next node, no `path_id` (BOLT 4: MUST ignore the message),
 * and no payment fields (the writer MUST NOT include them).
 */
export function messageForwardData(d: EncryptedDataTlv): { next: NextHop; nextPathKeyOverride?: Uint8Array } {
  checkFeatures(d);
  if (d.pathId !== undefined) fail('encrypted_data_tlv/path_id: set for a forwarding hop');
  const next = nextHop(d);
  return { next, ...(d.nextPathKeyOverride ? { nextPathKeyOverride: d.nextPathKeyOverride } : {}) };
}

/** The recipient of an onion message: its `path_id`, if it set one. */
export function messageReceiveData(d: EncryptedDataTlv): { pathId?: Uint8Array } {
  checkFeatures(d);
  return d.pathId ? { pathId: d.pathId } : {};
}
