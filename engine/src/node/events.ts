/**
 * Copies LDK `Event`s into the engine's plain {@link NodeEvent}s. Nothing of the LDK object is kept, so its
 * WASM memory is released when the finalizer runs (docs/ldk-pitfalls.md, "Memory").
 */
import * as ldk from 'lightningdevkit';
import { toHex } from '@jitlsp/shared/crypto';
import { txidHex, u128FromLdk } from './ids.js';
import type { FailedHtlcDestination, NodeEvent, PaymentPurposeKind } from './types.js';

const opt64 = (o: ldk.Option_u64Z): bigint | undefined => (o instanceof ldk.Option_u64Z_Some ? o.some : undefined);
const opt128 = (o: ldk.Option_U128Z): bigint | undefined =>
  o instanceof ldk.Option_U128Z_Some ? u128FromLdk(o.some) : undefined;
const opt32B = (o: ldk.Option_ThirtyTwoBytesZ): string | undefined =>
  o instanceof ldk.Option_ThirtyTwoBytesZ_Some ? toHex(o.some) : undefined;
const chanId = (c: ldk.ChannelId | null | undefined): string | undefined => (c ? toHex(c.get_a()) : undefined);
/** LDK marks a missing public key as null or all zeroes. */
const nodeIdOpt = (b: Uint8Array | null | undefined): string | undefined =>
  b && b.length === 33 && b.some((x) => x !== 0) ? toHex(b) : undefined;

export function purposeKind(p: ldk.PaymentPurpose): PaymentPurposeKind {
  if (p instanceof ldk.PaymentPurpose_Bolt12OfferPayment) return 'bolt12-offer';
  if (p instanceof ldk.PaymentPurpose_Bolt12RefundPayment) return 'bolt12-refund';
  if (p instanceof ldk.PaymentPurpose_SpontaneousPayment) return 'spontaneous';
  return 'bolt11';
}

function destination(d: ldk.HTLCDestination): FailedHtlcDestination {
  if (d instanceof ldk.HTLCDestination_NextHopChannel) {
    return { kind: 'next-hop-channel', nodeId: nodeIdOpt(d.node_id), channelId: toHex(d.channel_id.get_a()) };
  }
  if (d instanceof ldk.HTLCDestination_UnknownNextHop)
    return { kind: 'unknown-next-hop', requestedForwardScid: d.requested_forward_scid };
  if (d instanceof ldk.HTLCDestination_InvalidForward)
    return { kind: 'invalid-forward', requestedForwardScid: d.requested_forward_scid };
  if (d instanceof ldk.HTLCDestination_FailedPayment)
    return { kind: 'failed-payment', paymentHash: toHex(d.payment_hash) };
  return { kind: 'invalid-onion' };
}

/** Engine-internal work an event asks for (done after `process_pending_events` returns). */
export type InternalEvent =
  | {
      type: 'fundingGenerationReady';
      temporaryChannelId: Uint8Array;
      counterpartyNodeId: string;
      valueSat: bigint;
      outputScript: Uint8Array;
      userChannelId: bigint;
    }
  | { type: 'pendingHtlcsForwardable' }
  | { type: 'connectionNeeded'; nodeId: string }
  | {
      type: 'openChannelRequestRaw';
      temporaryChannelId: string;
      counterpartyNodeId: string;
      fundingSat: bigint;
      pushMsat: bigint;
    };

