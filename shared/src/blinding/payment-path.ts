/**
 * A blinded payment path as the client router builds one (BOLT 4 "Route Blinding" + BOLT 12
 * `invoice_paths`/`invoice_blindedpay`): forwarding hops (e.g. the LSP, forwarding over the JIT
 * channel's intercept SCID) followed by the recipient, with the aggregated `blinded_payinfo`.
 */
import type { BlindedPath } from '../wire/blinded-path.js';
import type { BlindedPayInfo } from '../wire/blinded-payinfo.js';
import { OnionError } from '../sphinx/onion-error.js';
import { blindPath } from './blind-path.js';
import { encodeEncryptedDataTlv, type EncryptedDataTlv, type UnknownTlv } from './encrypted-data-tlv.js';
import { encodePadded } from './padding.js';
import { aggregateBlindedPayinfo } from './payinfo.js';
import type { PaymentConstraints, PaymentRelay } from './payment-relay.js';

export interface PaymentForwardHop {
  nodeId: Uint8Array;
  /** the channel this hop forwards over (for an LSPS2 LSP: the intercept SCID) */
  shortChannelId: bigint;
  relay: PaymentRelay;
  /**
   * Defaults (BOLT 4) to max_cltv_expiry = the recipient's max_cltv_expiry + min_final_cltv_expiry_delta
   * + the cltv_expiry_delta of this hop and every later one, and htlc_minimum_msat = 1.
   */
  constraints?: PaymentConstraints;
  htlcMaximumMsat?: bigint;
  /** `allowed_features`; BOLT 4 says a writer that sets it MUST set it empty */
  allowedFeatures?: Uint8Array;
}

export interface PaymentRecipient {
  nodeId: Uint8Array;
  /** private context the recipient checks on receipt (BOLT 4: MAY store it in `path_id`) */
  pathId: Uint8Array;
  constraints: PaymentConstraints;
  htlcMaximumMsat?: bigint;
  /** extra odd records for the recipient's own use */
  unknown?: UnknownTlv[];
}

export interface BuildBlindedPaymentPathArgs {
  /** e_0, 32 random bytes (inject the source of randomness) */
  sessionKey: Uint8Array;
  forwardHops: readonly PaymentForwardHop[];
  recipient: PaymentRecipient;
  minFinalCltvExpiryDelta: number;
  /** pad every encrypted_data_tlv to one length (default true) */
  pad?: boolean;
}

/**
 * Builds the path and its payinfo. Throws {@link OnionError} 'invalid-argument' when the hops give an
 * unusable payinfo (fee or CLTV totals overflow, empty HTLC range).
 * @example
 * const { path, payinfo } = buildBlindedPaymentPath({
 *   sessionKey: random(32), minFinalCltvExpiryDelta: 24,
 *   forwardHops: [{ nodeId: lspId, shortChannelId: interceptScid, relay: { cltvExpiryDelta: 144, feeBaseMsat: 0, feeProportionalMillionths: 0 } }],
 *   recipient: { nodeId: myId, pathId, constraints: { maxCltvExpiry: height + 2016, htlcMinimumMsat: 1n } },
 * })
 */
export function buildBlindedPaymentPath(args: BuildBlindedPaymentPathArgs): {
  path: BlindedPath;
  payinfo: BlindedPayInfo;
} {
  const { forwardHops, recipient } = args;
  const constraints: PaymentConstraints[] = [];
  let maxCltv = recipient.constraints.maxCltvExpiry + args.minFinalCltvExpiryDelta;
  for (let i = forwardHops.length - 1; i >= 0; i--) {
    maxCltv += forwardHops[i].relay.cltvExpiryDelta;
    constraints[i] = forwardHops[i].constraints ?? {
      maxCltvExpiry: Math.min(maxCltv, 0xffff_ffff),
      htlcMinimumMsat: 1n,
    };
  }
  const datas: EncryptedDataTlv[] = forwardHops.map((h, i) => ({
    shortChannelId: h.shortChannelId,
    paymentRelay: h.relay,
    paymentConstraints: constraints[i],
    ...(h.allowedFeatures ? { allowedFeatures: h.allowedFeatures } : {}),
  }));
  datas.push({
    pathId: recipient.pathId,
    paymentConstraints: recipient.constraints,
    ...(recipient.unknown ? { unknown: recipient.unknown } : {}),
  });
  const plaintexts = args.pad === false ? undefined : encodePadded(datas);
  const payinfo = aggregateBlindedPayinfo({
    forwardHops: forwardHops.map((h, i) => ({
      relay: h.relay,
      constraints: constraints[i],
      htlcMaximumMsat: h.htlcMaximumMsat,
    })),
    recipientHtlcMinimumMsat: recipient.constraints.htlcMinimumMsat,
    recipientHtlcMaximumMsat: recipient.htlcMaximumMsat,
    minFinalCltvExpiryDelta: args.minFinalCltvExpiryDelta,
  });
  if (!payinfo)
    throw new OnionError('invalid-argument', 'blinded payment path: the hops give no usable blinded_payinfo');
  const nodes = [...forwardHops.map((h) => h.nodeId), recipient.nodeId];
  const { path } = blindPath(
    args.sessionKey,
    nodes.map((nodeId, i) => ({ nodeId, data: plaintexts ? plaintexts[i] : encodeEncryptedDataTlv(datas[i]) })),
  );
  return { path, payinfo };
}
