/**
 * Payment commands on the ChannelManager: intercepted HTLCs (forward with a skim, or fail), claiming a
 * claimable payment, BOLT 12 offers (create, pay). Inputs are checked here; LDK's refusals become errors
 * naming the command.
 */
import * as ldk from 'lightningdevkit';
import { hex, idBytes } from './ids.js';
import { bolt12ErrText, errText } from './mappers.js';
import type { Hex32, IdInput } from './types.js';

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
  return { offer: built.res.to_str(), offerId: hex(built.res.id().get_a()) };
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
  return hex(paymentId);
}