/** Convert one LDK event; returns undefined for events the engine ignores. */
export function convertEvent(ev: ldk.Event): NodeEvent | InternalEvent | undefined {
  if (ev instanceof ldk.Event_HTLCIntercepted) {
    return {
      type: 'htlcIntercepted',
      interceptId: toHex(ev.intercept_id),
      requestedNextHopScid: ev.requested_next_hop_scid,
      paymentHash: toHex(ev.payment_hash),
      inboundAmountMsat: ev.inbound_amount_msat,
      expectedOutboundAmountMsat: ev.expected_outbound_amount_msat,
      cltvExpiry: null, // filled in by the node (inboundHtlcExpiry): the event itself has none
    };
  }
  if (ev instanceof ldk.Event_ChannelPending) {
    return {
      type: 'channelPending',
      channelId: toHex(ev.channel_id.get_a()),
      userChannelId: u128FromLdk(ev.user_channel_id),
      counterpartyNodeId: toHex(ev.counterparty_node_id),
      fundingTxid: txidHex(ev.funding_txo.get_txid()),
    };
  }
  if (ev instanceof ldk.Event_ChannelReady) {
    return {
      type: 'channelReady',
      channelId: toHex(ev.channel_id.get_a()),
      userChannelId: u128FromLdk(ev.user_channel_id),
      counterpartyNodeId: toHex(ev.counterparty_node_id),
    };
  }
  if (ev instanceof ldk.Event_ChannelClosed) {
    return {
      type: 'channelClosed',
      channelId: toHex(ev.channel_id.get_a()),
      userChannelId: u128FromLdk(ev.user_channel_id),
      counterpartyNodeId: nodeIdOpt(ev.counterparty_node_id),
      reason: ev.reason.to_str(),
      capacitySat: opt64(ev.channel_capacity_sats),
    };
  }
  if (ev instanceof ldk.Event_PaymentClaimable) {
    return {
      type: 'paymentClaimable',
      paymentHash: toHex(ev.payment_hash),
      amountMsat: ev.amount_msat,
      counterpartySkimmedFeeMsat: ev.counterparty_skimmed_fee_msat,
      purpose: purposeKind(ev.purpose),
      preimage: opt32B(ev.purpose.preimage()),
      viaChannelId: chanId(ev.via_channel_id),
    };
  }
  if (ev instanceof ldk.Event_PaymentClaimed) {
    return {
      type: 'paymentClaimed',
      paymentHash: toHex(ev.payment_hash),
      amountMsat: ev.amount_msat,
      purpose: purposeKind(ev.purpose),
    };
  }
  if (ev instanceof ldk.Event_PaymentSent) {
    return {
      type: 'paymentSent',
      paymentId: opt32B(ev.payment_id),
      paymentHash: toHex(ev.payment_hash),
      preimage: toHex(ev.payment_preimage),
      feePaidMsat: opt64(ev.fee_paid_msat),
    };
  }
  if (ev instanceof ldk.Event_PaymentFailed) {
    const r = ev.reason;
    return {
      type: 'paymentFailed',
      paymentId: toHex(ev.payment_id),
      paymentHash: opt32B(ev.payment_hash),
      reason:
        r instanceof ldk.Option_PaymentFailureReasonZ_Some
          ? String(ldk.PaymentFailureReason[r.some] ?? r.some)
          : undefined,
    };
  }
  if (ev instanceof ldk.Event_PaymentForwarded) {
    return {
      type: 'paymentForwarded',
      prevChannelId: chanId(ev.prev_channel_id),
      nextChannelId: chanId(ev.next_channel_id),
      prevUserChannelId: opt128(ev.prev_user_channel_id),
      nextUserChannelId: opt128(ev.next_user_channel_id),
      totalFeeEarnedMsat: opt64(ev.total_fee_earned_msat),
      skimmedFeeMsat: opt64(ev.skimmed_fee_msat),
      outboundAmountForwardedMsat: opt64(ev.outbound_amount_forwarded_msat),
      claimFromOnchainTx: Boolean(ev.claim_from_onchain_tx),
    };
  }
  if (ev instanceof ldk.Event_HTLCHandlingFailed) {
    return {
      type: 'htlcHandlingFailed',
      prevChannelId: toHex(ev.prev_channel_id.get_a()),
      failedNextDestination: destination(ev.failed_next_destination),
    };
  }
  if (ev instanceof ldk.Event_OnionMessageIntercepted) {
    return { type: 'onionMessageIntercepted', peerNodeId: toHex(ev.peer_node_id), message: ev.message.write() };
  }
  if (ev instanceof ldk.Event_OnionMessagePeerConnected) {
    return { type: 'onionMessagePeerConnected', peerNodeId: toHex(ev.peer_node_id) };
  }
  if (ev instanceof ldk.Event_OpenChannelRequest) {
    const funds = ev.channel_negotiation_type;
    const pushMsat = funds instanceof ldk.InboundChannelFunds_PushMsat ? funds.push_msat : 0n;
    return {
      type: 'openChannelRequestRaw',
      temporaryChannelId: toHex(ev.temporary_channel_id.get_a()),
      counterpartyNodeId: toHex(ev.counterparty_node_id),
      fundingSat: ev.funding_satoshis,
      pushMsat,
    };
  }
  if (ev instanceof ldk.Event_FundingGenerationReady) {
    return {
      type: 'fundingGenerationReady',
      temporaryChannelId: ev.temporary_channel_id.get_a(),
      counterpartyNodeId: toHex(ev.counterparty_node_id),
      valueSat: ev.channel_value_satoshis,
      outputScript: ev.output_script,
      userChannelId: u128FromLdk(ev.user_channel_id),
    };
  }
  if (ev instanceof ldk.Event_PendingHTLCsForwardable) return { type: 'pendingHtlcsForwardable' };
  if (ev instanceof ldk.Event_ConnectionNeeded) return { type: 'connectionNeeded', nodeId: toHex(ev.node_id) };
  return undefined;
}
