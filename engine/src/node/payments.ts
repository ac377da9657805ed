/**
 * Payment commands on the ChannelManager: intercepted HTLCs (forward with a skim, or fail), claiming a
 * claimable payment, BOLT 12 offers (create, pay). Inputs are checked here; LDK's refusals become errors
 * naming the command.
 */
import * as ldk from 'lightningdevkit';
import { toHex } from '@jitlsp/shared/crypto';
import { idBytes } from './ids.js';
import { bolt12ErrText, errText } from './mappers.js';
import type { ClaimableFailureCode, Hex32, IdInput } from './types.js';

export function forwardInterceptedHtlc(
  cm: ldk.ChannelManager,
  interceptId: IdInput,
  channelId: IdInput,
  peer: IdInput,
  amountToForwardMsat: bigint,
): void {
  const res = cm.forward_intercepted_htlc(
    idBytes(interceptId, 32, 'interceptId'),
    ldk.ChannelId.constructor_new(idBytes(channelId, 32, 'channelId')),
    idBytes(peer, 33, 'peer'),
    amountToForwardMsat,
  );
  if (!res.is_ok()) throw new Error(`Node/forwardInterceptedHtlc: ${errText(res)}`);
}

export function failInterceptedHtlc(cm: ldk.ChannelManager, interceptId: IdInput): void {
  const res = cm.fail_intercepted_htlc(idBytes(interceptId, 32, 'interceptId'));
  if (!res.is_ok()) throw new Error(`Node/failInterceptedHtlc: ${errText(res)}`);
}

export function claimFunds(cm: ldk.ChannelManager, preimage: IdInput): void {
  cm.claim_funds(idBytes(preimage, 32, 'preimage'));
}

/** BOLT 4 failure codes a receiver can send back for a claimable payment. */
const CLAIMABLE_FAILURES: Record<ClaimableFailureCode, () => ldk.FailureCode> = {
  incorrect_or_unknown_payment_details: () => ldk.FailureCode.constructor_incorrect_or_unknown_payment_details(),
  temporary_node_failure: () => ldk.FailureCode.constructor_temporary_node_failure(),
};

/**
 * Fail every HTLC of a claimable payment back to the payer (LDK `fail_htlc_backwards_with_reason`) instead of
 * letting it wait for its CLTV expiry. LDK adds the BOLT 4 data for the code itself (for
 * incorrect_or_unknown_payment_details: the HTLC amount and the current height). When the payment came through a
 * blinded path, BOLT 4 has the introduction node answer the payer with invalid_onion_blinding instead, so the
 * payer learns only that the payment failed. Unknown hashes are ignored.
 */
export function failClaimablePayment(cm: ldk.ChannelManager, paymentHash: IdInput, code: ClaimableFailureCode): void {
  const make = CLAIMABLE_FAILURES[code];
  if (!make)
    throw new RangeError(
      `Node/failClaimablePayment.code: expected one of ${Object.keys(CLAIMABLE_FAILURES).join(', ')}, got ${String(code)}`,
    );
  cm.fail_htlc_backwards_with_reason(idBytes(paymentHash, 32, 'paymentHash'), make());
}

export function createOffer(
  cm: ldk.ChannelManager,
  absoluteExpirySecs: bigint | undefined,
): { offer: string; offerId: Hex32 } {
  const expiry =
    absoluteExpirySecs === undefined
      ? ldk.Option_u64Z.constructor_none()
      : ldk.Option_u64Z.constructor_some(absoluteExpirySecs);
  const builder = cm.create_offer_builder(expiry);
  if (!(builder instanceof ldk.Result_OfferWithDerivedMetadataBuilderBolt12SemanticErrorZ_OK))
    throw new Error(`Node/createOffer: ${bolt12ErrText(builder)}`);
  const built = builder.res.build();
  if (!(built instanceof ldk.Result_OfferBolt12SemanticErrorZ_OK))
    throw new Error(`Node/createOffer: ${bolt12ErrText(built)}`);
  return { offer: built.res.to_str(), offerId: toHex(built.res.id().get_a()) };
}

export function payOffer(
  cm: ldk.ChannelManager,
  offer: string,
  amountMsat: bigint,
  opts: { paymentId?: IdInput; retries?: number },
  random: (n: number) => Uint8Array,
): Hex32 {
  const parsed = ldk.Offer.constructor_from_str(offer);
  if (!(parsed instanceof ldk.Result_OfferBolt12ParseErrorZ_OK))
    throw new TypeError('Node/payOffer.offer: expected a BOLT 12 offer (lno1...)');
  if (amountMsat <= 0n) throw new RangeError(`Node/payOffer.amountMsat: expected > 0, got ${amountMsat}`);
  const paymentId = opts.paymentId === undefined ? random(32) : idBytes(opts.paymentId, 32, 'paymentId');
  const res = cm.pay_for_offer(
    parsed.res,
    ldk.Option_u64Z.constructor_none(),
    ldk.Option_u64Z.constructor_some(amountMsat),
    ldk.Option_StrZ.constructor_none(),
    paymentId,
    ldk.Retry.constructor_attempts(opts.retries ?? 3),
    ldk.Option_u64Z.constructor_none(),
  );
  if (!res.is_ok()) throw new Error(`Node/payOffer: ${bolt12ErrText(res)}`);
  return toHex(paymentId);
}

/** A hop the payer cannot see in its graph (an unannounced channel into the payee), as BOLT 11 route hints do. */
export interface RouteHintHop {
  /** The node that forwards over the channel. */
  fromNodeId: IdInput;
  /** The channel's SCID as that node knows it (the payee's inbound payment SCID). */
  scid: bigint;
  feeBaseMsat?: number;
  feeProportionalMillionths?: number;
  cltvExpiryDelta?: number;
}

/** Final CLTV delta asked of a spontaneous payment's last hop (LDK's default for its own invoices is 24..). */
const KEYSEND_FINAL_CLTV_DELTA = 40;

/**
 * A spontaneous ("keysend") payment: the preimage travels in the onion (bLIP-3 keysend TLV 5482373484), so the
 * payee needs no invoice. `routeHints` name the last hops when the payee sits behind an unannounced channel.
 */
export function payKeysend(
  cm: ldk.ChannelManager,
  payee: IdInput,
  amountMsat: bigint,
  opts: { paymentId?: IdInput; retries?: number; routeHints?: RouteHintHop[][] },
  random: (n: number) => Uint8Array,
): Hex32 {
  const payeeId = idBytes(payee, 33, 'payKeysend.payee');
  if (amountMsat <= 0n) throw new RangeError(`Node/payKeysend.amountMsat: expected > 0, got ${amountMsat}`);
  const paymentId = opts.paymentId === undefined ? random(32) : idBytes(opts.paymentId, 32, 'paymentId');
  const params = ldk.PaymentParameters.constructor_for_keysend(payeeId, KEYSEND_FINAL_CLTV_DELTA, false);
  if (opts.routeHints?.length) {
    const keysendPayee = params.get_payee() as ldk.Payee_Clear;
    const hints = opts.routeHints.map((hops) =>
      ldk.RouteHint.constructor_new(
        hops.map((h) =>
          ldk.RouteHintHop.constructor_new(
            idBytes(h.fromNodeId, 33, 'payKeysend.routeHints.fromNodeId'),
            h.scid,
            ldk.RoutingFees.constructor_new(h.feeBaseMsat ?? 0, h.feeProportionalMillionths ?? 0),
            h.cltvExpiryDelta ?? 144,
            ldk.Option_u64Z.constructor_none(),
            ldk.Option_u64Z.constructor_none(),
          ),
        ),
      ),
    );
    params.set_payee(ldk.Payee.constructor_clear(payeeId, hints, keysendPayee.features, KEYSEND_FINAL_CLTV_DELTA));
  }
  const res = cm.send_spontaneous_payment(
    ldk.Option_ThirtyTwoBytesZ.constructor_none(),
    ldk.RecipientOnionFields.constructor_spontaneous_empty(),
    paymentId,
    ldk.RouteParameters.constructor_from_payment_params_and_value(params, amountMsat),
    ldk.Retry.constructor_attempts(opts.retries ?? 3),
  );
  if (!res.is_ok())
    throw new Error(`Node/payKeysend: ${errText(res, ldk.RetryableSendFailure as unknown as Record<number, string>)}`);
  return toHex(paymentId);
}
